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
        try db.execute(Record.table.insertSQL, record.values)
    }

    /// Writes `after` over the row that has `before`'s key (which must be `after`'s too).
    /// Returns false, writing nothing, when nothing changed.
    @discardableResult
    func update<Record: StoredRecord & Equatable>(from before: Record, to after: Record) throws -> Bool {
        precondition(before.key == after.key, "a record's key never changes")
        guard before != after else { return false }
        try db.execute(Record.table.updateSQL, after.values + after.key)
        precondition(db.changes == 1, "update of \(Record.table.name) \(after.key) changed \(db.changes) rows")
        return true
    }

    /// Deletes the row with `record`'s key.
    func delete<Record: StoredRecord>(_ record: Record) throws {
        try db.execute(Record.table.deleteSQL, record.key)
        precondition(db.changes == 1, "delete of \(Record.table.name) \(record.key) changed \(db.changes) rows")
    }

    /// Loads one record by primary key.
    func find<Record: StoredRecord>(_ type: Record.Type, key: [SQLValue]) throws -> Record? {
        try db.row("\(Record.table.selectSQL) WHERE \(Record.table.keyCondition)", key).map(Record.init(row:))
    }
}
