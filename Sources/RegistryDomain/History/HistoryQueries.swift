import RegistryStorage

/// Which change-log entries `registry log` shows.
public struct LogFilter: Sendable {
    public var table: String?
    /// A record's key as typed: `SW-2025-001`, or `2025/projects/all` for a target.
    public var key: String?
    public var actor: String?
    /// First and last day (inclusive) of the entries' UTC dates.
    public var since: ISODate?
    public var until: ISODate?
    public var limit: Int?

    public init(table: String? = nil, key: String? = nil, actor: String? = nil, since: ISODate? = nil, until: ISODate? = nil, limit: Int? = nil) {
        self.table = table
        self.key = key
        self.actor = actor
        self.since = since
        self.until = until
        self.limit = limit
    }
}

/// An entry with what it changed, column by column.
public struct LoggedChange: Sendable {
    public struct Difference: Sendable, Equatable {
        public let column: String
        /// JSON text of the value (`"深汕"`, `1200`, `null`); nil when the row did not exist.
        public let before: String?
        public let after: String?
    }

    public let entry: ChangeEntry
    /// For an update, the columns that changed; for an insert or delete, every non-null column.
    public let differences: [Difference]
}

/// A closed (or reopened) year as `registry year list` shows it.
public struct YearStatus: Sendable {
    public let year: Int
    public let closed: Bool
    public let reason: String
    public let head: LogHead
    /// Who closed or reopened it last, and when (from the change log).
    public let by: String
    public let at: String
}

extension Registry {
    /// The tables the change log records, for `registry log --table`.
    public static var recordedTableNames: [String] { EntitySet.builtIn.tables.map(\.name) }

    /// The newest entry of the change log: what `registry anchor` publishes.
    public func logHead() throws -> LogHead {
        try ChangeLog.head(in: db)
    }

    /// Entries matching `filter`, oldest first.
    public func changes(_ filter: LogFilter) throws -> [LoggedChange] {
        if let table = filter.table, entities.table(named: table) == nil {
            throw InvalidValue(field: "table", value: table, reason: "is not a recorded table; accepted: \(Self.recordedTableNames.joined(separator: ", "))")
        }
        var conditions: [String] = []
        var arguments: [SQLValue] = []
        if let table = filter.table {
            conditions.append("table_name = ?")
            arguments.append(.text(table))
        }
        if let key = filter.key {
            let forms = Self.keyForms(key)
            conditions.append("row_key IN (\(forms.map { _ in "?" }.joined(separator: ", ")))")
            arguments += forms.map(SQLValue.text)
        }
        if let actor = filter.actor {
            conditions.append("actor = ?")
            arguments.append(.text(actor))
        }
        if let since = filter.since {
            conditions.append("at >= ?")
            arguments.append(.text(since.description))
        }
        if let until = filter.until {
            conditions.append("substr(at, 1, 10) <= ?")
            arguments.append(.text(until.description))
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // With a limit, the newest entries are wanted (like `tail`), shown oldest first.
        let sql: String
        if let limit = filter.limit {
            sql = "SELECT * FROM (\(Self.entrySelect) \(whereClause) ORDER BY seq DESC LIMIT \(max(0, limit))) ORDER BY seq"
        } else {
            sql = "\(Self.entrySelect) \(whereClause) ORDER BY seq"
        }
        return try read { try db.rows(sql, arguments).map(loggedChange) }
    }

    /// Every change to one record, oldest first. A project's history includes
    /// its stage changes.
    public func history(table: String, key: String) throws -> [LoggedChange] {
        guard entities.table(named: table) != nil else {
            throw InvalidValue(field: "table", value: table, reason: "is not a recorded table; accepted: \(Self.recordedTableNames.joined(separator: ", "))")
        }
        let forms = Self.keyForms(key)
        let placeholders = forms.map { _ in "?" }.joined(separator: ", ")
        var sql = "\(Self.entrySelect) WHERE (table_name = ? AND row_key IN (\(placeholders)))"
        var arguments: [SQLValue] = [.text(table)] + forms.map(SQLValue.text)
        if table == Project.table.name {
            sql += " OR (table_name = 'project_stage' AND row_key >= ? AND row_key < ?)"
            // Stage keys are ["<code>","<stage>"]: a range on the key's text prefix uses the index.
            let prefix = String(CanonicalJSON.array([.text(TextNormalization.halfwidthTrimmed(key))]).dropLast()) + ","
            arguments += [.text(prefix), .text(prefix + "\u{10FFFF}")]
        }
        return try read { try db.rows(sql + " ORDER BY seq", arguments).map(loggedChange) }
    }

    /// Years ever closed, with who last closed or reopened them.
    public func yearStatuses() throws -> [YearStatus] {
        try read {
            try db.rows(
                """
                SELECT y.year, y.closed, y.reason, y.head_seq, y.head_hash, l.actor, l.at
                FROM year_close AS y
                JOIN change_log AS l ON l.seq = (SELECT max(seq) FROM change_log WHERE table_name = 'year_close' AND row_key = json_array(y.year))
                ORDER BY y.year
                """
            ).map { row in
                YearStatus(
                    year: try row.get("year"), closed: try row.get("closed"), reason: try row.get("reason"),
                    head: LogHead(seq: try row.get("head_seq"), hash: try row.get("head_hash")),
                    by: try row.get("actor"), at: try row.get("at"))
            }
        }
    }

    /// `registry verify`: the chain, the rows, the schema and (optionally) an anchor, on one snapshot.
    public func verify(anchor: LogHead? = nil) throws -> VerifyReport {
        try read { try Verifier(db: db, entities: entities).run(anchor: anchor) }
    }

    private static let entrySelect = "SELECT seq, at, actor, command, table_name, row_key, before, after, hash FROM change_log"

    /// The stored forms a typed key may have: its `/`-separated parts as
    /// text, and with the numeric parts as integers (a target's year).
    static func keyForms(_ typed: String) -> [String] {
        let parts = typed.split(separator: "/", omittingEmptySubsequences: false).map { TextNormalization.halfwidthTrimmed(String($0)) }
        let asText = CanonicalJSON.array(parts.map(SQLValue.text))
        let withNumbers = CanonicalJSON.array(parts.map { part in Int64(part).map(SQLValue.integer) ?? .text(part) })
        return asText == withNumbers ? [asText] : [asText, withNumbers]
    }

    private func loggedChange(_ row: Row) throws -> LoggedChange {
        let entry = ChangeEntry(
            seq: try row.get("seq"), at: try row.get("at"), actor: try row.get("actor"), command: try row.get("command"),
            table: try row.get("table_name"), key: try row.get("row_key"), before: try row.get("before"),
            after: try row.get("after"), hash: try row.get("hash")
        )
        let differences = try db.rows(
            """
            SELECT coalesce(a.key, b.key) AS column,
                   CASE WHEN a.key IS NOT NULL THEN json_quote(a.value) END AS before,
                   CASE WHEN b.key IS NOT NULL THEN json_quote(b.value) END AS after
            FROM json_each(?1) AS a FULL JOIN json_each(?2) AS b ON b.key = a.key
            WHERE CASE WHEN ?1 IS NULL OR ?2 IS NULL THEN coalesce(a.type, b.type) <> 'null'
                       ELSE a.type IS NOT b.type OR a.value IS NOT b.value END
            ORDER BY coalesce(a.id, b.id)
            """, [entry.before.map(SQLValue.text) ?? .null, entry.after.map(SQLValue.text) ?? .null]
        ).map { difference in
            LoggedChange.Difference(column: try difference.get("column"), before: try difference.get("before"), after: try difference.get("after"))
        }
        return LoggedChange(entry: entry, differences: differences)
    }
}
