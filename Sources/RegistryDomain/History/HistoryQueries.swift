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
        var changes: [LoggedChange] = []
        try forEachChange(filter) { changes.append($0) }
        return changes
    }

    /// Entries matching `filter`, oldest first, one at a time as they are
    /// read: memory stays flat however many there are (with a limit, it holds
    /// that many, since the newest are found first).
    public func forEachChange(_ filter: LogFilter, _ body: (LoggedChange) throws -> Void) throws {
        if let table = filter.table, entities.table(named: table) == nil {
            throw InvalidValue(field: "table", value: table, reason: "is not a recorded table; accepted: \(Self.recordedTableNames.joined(separator: ", "))")
        }
        var query = ChangeQuery()
        if let table = filter.table {
            query.add { "\($0.entry).table_name = \($0.next())" }
            query.arguments.append(.text(table))
        }
        if let key = filter.key {
            let forms = Self.keyForms(key)
            query.add { columns in "\(columns.entry).row_key IN (\(forms.map { _ in columns.next() }.joined(separator: ", ")))" }
            query.arguments += forms.map(SQLValue.text)
        }
        if let actor = filter.actor {
            query.add { "\($0.set).actor = \($0.next())" }
            query.arguments.append(.text(actor))
        }
        if let since = filter.since {
            query.add { "\($0.set).at >= \($0.next())" }
            query.arguments.append(.text(since.description))
        }
        if let until = filter.until {
            query.add { "substr(\($0.set).at, 1, 10) <= \($0.next())" }
            query.arguments.append(.text(until.description))
        }
        try read { try ChangeReader(db: db, entities: entities).forEach(query, limit: filter.limit, body) }
    }

    /// Every change to one record, oldest first. A project's history includes
    /// its stage changes.
    public func history(table: String, key: String) throws -> [LoggedChange] {
        var changes: [LoggedChange] = []
        try forEachHistoryChange(table: table, key: key) { changes.append($0) }
        return changes
    }

    /// Every change to one record, oldest first, one at a time as read;
    /// with a limit, only the newest `limit`.
    public func forEachHistoryChange(table: String, key: String, limit: Int? = nil, _ body: (LoggedChange) throws -> Void) throws {
        guard entities.table(named: table) != nil else {
            throw InvalidValue(field: "table", value: table, reason: "is not a recorded table; accepted: \(Self.recordedTableNames.joined(separator: ", "))")
        }
        let forms = Self.keyForms(key)
        var query = ChangeQuery()
        query.arguments = [.text(table)] + forms.map(SQLValue.text)
        if table == Project.table.name {
            // Stage keys are ["<code>","<stage>"]: a range on the key's text prefix uses the index.
            let prefix = String(CanonicalJSON.array([.text(TextNormalization.halfwidthTrimmed(key))]).dropLast()) + ","
            query.arguments += [.text(prefix), .text(prefix + "\u{10FFFF}")]
        }
        query.add { columns in
            let keys = (1...forms.count).map { "?\($0 + 1)" }.joined(separator: ", ")
            var condition = "(\(columns.entry).table_name = ?1 AND \(columns.entry).row_key IN (\(keys)))"
            if table == Project.table.name {
                condition +=
                    " OR (\(columns.entry).table_name = 'project_stage' AND \(columns.entry).row_key >= ?\(forms.count + 2) AND \(columns.entry).row_key < ?\(forms.count + 3))"
            }
            return "(\(condition))"
        }
        try read { try ChangeReader(db: db, entities: entities).forEach(query, limit: limit, body) }
    }

    /// Years ever closed, with who last closed or reopened them.
    public func yearStatuses() throws -> [YearStatus] {
        try read {
            try db.rows("SELECT year, closed, reason, head_seq, head_hash FROM year_close ORDER BY year").map { row in
                let year: Int = try row.get("year")
                var query = ChangeQuery()
                query.add { "\($0.entry).table_name = 'year_close' AND \($0.entry).row_key = \($0.next())" }
                query.arguments = [.text(CanonicalJSON.array([.integer(Int64(year))]))]
                var last: LoggedChange?
                try ChangeReader(db: db, entities: entities).forEach(query, limit: 1) { last = $0 }
                return YearStatus(
                    year: year, closed: try row.get("closed"), reason: try row.get("reason"),
                    head: LogHead(seq: try row.get("head_seq"), hash: try row.get("head_hash")),
                    by: last?.entry.actor ?? "", at: last?.entry.at ?? "")
            }
        }
    }

    /// `registry verify`: the chain, the rows, the schema and (optionally) an anchor, on one snapshot.
    public func verify(anchor: LogHead? = nil) throws -> VerifyReport {
        try read { try Verifier(db: db, entities: entities).run(anchor: anchor) }
    }

    /// The stored forms a typed key may have: its `/`-separated parts as
    /// text, and with the numeric parts as integers (a target's year).
    static func keyForms(_ typed: String) -> [String] {
        let parts = typed.split(separator: "/", omittingEmptySubsequences: false).map { TextNormalization.halfwidthTrimmed(String($0)) }
        let asText = CanonicalJSON.array(parts.map(SQLValue.text))
        let withNumbers = CanonicalJSON.array(parts.map { part in Int64(part).map(SQLValue.integer) ?? .text(part) })
        return asText == withNumbers ? [asText] : [asText, withNumbers]
    }
}
