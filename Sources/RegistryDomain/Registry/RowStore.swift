import RegistryStorage

/// The single place where registry rows are inserted, updated or deleted.
///
/// Every command's writes reach the database through `RegistryWriter`, and every
/// `RegistryWriter` method through here. That is what makes validation, the
/// closed-year rule and the change history impossible to bypass: each change
/// is checked against closed years, made, and appended to the change log, in
/// the caller's transaction.
final class RowStore {
    let db: Database
    let log: ChangeRecorder
    /// Closed years and why, read once per transaction.
    private var closedYears: [Int: String]?
    /// This registry's site and the sites it knows, read once per transaction.
    private var siteContext: SiteContext?

    init(db: Database, context: WriteContext) {
        self.db = db
        self.log = ChangeRecorder(db: db, context: context)
    }

    func insert<Record: StoredRecord>(_ record: Record) throws {
        try checkOpen(record)
        try checkOwned(Record.table, key: record.key, creating: true)
        try db.execute(Record.table.insertSQL, record.values)
        try log.append(Record.table, key: record.key, before: nil, after: record.values)
    }

    /// Writes `after` over the row that has `before`'s key (which must be `after`'s too).
    /// Returns false, writing nothing, when nothing changed.
    @discardableResult
    func update<Record: StoredRecord & Equatable>(from before: Record, to after: Record) throws -> Bool {
        precondition(before.key == after.key, "a record's key never changes")
        guard before != after else { return false }
        if !Record.isYearNeutral(from: before, to: after) {
            try checkOpen(before)
            try checkOpen(after)
        }
        try checkOwned(Record.table, key: after.key, creating: false)
        try db.execute(Record.table.updateSQL, after.values + after.key)
        precondition(db.changes == 1, "update of \(Record.table.name) \(after.key) changed \(db.changes) rows")
        try log.append(Record.table, key: after.key, before: before.values, after: after.values)
        return true
    }

    /// Deletes the row with `record`'s key.
    func delete<Record: StoredRecord>(_ record: Record) throws {
        try checkOpen(record)
        try checkOwned(Record.table, key: record.key, creating: false)
        try db.execute(Record.table.deleteSQL, record.key)
        precondition(db.changes == 1, "delete of \(Record.table.name) \(record.key) changed \(db.changes) rows")
        if try site().syncEnabled { try Ownership.forgetOrigin(table: Record.table.name, key: record.key, in: db) }
        try log.append(Record.table, key: record.key, before: record.values, after: nil)
    }

    /// Loads one record by primary key.
    func find<Record: StoredRecord>(_ type: Record.Type, key: [SQLValue]) throws -> Record? {
        try db.record(type, key: key)
    }

    /// This registry's site, as read once in this transaction.
    func site() throws -> SiteContext {
        if let siteContext { return siteContext }
        let found = try SiteContext.read(db)
        siteContext = found
        return found
    }

    /// Forgets the site (after a site is registered or the code is set).
    func forgetSite() { siteContext = nil }

    /// Refuses a change this site may not make (`Ownership`).
    private func checkOwned(_ table: TableSchema, key: [SQLValue], creating: Bool) throws {
        try Ownership.checkLocalWrite(table: table, key: key, creating: creating, site: try site(), db: db)
    }

    /// Refuses a change to a record of a closed year.
    func checkOpen<Record: StoredRecord>(_ record: Record) throws {
        try checkOpen(record.closingYear, what: "\(Message.term(Record.table.name)) \(CanonicalJSON.keyText(values: record.key))")
    }

    /// Refuses a change to `what`, of the year `closing` names, if that year is closed.
    func checkOpen(_ closing: ClosingYear?, what: Message) throws {
        guard let closing else { return }
        if closedYears == nil {
            closedYears = try Dictionary(
                uniqueKeysWithValues: db.rows("SELECT year, reason FROM year_close WHERE closed = 1").map {
                    (try $0.get("year", as: Int.self), try $0.get("reason", as: String.self))
                })
        }
        guard let reason = closedYears?[closing.year] else { return }
        throw InvalidValue(
            field: closing.field, value: closing.value,
            reason: "\(what) belongs to \(closing.year), which is closed (\(reason)); reopen it first", nextStep: .reopenYear(closing.year)
        )
    }

    /// Forgets what was read about closed years (after a year is closed or reopened).
    func forgetClosedYears() { closedYears = nil }
}
