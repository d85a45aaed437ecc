import RegistryStorage

/// Appends entries to the change log for one write transaction.
///
/// Knows the head (the newest entry's number and hash), read once per
/// transaction: the write lock (`BEGIN IMMEDIATE`) is held from before that
/// read until commit, so no other writer can append in between.
final class ChangeRecorder {
    let db: Database
    let context: WriteContext
    private var cachedHead: LogHead?

    static let insertSQL = """
        INSERT INTO change_log (seq, at, actor, command, table_name, row_key, before, after, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    init(db: Database, context: WriteContext) {
        self.db = db
        self.context = context
    }

    var head: LogHead {
        get throws {
            if let cachedHead { return cachedHead }
            let head = try ChangeLog.head(in: db)
            cachedHead = head
            return head
        }
    }

    /// Records one row change given as column values.
    func append(_ table: TableSchema, key: [SQLValue], before: [SQLValue]?, after: [SQLValue]?) throws {
        try append(
            table: table.name, key: CanonicalJSON.array(key),
            before: before.map { CanonicalJSON.object(columns: table.columns, values: $0) },
            after: after.map { CanonicalJSON.object(columns: table.columns, values: $0) }
        )
    }

    /// Records one row change given in its canonical text.
    func append(table: String, key: String, before: String?, after: String?) throws {
        let previous = try head
        let seq = previous.seq + 1
        let hash = EntryHash.compute(
            seq: seq, at: context.time, actor: context.actor, command: context.command,
            table: table, key: key, before: before, after: after, previous: previous.hash)
        try db.execute(
            Self.insertSQL,
            [
                .integer(seq), .text(context.time), .text(context.actor), .text(context.command), .text(table),
                .text(key), before.map(SQLValue.text) ?? .null, after.map(SQLValue.text) ?? .null, .text(hash),
            ])
        cachedHead = LogHead(seq: seq, hash: hash)
    }
}

/// Reads of the change log that writers and readers share.
enum ChangeLog {
    /// The newest entry, or `LogHead.genesis` for an empty log.
    static func head(in db: Database) throws -> LogHead {
        guard let row = try db.row("SELECT seq, hash FROM change_log ORDER BY seq DESC LIMIT 1") else { return .genesis }
        return LogHead(seq: try row.get("seq"), hash: try row.get("hash"))
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
                try recorder.append(table: table.name, key: key, before: nil, after: row)
            }
        }
    }
}
