import Foundation
import RegistryStorage

/// Which registry a database file is: a UUID minted once (migration 0006's
/// data step, when a database is created or upgraded), carried by every
/// backup. `restore` refuses a backup of another registry unless told.
public struct RegistryIdentity: Equatable, Sendable, CustomStringConvertible {
    public let id: String
    /// UTC, ISO 8601 to the second.
    public let createdAt: String

    public var description: String { id }

    static let table = TableSchema(name: "registry_identity", primaryKey: ["singleton"], columns: ["singleton", "id", "created_at"])

    /// Recorded so that `verify` accounts for the row.
    static let entity = Entity(table: table)

    /// The command recorded with the row's log entry.
    static let mintCommand = "identity (migration 0006)"

    /// Migration 0006's data step: mints the identity and logs its row.
    static func mint(_ db: Database) throws {
        let row: [SQLValue] = [.integer(1), .text(UUID().uuidString.lowercased()), .text(Migrator.utcTimestamp())]
        try db.execute(table.insertSQL, row)
        let recorder = ChangeRecorder(db: db, context: WriteContext(actor: "registry", command: mintCommand))
        try RecordedTables.forEachRow(of: table, in: db) { key, after in
            try recorder.appendLegacy(table: table.name, key: key, before: nil, after: after)
        }
    }

    /// The identity in `db`, or nil in a database older than migration 0006.
    static func read(in db: Database) throws -> RegistryIdentity? {
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'registry_identity'", as: Int.self) == 1,
            let row = try db.row("SELECT id, created_at FROM registry_identity")
        else { return nil }
        return RegistryIdentity(id: try row.get("id"), createdAt: try row.get("created_at"))
    }
}

extension Registry {
    /// This registry's identity.
    public func identity() throws -> RegistryIdentity? {
        try read { try RegistryIdentity.read(in: db) }
    }
}
