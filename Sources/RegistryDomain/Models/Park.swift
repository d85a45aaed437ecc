import RegistryStorage

/// An industrial park that receives projects (municipal or county level).
public struct Park: Equatable, Sendable {
    public var code: String
    public var name: String
    public var level: ParkLevel
    /// The county or district the park lies in (所在县区).
    public var county: String
    public var notes: String?
}

/// A park as typed by staff: every field raw text, validated by `Park(validating:)`.
/// The CLI and the importer fill the same struct, so both take one validation path.
public struct ParkFields: Sendable {
    public var code: String?
    public var name: String?
    public var level: String?
    public var county: String?
    public var notes: String?

    public init(code: String? = nil, name: String? = nil, level: String? = nil, county: String? = nil, notes: String? = nil) {
        self.code = code
        self.name = name
        self.level = level
        self.county = county
        self.notes = notes
    }
}

extension Park {
    /// A new park from raw fields; every required field must be present.
    /// Every bad field is reported (`InvalidValues` when more than one).
    public init(validating fields: ParkFields) throws {
        var checks = FieldChecks()
        let code = try checks.check { try RecordKey.parse(try required(fields.code, "code"), field: "code", example: "SSZ-XM") }
        let name = try checks.check { try FieldText.required(try required(fields.name, "name"), field: "name") }
        let level = try checks.check { try ParkLevel.parse(try required(fields.level, "level"), field: "level") }
        let county = try checks.check { try FieldText.required(try required(fields.county, "county"), field: "county") }
        let notes = try checks.check { try FieldText.notes(fields.notes) }
        try checks.throwIfAny()
        self.init(code: code!, name: name!, level: level!, county: county!, notes: notes!)
    }

    /// This park with the given fields changed; the code is the key and never changes.
    public func applying(_ fields: ParkFields) throws -> Park {
        var park = self
        if let name = fields.name { park.name = try FieldText.required(name, field: "name") }
        if let level = fields.level { park.level = try ParkLevel.parse(level, field: "level") }
        if let county = fields.county { park.county = try FieldText.required(county, field: "county") }
        if let notes = fields.notes { park.notes = try FieldText.notes(notes) }
        return park
    }
}

extension Park: StoredRecord {
    static let table = TableSchema(name: "park", primaryKey: ["code"], columns: ["code", "name", "level", "county", "notes"])

    var key: [SQLValue] { [.text(code)] }

    var values: [SQLValue] {
        [.text(code), .text(name), .text(level.rawValue), .text(county), notes.sqlValue]
    }

    init(row: Row) throws {
        self.init(
            code: try row.get("code"), name: try row.get("name"),
            level: try ParkLevel.stored(try row.get("level")),
            county: try row.get("county"), notes: try row.get("notes")
        )
    }
}

/// Reads a required raw field, or says which one is missing.
func required(_ value: String?, _ field: String) throws -> String {
    guard let value else {
        throw InvalidValue(field: field, value: "", reason: "is required")
    }
    return value
}

extension Park {
    /// Parks: kept in sheets; a park belongs to no year, so it never freezes.
    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "parks",
            columns: [
                ImportColumn("code", ["园区编号", "园区代码"], required: true),
                ImportColumn("name", ["园区名称"], required: true),
                ImportColumn("level", ["级别", "园区级别"], required: true),
                ImportColumn("county", ["所在县区", "县区"], required: true),
                ImportColumn("notes", ["备注"]),
            ],
            add: { row, writer in _ = try writer.addPark(ParkFields(row)) },
            update: { key, row, writer in try writer.updatePark(code: key, ParkFields(row)).fieldChanges },
            export: { registry, filter, row in
                for summary in try registry.parks(level: filter.projects.level, county: filter.projects.county) {
                    let park = summary.park
                    try row([.text(park.code), .text(park.name), .text(park.level.rawValue), .text(park.county), .text(park.notes)])
                }
            }
        )
    )

    /// Never frozen: a park belongs to no year.
    var closingYear: ClosingYear? { nil }
}

extension ParkFields {
    init(_ row: ImportRow) {
        self.init(code: row("code"), name: row("name"), level: row("level"), county: row("county"), notes: row("notes"))
    }
}
