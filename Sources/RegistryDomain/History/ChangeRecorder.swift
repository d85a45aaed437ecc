import Foundation
import RegistryStorage

/// Appends entries to the change log for one write transaction.
///
/// Knows the head (the newest entry's number and hash), read once per
/// transaction: the write lock (`BEGIN IMMEDIATE`) is held from before that
/// read until commit, so no other writer can append in between.
///
/// Since migration 0007 a transaction's entries form one change set
/// (`change_set`, written with the first entry) and each entry stores only
/// what it changed (see the migration). The data steps of migrations 0005
/// and 0006 run before that and write `change_log` entries.
final class ChangeRecorder {
    let db: Database
    let context: WriteContext
    /// The newest entry's number and hash bytes, once read (kept as bytes:
    /// its hex form is made only when someone asks for `head`).
    private var headSeq: Int64?
    private var headBytes: [UInt8] = []
    private var compact: Bool?
    /// The open change set: its number and hash (nil until the first entry).
    private var changeSet: (id: Int64, hash: [UInt8])?

    static let legacyInsertSQL = """
        INSERT INTO change_log (seq, at, actor, command, table_name, row_key, before, after, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let setInsertSQL = "INSERT INTO change_set (id, at, actor, command, site, hash) VALUES (?, ?, ?, ?, ?, ?)"
    static let entryInsertSQL = "INSERT INTO change_entry (seq, set_id, table_name, row_key, before, after, hash) VALUES (?, ?, ?, ?, ?, ?, ?)"

    init(db: Database, context: WriteContext) {
        self.db = db
        self.context = context
    }

    var head: LogHead {
        get throws {
            LogHead(seq: try currentSeq(), hash: EntryHash.hex(headBytes))
        }
    }

    private func currentSeq() throws -> Int64 {
        if let headSeq { return headSeq }
        let head = try ChangeLog.head(in: db)
        headSeq = head.seq
        headBytes = EntryHash.hexBytes(head.hash)
        return head.seq
    }

    private var isCompact: Bool {
        get throws {
            if let compact { return compact }
            let found = try ChangeLog.isCompact(db)
            compact = found
            return found
        }
    }

    /// Records one row change given as column values: in a compact entry,
    /// an insert's or a delete's whole row as a JSON array, an update's
    /// changed columns as two JSON objects.
    func append(_ table: TableSchema, key: [SQLValue], before: [SQLValue]?, after: [SQLValue]?) throws {
        guard try isCompact else {
            try appendLegacy(
                table: table.name, key: CanonicalJSON.array(key),
                before: before.map { CanonicalJSON.object(columns: table.columns, values: $0) },
                after: after.map { CanonicalJSON.object(columns: table.columns, values: $0) })
            return
        }
        let keyText = CanonicalJSON.array(key)
        switch (before, after) {
        case (let before?, let after?):
            let changed = table.columns.indices.filter { before[$0] != after[$0] }
            let columns = changed.map { table.columns[$0] }
            try appendCompact(
                table: table.name, key: keyText,
                before: CanonicalJSON.object(columns: columns, values: changed.map { before[$0] }),
                after: CanonicalJSON.object(columns: columns, values: changed.map { after[$0] }))
        case (nil, let after?):
            try appendCompact(table: table.name, key: keyText, before: nil, after: CanonicalJSON.array(after))
        case (let before?, nil):
            try appendCompact(table: table.name, key: keyText, before: CanonicalJSON.array(before), after: nil)
        case (nil, nil):
            preconditionFailure("a change has a row before or after it")
        }
    }

    /// Records one row change given in its canonical text, in `change_log`
    /// (the data steps of migrations 0005 and 0006, which run before 0007).
    func appendLegacy(table: String, key: String, before: String?, after: String?) throws {
        let previous = try head
        let seq = previous.seq + 1
        let hash = EntryHash.compute(
            seq: seq, at: context.time, actor: context.actor, command: context.command,
            table: table, key: key, before: before, after: after, previous: previous.hash)
        try db.execute(
            Self.legacyInsertSQL,
            [
                .integer(seq), .text(context.time), .text(context.actor), .text(context.command), .text(table),
                .text(key), before.map(SQLValue.text) ?? .null, after.map(SQLValue.text) ?? .null, .text(hash),
            ])
        headSeq = seq
        headBytes = EntryHash.hexBytes(hash)
    }

    private func appendCompact(table: String, key: String, before: String?, after: String?) throws {
        let seq = try currentSeq() + 1
        let set = try openSet()
        let hash = EntryHash.entry(
            seq: seq, setID: set.id, setHash: set.hash, table: table, key: key, before: before, after: after, previous: headBytes)
        try db.execute(
            Self.entryInsertSQL,
            [
                .integer(seq), .integer(set.id), .text(table), .text(key),
                before.map(SQLValue.text) ?? .null, after.map(SQLValue.text) ?? .null, .blob(Data(hash)),
            ])
        headSeq = seq
        headBytes = hash
    }

    /// The change set this transaction opened, if it wrote an entry yet.
    var openSetID: Int64? { changeSet?.id }

    /// The transaction's change set, written before its first entry.
    private func openSet() throws -> (id: Int64, hash: [UInt8]) {
        if let changeSet { return changeSet }
        let id = (try db.scalar("SELECT coalesce(max(id), 0) FROM change_set", as: Int64.self) ?? 0) + 1
        guard let site = try db.scalar("SELECT id FROM registry_identity", as: String.self) else {
            throw UnexpectedStoredValue(column: "registry_identity.id", value: "(no row)", expected: "the one row migration 0006 makes")
        }
        let hash = EntryHash.set(id: id, at: context.time, actor: context.actor, command: context.command, site: site)
        try db.execute(Self.setInsertSQL, [.integer(id), .text(context.time), .text(context.actor), .text(context.command), .text(site), .blob(Data(hash))])
        changeSet = (id, hash)
        return (id, hash)
    }
}

/// Reads of the change log that writers and readers share.
enum ChangeLog {
    /// The newest entry, or `LogHead.genesis` for an empty log.
    static func head(in db: Database) throws -> LogHead {
        if try isCompact(db), let row = try db.row("SELECT seq, hash FROM change_entry ORDER BY seq DESC LIMIT 1") {
            return LogHead(seq: try row.get("seq"), hash: EntryHash.hex(try row.get("hash", as: Data.self)))
        }
        guard let row = try db.row("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1") else { return .genesis }
        return LogHead(seq: try row.get("seq"), hash: try row.get("hash"))
    }

    /// Whether the compact log of migration 0007 exists (`change_set`, `change_entry`).
    static func isCompact(_ db: Database) throws -> Bool {
        try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'change_entry'", as: Int.self) == 1
    }

    /// Migration 0005's data step: one entry for every row that exists when
    /// the log begins (the rows a migration wrote, or an older registry's
    /// data), so that replaying the log gives the tables from then on.
    ///
    /// Uses the recorded tables' columns as this program knows them; a later
    /// migration that adds a column must log its own change to the rows.
    /// The command recorded with the baseline entries.
    static let baselineCommand = "baseline (migration 0005)"

    static func recordBaseline(_ db: Database) throws {
        let recorder = ChangeRecorder(db: db, context: WriteContext(actor: "registry", command: baselineCommand))
        // Only the tables that exist at migration 0005: a later migration's
        // table logs its own rows (registry_identity, 0006).
        let existing = Set(try db.rows("SELECT name FROM sqlite_schema WHERE type = 'table'").map { ExactText(try $0.get("name", as: String.self)) })
        for table in RecordedTables.all where existing.contains(ExactText(table.name)) {
            try RecordedTables.forEachRow(of: table, in: db) { key, row in
                try recorder.appendLegacy(table: table.name, key: key, before: nil, after: row)
            }
        }
    }
}
