import RegistryStorage

/// An investing enterprise, identified by its unified social credit code.
public struct Enterprise: Equatable, Sendable {
    public var uscc: USCC
    public var name: String
    /// Where the enterprise comes from (e.g. 深圳), optional.
    public var city: String?
    public var notes: String?
}

/// An enterprise as typed by staff; see `ParkFields`.
public struct EnterpriseFields: Sendable {
    public var uscc: String?
    public var name: String?
    public var city: String?
    public var notes: String?

    public init(uscc: String? = nil, name: String? = nil, city: String? = nil, notes: String? = nil) {
        self.uscc = uscc
        self.name = name
        self.city = city
        self.notes = notes
    }
}

extension Enterprise {
    /// Every bad field is reported (`InvalidValues` when more than one).
    public init(validating fields: EnterpriseFields) throws {
        var checks = FieldChecks()
        let uscc = try checks.check { try USCC.parse(try required(fields.uscc, "uscc")) }
        let name = try checks.check { try FieldText.required(try required(fields.name, "name"), field: "name") }
        let city = try checks.check { try FieldText.optional(fields.city, field: "city") }
        let notes = try checks.check { try FieldText.notes(fields.notes) }
        try checks.throwIfAny()
        self.init(uscc: uscc!, name: name!, city: city!, notes: notes!)
    }

    /// This enterprise with the given fields changed; the USCC is the key and never changes.
    public func applying(_ fields: EnterpriseFields) throws -> Enterprise {
        var enterprise = self
        if let name = fields.name { enterprise.name = try FieldText.required(name, field: "name") }
        if let city = fields.city { enterprise.city = try FieldText.optional(city, field: "city") }
        if let notes = fields.notes { enterprise.notes = try FieldText.notes(notes) }
        return enterprise
    }
}

extension Enterprise: StoredRecord {
    static let table = TableSchema(name: "enterprise", primaryKey: ["uscc"], columns: ["uscc", "name", "city", "notes"])

    var key: [SQLValue] { [.text(uscc.value)] }

    var values: [SQLValue] { [.text(uscc.value), .text(name), city.sqlValue, notes.sqlValue] }

    init(row: Row) throws {
        self.init(
            uscc: USCC(value: try row.get("uscc")), name: try row.get("name"),
            city: try row.get("city"), notes: try row.get("notes"))
    }
}

extension Enterprise {
    /// Enterprises: kept in sheets; an enterprise belongs to no year, so it never freezes.
    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "enterprises",
            columns: [
                ImportColumn("uscc", ["统一社会信用代码", "信用代码"], required: true),
                ImportColumn("name", ["企业名称"], required: true),
                ImportColumn("city", ["所在城市", "城市"]),
                ImportColumn("notes", ["备注"]),
            ],
            add: { row, writer in _ = try writer.addEnterprise(EnterpriseFields(row)) },
            update: { key, row, writer in try writer.updateEnterprise(uscc: key, EnterpriseFields(row)).fieldChanges },
            export: { registry, filter, row in
                try registry.forEachEnterprise(city: filter.city) { enterprise in
                    try row([.text(enterprise.uscc.value), .text(enterprise.name), .text(enterprise.city), .text(enterprise.notes)])
                }
            }
        )
    )

    /// Never frozen: an enterprise belongs to no year.
    var closingYear: ClosingYear? { nil }
}

extension EnterpriseFields {
    init(_ row: ImportRow) {
        self.init(uscc: row("uscc"), name: row("name"), city: row("city"), notes: row("notes"))
    }
}
