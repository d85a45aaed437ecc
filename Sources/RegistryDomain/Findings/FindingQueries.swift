import RegistryStorage

/// What `finding list` narrows the register to.
public struct FindingFilter: Sendable {
    public var year: Int?
    public var rule: String?
    public var status: FindingStatus?
    public var severity: AuditSeverity?

    public init(year: Int? = nil, rule: String? = nil, status: FindingStatus? = nil, severity: AuditSeverity? = nil) {
        self.year = year
        self.rule = rule
        self.status = status
        self.severity = severity
    }
}

/// The register's counts for one year: by status, and the open ones by age.
public struct FindingSummary: Sendable, Equatable {
    public var byStatus: [(status: FindingStatus, count: Int)]
    /// Open (not rectified or dismissed) findings by days since first found: ≤30, 31–90, 91–180, >180.
    public var openByAge: [(label: String, count: Int)]
    public var total: Int { byStatus.reduce(0) { $0 + $1.count } }

    public static func == (a: FindingSummary, b: FindingSummary) -> Bool {
        a.byStatus.map(\.count) == b.byStatus.map(\.count) && a.openByAge.map(\.count) == b.openByAge.map(\.count)
    }

    static let ageBands: [(label: String, upTo: Int)] = [("≤30天", 30), ("31–90天", 90), ("91–180天", 180), (">180天", Int.max)]

    static func read(year: Int, asOf: ISODate, in db: Database) throws -> FindingSummary? {
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'finding'", as: Int.self) == 1 else { return nil }
        var counts: [FindingStatus: Int] = [:]
        var ages = Array(repeating: 0, count: ageBands.count)
        try db.forEachRow("SELECT status, first_found FROM finding WHERE year = ?", [.integer(Int64(year))]) { row in
            let status = try FindingStatus.stored(try row.get("status"))
            counts[status, default: 0] += 1
            guard status != .rectified && status != .dismissed,
                let first = ISODate(iso: try row.get("first_found", as: String.self))
            else { return }
            let days = max(0, first.days(until: asOf))
            ages[ageBands.firstIndex { days <= $0.upTo }!] += 1
        }
        return FindingSummary(
            byStatus: FindingStatus.allCases.map { ($0, counts[$0] ?? 0) },
            openByAge: ageBands.indices.map { (ageBands[$0].label, ages[$0]) })
    }
}

extension Registry {
    /// The register, newest year first, then rule and id.
    public func findings(_ filter: FindingFilter = FindingFilter()) throws -> [Finding] {
        try read {
            try db.rows(
                """
                \(Finding.table.selectSQL)
                WHERE (?1 IS NULL OR year = ?1) AND (?2 IS NULL OR rule = ?2) AND (?3 IS NULL OR status = ?3) AND (?4 IS NULL OR severity = ?4)
                ORDER BY year DESC, rule, id
                """,
                [
                    filter.year.map { .integer(Int64($0)) } ?? .null, filter.rule.map(SQLValue.text) ?? .null,
                    filter.status.map { .text($0.rawValue) } ?? .null, filter.severity.map { .text($0.rawValue) } ?? .null,
                ]
            ).map(Finding.init(row:))
        }
    }

    public func finding(id: String) throws -> Finding {
        let key = TextNormalization.halfwidthTrimmed(id)
        guard let found = try read({ try db.record(Finding.self, key: [.text(key)]) }) else {
            throw InvalidValue(field: "id", value: FieldText.shown(id), reason: "no finding has this id; the register lists them")
        }
        return found
    }
}
