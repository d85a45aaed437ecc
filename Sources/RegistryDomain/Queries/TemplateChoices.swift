/// What an import template offers in its drop-down lists (Excel data
/// validation): for each column with a closed set of values, the values this
/// registry accepts, written as staff write them (Chinese names; codes for
/// parks and funds, which the import looks up by code).
extension Registry {
    public func templateChoices(_ kind: ImportKind) throws -> [String: [String]] {
        func names<C: Choice>(_ type: C.Type) -> [String] { type.allCases.map(\.chineseName) }
        return try read {
            switch kind {
            case .parks:
                return ["level": names(ParkLevel.self)]
            case .projects:
                return [
                    "kind": names(ProjectKind.self), "stage": names(ProjectStage.self),
                    "park": try parkChoices().map(\.code), "sector": try sectors().map(\.chineseName),
                ]
            case .funds:
                return ["source": names(FundSource.self), "subsidy": ["是", "否"]]
            case .allocations:
                return ["fund": try db.rows("SELECT code FROM fund ORDER BY code").map { try $0.get("code") }]
            case .disbursements:
                return ["carry_over": ["是", "否"]]
            default:
                return [:]
            }
        }
    }
}

extension Registry {
    /// For a working ledger (`export --excel`, an .xlsx export): the Chinese
    /// name of each stored key of the columns with a closed set of values
    /// (`investment` → 招商项目, `signed` → 签约, `new-energy` → 新能源,
    /// `no` → 否). Each name imports back as its key, so the ledger round-trips.
    public func ledgerNames(_ kind: ImportKind) throws -> [String: [String: String]] {
        func names<C: Choice>(_ type: C.Type) -> [String: String] {
            Dictionary(uniqueKeysWithValues: type.allCases.map { ($0.rawValue, $0.chineseName) })
        }
        let yesNo = ["yes": "是", "no": "否"]
        return try read {
            switch kind {
            case .parks:
                return ["level": names(ParkLevel.self)]
            case .projects:
                return [
                    "kind": names(ProjectKind.self), "stage": names(ProjectStage.self),
                    "sector": Dictionary(uniqueKeysWithValues: try sectors().map { ($0.key, $0.chineseName) }),
                ]
            case .funds:
                return ["source": names(FundSource.self), "subsidy": yesNo]
            case .disbursements:
                return ["carry_over": yesNo]
            default:
                return [:]
            }
        }
    }
}
