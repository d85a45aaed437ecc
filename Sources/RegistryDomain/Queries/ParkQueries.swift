import RegistryStorage

/// A park with the totals of the projects it holds.
public struct ParkSummary: Equatable, Sendable {
    public let park: Park
    public let projectCount: Int
    public let plannedInvestment: Money
}

extension Registry {
    /// Every park's code and name, by code: a form's choices (no sums).
    public func parkChoices() throws -> [(code: String, name: String)] {
        try db.rows("SELECT code, name FROM park ORDER BY code").map { (try $0.get("code"), try $0.get("name")) }
    }

    /// Parks, optionally filtered by level and county, by code.
    public func parks(level: String? = nil, county: String? = nil) throws -> [ParkSummary] {
        try parkSummaries(
            level: try level.map { try ParkLevel.parse($0, field: "level").rawValue },
            county: county.map { TextNormalization.halfwidthTrimmed($0) },
            code: nil
        )
    }

    /// One park by code or exact name.
    public func park(_ reference: String) throws -> ParkSummary {
        guard let code = try ReferenceResolver(db: db).park(reference),
            let summary = try parkSummaries(level: nil, county: nil, code: code).first
        else {
            throw InvalidValue(field: "code", value: reference, reason: "is empty; give a park code or name")
        }
        return summary
    }

    private func parkSummaries(level: String?, county: String?, code: String?) throws -> [ParkSummary] {
        let arguments: [SQLValue] = [level.sqlValue, county.sqlValue, code.sqlValue]
        return try db.rows(
            """
            SELECT k.code, k.name, k.level, k.county, k.notes,
                   count(p.code) AS project_count,
                   coalesce(sum(p.planned_investment_fen), 0) AS planned_fen
            FROM park k LEFT JOIN project p ON p.park_code = k.code AND p.stage <> 'cancelled'
            WHERE (?1 IS NULL OR k.level = ?1) AND (?2 IS NULL OR k.county = ?2) AND (?3 IS NULL OR k.code = ?3)
            GROUP BY k.code
            ORDER BY k.code
            """, arguments
        ).map(ParkSummary.init(row:))
    }

    /// Enterprises by USCC, optionally only those of one city.
    public func enterprises(city: String? = nil) throws -> [Enterprise] {
        var enterprises: [Enterprise] = []
        try forEachEnterprise(city: city) { enterprises.append($0) }
        return enterprises
    }

    /// Enterprises by name, one at a time as they are read (the name index gives the order).
    public func forEachEnterprise(city: String? = nil, _ body: (Enterprise) throws -> Void) throws {
        try db.forEachRow(
            "\(Enterprise.table.selectSQL) WHERE (?1 IS NULL OR city = ?1) ORDER BY name",
            [city.map { TextNormalization.halfwidthTrimmed($0) }.sqlValue]
        ) { try body(Enterprise(row: $0)) }
    }

    /// One enterprise by USCC or exact name.
    public func enterprise(_ reference: String) throws -> Enterprise {
        guard let uscc = try ReferenceResolver(db: db).enterprise(reference),
            let enterprise = try db.record(Enterprise.self, key: [.text(uscc.value)])
        else {
            throw InvalidValue(field: "uscc", value: reference, reason: "is empty; give a unified social credit code or name")
        }
        return enterprise
    }

    /// Projects of one enterprise, by signing date.
    public func projects(ofEnterprise uscc: USCC) throws -> [Project] {
        try db.rows("\(Project.table.selectSQL) WHERE enterprise_uscc = ? ORDER BY signed_on, code", [.text(uscc.value)])
            .map(Project.init(row:))
    }

    /// The sector catalogue, key emerging fields first.
    public func sectors() throws -> [Sector] {
        try db.rows("SELECT key, name_zh, name_en, key_emerging FROM sector ORDER BY key_emerging DESC, rowid")
            .map(Sector.init(row:))
    }
}

extension ParkSummary {
    init(row: Row) throws {
        self.init(
            park: try Park(row: row), projectCount: try row.get("project_count"),
            plannedInvestment: Money(fen: try row.get("planned_fen")))
    }
}

extension Registry {
    /// Targets, of one year or all, by year, metric and scope.
    public func targets(year: Int? = nil) throws -> [Target] {
        try Target.stored(year: year, in: db)
    }
}
