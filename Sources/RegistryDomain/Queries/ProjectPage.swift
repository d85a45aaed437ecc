import RegistryStorage

/// How a page of projects is ordered (the web list's column headers).
public enum ProjectSort: String, CaseIterable, Sendable {
    /// Signing date, then code: the order of `project list` (the date index gives it).
    case signed
    case signedDescending = "-signed"
    case investmentDescending = "-investment"
    case name
    case code

    var orderBy: String {
        switch self {
        case .signed: "p.signed_on, p.code"
        case .signedDescending: "p.signed_on DESC, p.code DESC"
        case .investmentDescending: "p.planned_investment_fen DESC, p.code"
        case .name: "p.name, p.code"
        case .code: "p.code"
        }
    }
}

/// One page of a filtered project list, and how many match in all.
public struct ProjectPage: Sendable {
    public let total: Int
    public let rows: [ProjectListing]
}

/// The filters of the project list, each with its values and how many
/// projects each value would give with the other filters as they are.
public struct ProjectFacets: Sendable {
    public struct Value: Sendable {
        public let value: String
        public let label: String
        public let count: Int
    }

    /// In the list's order: year, park, level, county, sector, stage, kind.
    public let facets: [(name: String, values: [Value])]
    /// How many projects match every filter (the list's total).
    public let total: Int
}

extension Registry {
    /// The projects matching `filter` and `search` (any part of the name or
    /// the code, full-width or half-width, any case of the code), in `sort`
    /// order, `limit` of them from `offset`.
    ///
    /// - parameter total: the count when the caller has it already (from
    ///   `projectFacets`, which a page computes once per data version);
    ///   counted here otherwise.
    public func projectPage(
        _ filter: ProjectFilter, search: String? = nil, sort: ProjectSort = .signed, offset: Int = 0, limit: Int = 50, total known: Int? = nil
    ) throws -> ProjectPage {
        let (conditions, arguments) = try projectConditions(filter, search: search)
        let total =
            try known
            ?? db.scalar("SELECT count(*) FROM project p LEFT JOIN park k ON k.code = p.park_code WHERE \(conditions)", arguments, as: Int.self) ?? 0
        let sql = ProjectListing.selectSQL() + "WHERE \(conditions) ORDER BY \(sort.orderBy) LIMIT ?9 OFFSET ?10"
        let rows = try db.rows(sql, arguments + [.integer(Int64(max(0, min(limit, 1_000)))), .integer(Int64(max(0, offset)))])
            .map(ProjectListing.init(row:))
        return ProjectPage(total: total, rows: rows)
    }

    /// The counts beside each filter value, from one pass over the projects
    /// grouped by every filtered column at once.
    public func projectFacets(_ filter: ProjectFilter, search: String? = nil) throws -> ProjectFacets {
        let (conditions, arguments) = try projectConditions(ProjectFilter(), search: search)
        let sql = """
            SELECT substr(p.signed_on, 1, 4) AS year, p.park_code, k.level, k.county, p.sector_key, p.stage, p.kind, count(*) AS n
            FROM project p LEFT JOIN park k ON k.code = p.park_code
            WHERE \(conditions)
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            """
        var cells: [([String?], Int)] = []
        try db.forEachRow(sql, arguments) { row in
            cells.append(
                (
                    [
                        try row.get("year"), try row.get("park_code"), try row.get("level"), try row.get("county"), try row.get("sector_key"),
                        try row.get("stage"), try row.get("kind"),
                    ], try row.get("n")
                ))
        }
        // The filter values as the list's WHERE binds them (?1–?7), resolved in one place.
        let chosen: [String?] = try projectConditions(filter, search: nil).1.prefix(7).map { value in
            if case .text(let text) = value { return text }
            return nil
        }
        let parkNames = Dictionary(
            try db.rows("SELECT code, name FROM park").map { (try $0.get("code", as: String.self), try $0.get("name", as: String.self)) }
        ) {
            first, _ in first
        }
        let sectorNames = Dictionary(try sectors().map { ($0.key, $0.chineseName) }) { first, _ in first }
        let names = ["year", "park", "level", "county", "sector", "stage", "kind"]
        let total = cells.reduce(0) { sum, cell in
            let (values, count) = cell
            let matches = chosen.indices.allSatisfy { index in chosen[index] == nil || values[index].map { $0.sameBytes(as: chosen[index]!) } == true }
            return matches ? sum + count : sum
        }
        var facets: [(name: String, values: [ProjectFacets.Value])] = []
        for (index, name) in names.enumerated() {
            var counts: [String: Int] = [:]
            var order: [String] = []
            for (values, count) in cells {
                let others = chosen.indices.allSatisfy { other in
                    other == index || chosen[other] == nil || values[other].map { $0.sameBytes(as: chosen[other]!) } == true
                }
                guard others, let value = values[index] else { continue }
                if counts[value] == nil { order.append(value) }
                counts[value, default: 0] += count
            }
            let label: (String) -> String = { value in
                switch name {
                case "park": parkNames[value] ?? value
                case "level": (try? ParkLevel.stored(value))?.chineseName ?? value
                case "sector": sectorNames[value] ?? value
                case "stage": (try? ProjectStage.stored(value))?.chineseName ?? value
                case "kind": (try? ProjectKind.stored(value))?.chineseName ?? value
                default: value
                }
            }
            let sorted = order.sorted { name == "year" ? $0 > $1 : Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            facets.append((name, sorted.map { ProjectFacets.Value(value: $0, label: label($0), count: counts[$0]!) }))
        }
        return ProjectFacets(facets: facets, total: total)
    }

    /// The WHERE of the project list, with parameters ?1–?8: the one place
    /// the filters of `project list` and the web list are turned into SQL.
    func projectConditions(_ filter: ProjectFilter, search: String?) throws -> (String, [SQLValue]) {
        let resolver = ReferenceResolver(db: db)
        if let year = filter.year, !ISODate.acceptedYears.contains(year) {
            throw InvalidValue(
                field: "year", value: String(year),
                reason: "is out of range; years \(ISODate.acceptedYears.lowerBound)–\(ISODate.acceptedYears.upperBound) are accepted")
        }
        // The search (`SearchTerm`): three characters and more through the
        // trigram index, fewer by a scan of the names, codes and notes.
        let term = try search.flatMap { $0.trimmingWhitespace().isEmpty ? nil : try SearchTerm($0) }
        let arguments: [SQLValue] = [
            filter.year.map { .text(String($0)) } ?? .null,
            try filter.park.flatMap { try resolver.park($0) }.sqlValue,
            try filter.level.map { try ParkLevel.parse($0, field: "level").rawValue }.sqlValue,
            filter.county.map { TextNormalization.halfwidthTrimmed($0) }.sqlValue,
            try filter.sector.flatMap { try resolver.sector($0) }.sqlValue,
            try filter.stage.map { try ProjectStage.parse($0, field: "stage").rawValue }.sqlValue,
            try filter.kind.map { try ProjectKind.parse($0, field: "kind").rawValue }.sqlValue,
            term.map { .text($0.usesIndex ? $0.matchExpression : $0.forms[0]) } ?? .null,
        ]
        let searched =
            term?.usesIndex == true
            ? "p.rowid IN (SELECT rowid FROM project_search WHERE project_search MATCH ?8)"
            : SearchTerm.scanCondition(key: "p.code", name: "p.name", notes: "p.notes", form: term?.forms[0] ?? "", parameter: 8)
        let conditions = """
            (?1 IS NULL OR substr(p.signed_on, 1, 4) = ?1)
              AND (?2 IS NULL OR p.park_code = ?2)
              AND (?3 IS NULL OR k.level = ?3)
              AND (?4 IS NULL OR k.county = ?4)
              AND (?5 IS NULL OR p.sector_key = ?5)
              AND (?6 IS NULL OR p.stage = ?6)
              AND (?7 IS NULL OR p.kind = ?7)
              AND (?8 IS NULL OR \(searched))
            """
        return (conditions, arguments)
    }
}

extension Registry {
    /// The years that have projects or targets, newest first (the year menus).
    public func recordedYears() throws -> [Int] {
        try db.rows(
            """
            SELECT year FROM (
                SELECT DISTINCT CAST(substr(signed_on, 1, 4) AS INTEGER) AS year FROM project
                UNION SELECT DISTINCT year FROM target
            ) ORDER BY year DESC
            """
        ).map { try $0.get("year", as: Int.self) }
    }
}
