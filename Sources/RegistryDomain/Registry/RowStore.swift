import RegistryStorage

/// The single place where registry rows are inserted, updated or deleted.
///
/// Every command's writes reach the database through `RegistryWriter`, and every
/// `RegistryWriter` method through here. That is what lets validation and the
/// change history (which will be appended here, in the same transaction) be
/// impossible to bypass.
struct RowStore {
    let db: Database

    func insert<Record: StoredRecord>(_ record: Record) throws {
        let table = Record.table
        let placeholders = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
        try db.execute(
            "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES (\(placeholders))",
            record.values
        )
    }

    /// Writes `after` over the row that has `before`'s key (which must be `after`'s too).
    /// Returns false, writing nothing, when nothing changed.
    @discardableResult
    func update<Record: StoredRecord & Equatable>(from before: Record, to after: Record) throws -> Bool {
        precondition(before.key == after.key, "a record's key never changes")
        guard before != after else { return false }
        let table = Record.table
        let assignments = table.columns.map { "\($0) = ?" }.joined(separator: ", ")
        try db.execute(
            "UPDATE \(table.name) SET \(assignments) WHERE \(table.keyCondition)",
            after.values + after.key
        )
        precondition(db.changes == 1, "update of \(table.name) \(after.key) changed \(db.changes) rows")
        return true
    }

    /// Loads one record by primary key.
    func find<Record: StoredRecord>(_ type: Record.Type, key: [SQLValue]) throws -> Record? {
        try db.row("\(Record.table.selectSQL) WHERE \(Record.table.keyCondition)", key).map(Record.init(row:))
    }
}
