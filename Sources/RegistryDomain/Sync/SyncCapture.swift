import Foundation
import RegistryStorage

/// Records what one write transaction changes in the tables this site sends
/// (`Ownership.sentTables`), with SQLite's session extension, and stores it
/// in the outbox in the same transaction: a crash keeps both or neither.
///
/// Only the business tables are attached: never the change log, the outbox,
/// `local_site`, `site` or the sync bookkeeping, which each site keeps for itself.
/// Nothing is captured until sync is on (a site is registered), so a registry
/// that never syncs pays nothing for it.
final class SyncCapture {
    private let db: Database
    private let session: Session

    static let outboxInsertSQL = "INSERT INTO sync_outbox (seq, set_id, at, changeset) VALUES (?, ?, ?, ?)"

    private init(db: Database, session: Session) {
        self.db = db
        self.session = session
    }

    /// Starts recording, or nil when this registry does not sync.
    static func begin(_ db: Database, site: SiteContext) throws -> SyncCapture? {
        guard site.syncEnabled else { return nil }
        let session = try Session(db: db)
        for table in Ownership.sentTables(headquarters: site.isHeadquarters) { try session.attach(table.name) }
        return SyncCapture(db: db, session: session)
    }

    /// Stores what was recorded (if anything) as the next outbox entry.
    func finish(setID: Int64?, at time: String) throws {
        let changeset = try session.changeset()
        guard !changeset.bytes.isEmpty else { return }
        try Self.append(changeset, setID: setID, at: time, in: db)
    }

    static func append(_ changeset: Changeset, setID: Int64?, at time: String, in db: Database) throws {
        let seq = (try db.scalar("SELECT coalesce(max(seq), 0) FROM sync_outbox", as: Int64.self) ?? 0) + 1
        try db.execute(outboxInsertSQL, [.integer(seq), setID.map { .integer($0) } ?? .null, .text(time), .blob(Data(changeset.bytes))])
    }

    /// When sync is switched on: the rows that exist in the tables this site
    /// sends, as inserts, in the outbox's first entry. A receiver that starts
    /// from nothing gets them in the first bundle.
    ///
    /// `sqlite3session_diff` against an empty copy of each table (in the temp
    /// schema, dropped at once: while it exists it hides the real table from
    /// unqualified names) gives every row as an insert.
    static func writeBaseline(_ db: Database, headquarters: Bool, at time: String) throws {
        let session = try Session(db: db)
        for table in Ownership.sentTables(headquarters: headquarters) {
            try session.attach(table.name)
            let columns = table.columns.joined(separator: ", ")
            let key = table.primaryKey.joined(separator: ", ")
            try db.executeScript("CREATE TEMP TABLE \(table.name) (\(columns), PRIMARY KEY (\(key)))")
            do {
                try session.diff(from: "temp", table: table.name)
            } catch {
                try db.executeScript("DROP TABLE temp.\(table.name)")
                throw error
            }
            try db.executeScript("DROP TABLE temp.\(table.name)")
        }
        let changeset = try session.changeset()
        guard !changeset.bytes.isEmpty else { return }
        try append(changeset, setID: nil, at: time, in: db)
    }
}
