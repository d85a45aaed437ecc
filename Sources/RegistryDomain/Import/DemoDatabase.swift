import Foundation
import RegistryStorage

/// The database `registry demo` makes: the seeds in a fresh file, marked as a
/// demo so that the next demo may replace it, and nothing else ever is.
public enum DemoDatabase {
    /// Written to the SQLite header's user_version field ("DEMO"); registry
    /// never sets that field otherwise.
    static let marker: Int64 = 0x4445_4D4F

    /// Whether the file at `path` is a database an earlier demo made.
    public static func isDemo(at path: String) -> Bool {
        guard let db = try? Database(path: path, mode: .readOnly) else { return false }
        return (try? db.scalar("PRAGMA user_version", as: Int64.self)) == marker
    }

    /// Creates the demo database at `path`, replacing an earlier demo there.
    ///
    /// - throws: `ValidationError` (field `db`) when `path` holds anything else.
    public static func create(at path: String, actor: String) throws -> (registry: Registry, counts: SeedLoader.Counts) {
        if FileManager.default.fileExists(atPath: path) {
            guard isDemo(at: path) else {
                throw ValidationError(field: "db", value: path, reason: "exists and is not a demo database; the demo never overwrites other data, so give another --db")
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
