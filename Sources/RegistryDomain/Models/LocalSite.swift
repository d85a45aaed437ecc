import RegistryStorage

/// This database's own site code (`HQ`), which the ids it mints carry
/// (`A-HQ-2025-0001`). Migration 0004 writes its one row.
enum LocalSite {
    /// Recorded so that `verify` accounts for the row.
    static let entity = Entity(
        table: TableSchema(name: "local_site", primaryKey: ["singleton"], columns: ["singleton", "code"]))
}
