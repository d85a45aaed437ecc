import RegistryStorage

/// A bundle applied here (`sync_bundle`): its entry in the change log names
/// the bundle, its SHA-256 and the sender's log head.
public struct AppliedBundle: Equatable, Sendable {
    public let sender: String
    public let number: Int
    /// The range of the sender's outbox it carried: after `fromSeq`, up to `toSeq`.
    public let fromSeq: Int64
    public let toSeq: Int64
    public let hash: String
    public let senderHead: String
    /// How far the sender had applied this site's bundles (this site's outbox seq).
    public let acknowledges: Int64
    /// Row changes applied.
    public let changes: Int
    public let appliedAt: String
}

extension AppliedBundle: StoredRecord {
    static let table = TableSchema(
        name: "sync_bundle", primaryKey: ["sender", "number"],
        columns: ["sender", "number", "from_seq", "to_seq", "hash", "sender_head", "acknowledges", "changes", "applied_at"])

    var key: [SQLValue] { [.text(sender), .integer(Int64(number))] }

    var values: [SQLValue] {
        [
            .text(sender), .integer(Int64(number)), .integer(fromSeq), .integer(toSeq), .text(hash), .text(senderHead),
            .integer(acknowledges), .integer(Int64(changes)), .text(appliedAt),
        ]
    }

    init(row: Row) throws {
        self.init(
            sender: try row.get("sender"), number: try row.get("number"), fromSeq: try row.get("from_seq"), toSeq: try row.get("to_seq"),
            hash: try row.get("hash"), senderHead: try row.get("sender_head"), acknowledges: try row.get("acknowledges"),
            changes: try row.get("changes"), appliedAt: try row.get("applied_at"))
    }

    /// Never frozen: the rows it brought are checked against closed years one by one.
    var closingYear: ClosingYear? { nil }

    static let entity = Entity(table: table)

    /// The newest bundle applied here from each sender, by sender.
    static func newestPerSender(in db: Database) throws -> [AppliedBundle] {
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'sync_bundle'", as: Int.self) == 1 else { return [] }
        return try db.rows(
            """
            \(table.selectSQL) AS b
            WHERE number = (SELECT number FROM sync_bundle WHERE sender = b.sender ORDER BY to_seq DESC, number DESC LIMIT 1)
            ORDER BY sender
            """
        ).map(AppliedBundle.init(row:))
    }

    /// The newest bundle applied here from `sender`.
    static func last(from sender: String, in db: Database) throws -> AppliedBundle? {
        try db.row("\(table.selectSQL) WHERE sender = ? ORDER BY to_seq DESC, number DESC LIMIT 1", [.text(sender)]).map(AppliedBundle.init(row:))
    }
}

/// How a conflict with a bundle was settled (`sync_resolution`), recorded in
/// the change log before the bundle is applied with it.
public struct SyncResolution: Equatable, Sendable {
    public enum Keep: String, Sendable, CaseIterable {
        /// Keep this site's row; the sender's change to it is not applied.
        case here
        /// Take the sender's change over this site's row.
        case sender
    }

    public let bundleHash: String
    public let table: String
    /// The row's key as the change log stores it (a JSON array).
    public let rowKey: String
    public let keep: Keep
    public let note: String?
}

extension SyncResolution: StoredRecord {
    static let table = TableSchema(
        name: "sync_resolution", primaryKey: ["bundle_hash", "table_name", "row_key"],
        columns: ["bundle_hash", "table_name", "row_key", "keep", "note"])

    var key: [SQLValue] { [.text(bundleHash), .text(table), .text(rowKey)] }

    var values: [SQLValue] { [.text(bundleHash), .text(table), .text(rowKey), .text(keep.rawValue), note.sqlValue] }

    init(row: Row) throws {
        let keep: String = try row.get("keep")
        guard let choice = Keep(rawValue: keep) else {
            throw UnexpectedStoredValue(column: "sync_resolution.keep", value: keep, expected: "here or sender")
        }
        self.init(
            bundleHash: try row.get("bundle_hash"), table: try row.get("table_name"), rowKey: try row.get("row_key"), keep: choice, note: try row.get("note"))
    }

    /// Never frozen: the rows it settles are checked against closed years when applied.
    var closingYear: ClosingYear? { nil }

    static let entity = Entity(table: table)

    /// One row of one table, compared by bytes.
    static func rowIdentity(table: String, key: String) -> ExactText { ExactText(table + "\u{0}" + key) }

    /// The resolutions recorded for a bundle, by table and key.
    static func all(for bundleHash: String, in db: Database) throws -> [ExactText: Keep] {
        var found: [ExactText: Keep] = [:]
        for row in try db.rows("\(table.selectSQL) WHERE bundle_hash = ?", [.text(bundleHash)]) {
            let resolution = try SyncResolution(row: row)
            found[rowIdentity(table: resolution.table, key: resolution.rowKey)] = resolution.keep
        }
        return found
    }
}
