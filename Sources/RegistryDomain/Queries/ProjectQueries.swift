import RegistryStorage

/// Filters of `project list`; each nil filter admits everything.
public struct ProjectFilter: Sendable {
    public var year: Int?
    public var park: String?
    public var level: String?
    public var county: String?
    public var sector: String?
    public var stage: String?
    public var kind: String?
    /// Any part of the name, code or notes (`SearchTerm`).
    public var search: String?

    public init(
        year: Int? = nil, park: String? = nil, level: String? = nil, county: String? = nil,
        sector: String? = nil, stage: String? = nil, kind: String? = nil, search: String? = nil
    ) {
        self.year = year
        self.park = park
        self.level = level
        self.county = county
        self.sector = sector
        self.stage = stage
        self.kind = kind
        self.search = search
    }
}

/// A project with the names of what it refers to, as lists and reports show it.
public struct ProjectListing: Equatable, Sendable {
    public let project: Project
    public let parkName: String?
    public let parkLevel: ParkLevel?
    public let county: String?
    public let enterpriseName: String?
    public let sectorName: String?
    /// The date the project entered its current stage (read by exports only; nil otherwise).
    public let stageOn: ISODate?
}

extension Registry {
    /// Projects matching `filter`, by signing date then code.
    public func projects(_ filter: ProjectFilter = ProjectFilter()) throws -> [ProjectListing] {
        var projects: [ProjectListing] = []
        try forEachProject(filter) { projects.append($0) }
        return projects
    }

    /// Projects matching `filter`, by signing date then code, one at a time
    /// as SQLite reads them: the first comes at once and memory stays flat
    /// however many there are (the date index gives the order; SQLite sorts
    /// only the projects of one day by code).
    ///
    /// The SQL is fixed; each filter is a bound parameter that is NULL when unused.
    /// `stageDates` also reads the date each project entered its stage (an
    /// export's 阶段日期; a look-up per row that the lists do without).
    public func forEachProject(_ filter: ProjectFilter = ProjectFilter(), stageDates: Bool = false, _ body: (ProjectListing) throws -> Void) throws {
        let (conditions, arguments) = try projectConditions(filter, search: filter.search)
        let sql = ProjectListing.selectSQL(stageDates: stageDates) + "WHERE \(conditions) ORDER BY p.signed_on, p.code"
        try db.forEachRow(sql, arguments) { try body(ProjectListing(row: $0)) }
    }

    /// One project with its names, or a `InvalidValue` naming the code.
    public func project(code: String) throws -> ProjectListing {
        let sql = ProjectListing.selectSQL() + "WHERE p.code = ?"
        guard let key = try ProjectCode.storedKey(code, in: db), let row = try db.row(sql, [.text(key)]) else {
            throw InvalidValue(field: "code", value: FieldText.shown(code), reason: "no project has this code", nextStep: .list(.project))
        }
        return try ProjectListing(row: row)
    }

    /// A project's dated stages, oldest first.
    public func stageHistory(of code: String) throws -> [StageChange] {
        try StageChange.history(of: try ProjectCode.storedKey(code, in: db) ?? ProjectCode.lookupKeys(code).last!, in: db)
    }
}

extension ProjectListing {
    /// A project with the names of its park, enterprise and sector (and, with
    /// `stageDates`, the date it entered its stage); queries add their WHERE.
    static func selectSQL(stageDates: Bool = false) -> String {
        let stageOn =
            stageDates ? "(SELECT max(entered_on) FROM project_stage t WHERE t.project_code = p.code AND t.stage = p.stage)" : "NULL"
        return """
            SELECT p.code, p.name, p.kind, p.park_code, p.enterprise_uscc, p.sector_key,
                   p.planned_investment_fen, p.signed_on, p.stage, p.notes,
                   k.name AS park_name, k.level AS park_level, k.county AS park_county,
                   e.name AS enterprise_name, s.name_zh AS sector_name, \(stageOn) AS stage_on
            FROM project p
            LEFT JOIN park k ON k.code = p.park_code
            LEFT JOIN enterprise e ON e.uscc = p.enterprise_uscc
            LEFT JOIN sector s ON s.key = p.sector_key

            """
    }

    init(row: Row) throws {
        self.init(
            project: try Project(row: row),
            parkName: try row.get("park_name"),
            parkLevel: try (row.get("park_level", as: String?.self)).map { try ParkLevel.stored($0) },
            county: try row.get("park_county"),
            enterpriseName: try row.get("enterprise_name"),
            sectorName: try row.get("sector_name"),
            stageOn: (try row.get("stage_on", as: String?.self)).flatMap(ISODate.init(iso:))
        )
    }
}

extension Registry {
    /// Project codes that differ only in the case of their Latin letters
    /// (`sw-2025-001` beside `SW-2025-001`): made before codes were stored in
    /// capitals, each group is one project entered twice, for staff to merge.
    /// Codes are not rewritten behind the change log's back.
    public func projectCodesDifferingInCase() throws -> [[String]] {
        try read {
            try db.rows(
                "SELECT group_concat(code, char(9)) AS codes FROM (SELECT code FROM project ORDER BY code) GROUP BY upper(code) HAVING count(*) > 1 ORDER BY upper(code)"
            ).map { row in (try row.get("codes", as: String.self)).split(separator: "\t").map(String.init) }
        }
    }
}

extension ProjectCode {
    /// The code of the project `text` names, as stored: the code as typed
    /// when a project has it, else its stored form; nil when neither exists.
    static func storedKey(_ text: String, in db: Database) throws -> String? {
        for key in lookupKeys(text) where try db.scalar("SELECT count(*) FROM project WHERE code = ?", [.text(key)], as: Int.self) == 1 {
            return key
        }
        return nil
    }
}
