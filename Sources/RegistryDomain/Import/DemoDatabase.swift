import Foundation
import RegistryStorage

/// The database `registry demo` makes: the seeds in a fresh file, marked as a
/// demo so that the next demo may replace it, and nothing else ever is.
public enum DemoDatabase {
    /// Written to the SQLite header's user_version field ("DEMO"); registry
    /// never sets that field otherwise.
    static let marker: Int64 = 0x4445_4D4F

    /// The commands that write a demo's log: the migrations' baseline and the seeding.
    static let ownCommands = ["demo", ChangeLog.baselineCommand, RegistryIdentity.mintCommand]

    /// Whether the file at `path` is a database an earlier demo made: the
    /// header's marker **and** a change log that holds only the demo's own
    /// changes. The marker alone is one integer anyone can set
    /// (`PRAGMA user_version`); a registry with real records is never taken
    /// for a demo, whatever its header says.
    public static func isDemo(at path: String) -> Bool {
        guard let db = try? Database(path: path, mode: .readOnly, walJournal: false),
            (try? db.scalar("PRAGMA user_version", as: Int64.self)) == marker
        else { return false }
        return (try? db.transaction(.deferred) { try logHoldsOnlyDemo(db) }) == true
    }

    /// True when the change log exists, is not empty, and every entry (every
    /// change set, in the compact log) was written by the demo (commands
    /// compared as bytes, by SQLite).
    static func logHoldsOnlyDemo(_ db: Database) throws -> Bool {
        let placeholders = ownCommands.map { _ in "?" }.joined(separator: ", ")
        var entries = 0
        var foreign = 0
        let sources = ["change_log"] + (try ChangeLog.isCompact(db) ? ["change_set"] : [])
        for source in sources {
            guard
                let row = try db.row(
                    "SELECT count(*) AS entries, count(*) FILTER (WHERE command NOT IN (\(placeholders))) AS foreign_entries FROM \(source)",
                    ownCommands.map { .text($0) }
                )
            else { return false }
            entries += try row.get("entries", as: Int.self)
            foreign += try row.get("foreign_entries", as: Int.self)
        }
        return entries > 0 && foreign == 0
    }

    /// Creates the demo database at `path`, replacing an earlier demo there.
    ///
    /// - throws: `InvalidValue` (field `db`) when `path` holds anything else.
    public static func create(at path: String, actor: String) throws -> (registry: Registry, counts: SeedLoader.Counts) {
        if FileManager.default.fileExists(atPath: path) {
            guard isDemo(at: path) else {
                throw InvalidValue(
                    field: "db", value: path, reason: "exists and is not a demo database; the demo never overwrites other data", nextStep: .otherDatabase)
            }
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.removeItem(atPath: path + suffix)
            }
        }
        let registry = try Registry.create(at: path).registry
        let counts = try SeedLoader.load(into: registry, actor: actor, command: "demo")
        try registry.db.executeScript("PRAGMA user_version = \(marker)")
        return (registry, counts)
    }
}
