/// The columns with a closed set of values, in one place: what an import
/// template offers in its drop-down lists (Excel data validation) and how a
/// working ledger writes the stored keys (`investment` → 招商项目).
extension Registry {
    /// For each column with a closed set of values, its stored keys and the
    /// Chinese name staff write for each, in the order the lists show them.
    /// Each name imports back as its key.
    func closedValues(_ kind: ImportKind) throws -> [String: [(key: String, name: String)]] {
        func choices<C: Choice>(_ type: C.Type) -> [(key: String, name: String)] { type.allCases.map { ($0.rawValue, $0.chineseName) } }
        let yesNo = [(key: "yes", name: "是"), (key: "no", name: "否")]
        switch kind {
        case .parks: return ["level": choices(ParkLevel.self)]
        case .projects:
            return ["kind": choices(ProjectKind.self), "stage": choices(ProjectStage.self), "sector": try sectors().map { ($0.key, $0.chineseName) }]
        case .funds: return ["source": choices(FundSource.self), "subsidy": yesNo]
        case .disbursements: return ["carry_over": yesNo]
        default: return [:]
        }
    }

    /// The drop-down lists of a template: the closed values as staff write
    /// them (Chinese names), and codes for parks and funds, which the import
    /// looks up by code.
    public func templateChoices(_ kind: ImportKind) throws -> [String: [String]] {
        try read {
            var lists = try closedValues(kind).mapValues { $0.map(\.name) }
            switch kind {
            case .projects: lists["park"] = try parkChoices().map(\.code)
            case .allocations: lists["fund"] = try db.rows("SELECT code FROM fund ORDER BY code").map { try $0.get("code") }
            default: break
            }
            return lists
        }
    }

    /// For a working ledger (`export --excel`, an .xlsx export): the Chinese
    /// name of each stored key of the columns with a closed set of values
    /// (`investment` → 招商项目, `signed` → 签约, `new-energy` → 新能源, `no` → 否).
    public func ledgerNames(_ kind: ImportKind) throws -> [String: [String: String]] {
        try read { try closedValues(kind).mapValues { Dictionary($0, uniquingKeysWith: { first, _ in first }) } }
    }
}
