import RegistryStorage

/// The single write path: every change any command makes is a call here,
/// inside the transaction opened by `Registry.write`.
///
/// Each method validates its raw input (the same code for a CLI option and a
/// spreadsheet cell), checks references and rules against the database, and
/// hands the resulting rows to `RowStore`.
public final class RegistryWriter {
    let store: RowStore
    public let context: WriteContext
    /// One per write: references looked up once are remembered, which matters
    /// for an import where thousands of rows name the same park.
    let resolver: ReferenceResolver
    /// The next number to mint for each id prefix (`A-HQ-2025-`), once looked
    /// up: an import that mints thousands of ids asks the database only once.
    var nextSequence: [String: Int] = [:]

    init(store: RowStore, context: WriteContext) {
        self.store = store
        self.context = context
        self.resolver = ReferenceResolver(db: store.db)
    }

    var db: Database { store.db }

    // MARK: Parks

    @discardableResult
    public func addPark(_ fields: ParkFields) throws -> Park {
        let park = try Park(validating: fields)
        try checkParkNameFree(park)
        try insertNew(park, entity: "park", keyField: "code", keyValue: park.code)
        return park
    }

    public func updatePark(code: String, _ fields: ParkFields) throws -> Change<Park> {
        let before = try existingPark(code)
        let after = try before.applying(fields)
        try checkParkNameFree(after)
        resolver.forget()
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    private func checkParkNameFree(_ park: Park) throws {
        if let other = try db.scalar("SELECT code FROM park WHERE name = ? AND code <> ?", [.text(park.name), .text(park.code)], as: String.self) {
            throw InvalidValue(field: "name", value: park.name, reason: "is already the name of park \(other); park names are unique")
        }
    }

    func existingPark(_ code: String) throws -> Park {
        let key = TextNormalization.halfwidthTrimmed(code)
        guard let park = try store.find(Park.self, key: [.text(key)]) else {
            throw InvalidValue(field: "code", value: FieldText.shown(code), reason: "no park has this code", nextStep: .list(.park))
        }
        return park
    }

    // MARK: Enterprises

    @discardableResult
    public func addEnterprise(_ fields: EnterpriseFields) throws -> Enterprise {
        let enterprise = try Enterprise(validating: fields)
        try checkEnterpriseNameFree(enterprise)
        try insertNew(enterprise, entity: "enterprise", keyField: "uscc", keyValue: enterprise.uscc.value)
        return enterprise
    }

    public func updateEnterprise(uscc: String, _ fields: EnterpriseFields) throws -> Change<Enterprise> {
        let code = try USCC.parse(uscc)
        guard let before = try store.find(Enterprise.self, key: [.text(code.value)]) else {
            throw InvalidValue(field: "uscc", value: code.value, reason: "no enterprise has this code", nextStep: .list(.enterprise))
        }
        let after = try before.applying(fields)
        try checkEnterpriseNameFree(after)
        resolver.forget()
        let changed = try store.update(from: before, to: after)
        return Change(before: before, after: after, changed: changed)
    }

    private func checkEnterpriseNameFree(_ enterprise: Enterprise) throws {
        if let other = try db.scalar(
            "SELECT uscc FROM enterprise WHERE name = ? AND uscc <> ?", [.text(enterprise.name), .text(enterprise.uscc.value)], as: String.self)
        {
            throw InvalidValue(field: "name", value: enterprise.name, reason: "is already the name of enterprise \(other); enterprise names are unique")
        }
    }

    /// Inserts a record whose key must be new. The constraint itself is the
    /// check (no SELECT first): one statement per row, and no race. SQLite may
    /// report another UNIQUE index (a park's name) before the primary key, so
    /// on any uniqueness failure the key decides what is reported.
    func insertNew<Record: StoredRecord>(_ record: Record, entity: String, keyField: String, keyValue: String) throws {
        do {
            try store.insert(record)
        } catch let error as SQLiteError where error.isUniqueViolation {
            if try store.find(Record.self, key: record.key) != nil {
                throw DuplicateKeyError(entity: entity, field: keyField, key: keyValue)
            }
            throw error
        }
    }

    /// An investment project needs a park, an enterprise and a sector.
    func checkComplete(_ project: Project) throws {
        guard project.kind == .investment else { return }
        for (field, missing) in [("park", project.parkCode == nil), ("enterprise", project.enterpriseUSCC == nil), ("sector", project.sectorKey == nil)]
        where missing {
            throw InvalidValue(field: field, value: "", reason: "is required for an investment project")
        }
    }
}

/// A record with this key already exists (in the database, or earlier in the
/// same write, e.g. an import file that repeats a key).
public struct DuplicateKeyError: Error, Equatable, Sendable, MessageDescribed {
    public let entity: String
    public let field: String
    public let key: String

    public var message: Message {
        "\(field) \"\(key)\": this \(entity) already exists"
    }
}

/// What an update did: the record before and after, and whether anything changed.
public struct Change<Record: Sendable>: Sendable {
    public let before: Record
    public let after: Record
    public let changed: Bool
}

/// One column an update changed, as stored: what `--dry-run --upsert` lists,
/// so that a unit slip is seen before it is written.
public struct FieldChange: Sendable, Equatable {
    /// The table's column (`planned_investment_fen`).
    public let column: String
    /// The values as staff read them: amounts in yuan to the fen, empty as `（空）`.
    public let before: String
    public let after: String

    init(column: String, before: SQLValue, after: SQLValue) {
        self.column = column
        self.before = Self.shown(before, column: column)
        self.after = Self.shown(after, column: column)
    }

    static func shown(_ value: SQLValue, column: String) -> String {
        switch value {
        case .null: return "（空）"
        case .integer(let number): return column.hasSuffix("_fen") ? Money(fen: number).formatted(.yuan) : String(number)
        case .real(let number): return String(number)
        case .text(let text): return text.isEmpty ? "（空）" : FieldText.shown(text)
        case .blob(let data): return "\(data.count) bytes"
        }
    }
}

extension Change where Record: StoredRecord {
    /// The columns whose stored values differ, compared as SQLite would store them.
    var fieldChanges: [FieldChange] {
        guard changed else { return [] }
        return zip(Record.table.columns, zip(before.values, after.values)).compactMap { column, pair in
            pair.0 == pair.1 ? nil : FieldChange(column: column, before: pair.0, after: pair.1)
        }
    }
}
