import Crypto
import Foundation

/// One numbered schema change, read from `Migrations/NNNN_description.sql`.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String
    /// SHA-256 of the SQL text, hex: how an edited migration is recognised.
    /// Computed once (every command compares all of them with the database).
    public let checksum: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        checksum = Hex.lowercase(SHA256.hash(data: Data(sql.utf8)))
    }

    /// Builds a migration from its file name, `NNNN_description.sql`.
    /// Returns nil for a name of another shape (a programmer error upstream).
    public init?(fileName: String, sql: String) {
        guard fileName.hasSuffix(".sql") else { return nil }
        let stem = fileName.dropLast(4)
        guard let separator = stem.firstIndex(of: "_"),
            let version = Int(stem[..<separator]), version > 0
        else { return nil }
        self.init(version: version, name: String(stem[stem.index(after: separator)...]), sql: sql)
    }
}

/// A migration recorded as applied in a database.
public struct AppliedMigration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let checksum: String
    public let appliedAt: String
}

/// Why a database's schema history cannot be used by this program.
public enum MigrationError: Error, Equatable, CustomStringConvertible {
    /// The database recorded a different text for a migration we also have.
    case edited(version: Int, name: String)
    /// The database holds a migration this program does not know: a newer program made it.
    case unknown(version: Int, name: String)
    /// A migration left rows that break a foreign key.
    case foreignKeyViolations(version: Int, count: Int)

    public var description: String {
        switch self {
        case .edited(let version, let name):
            "migration \(version) (\(name)) in the database differs from this registry's copy; the database was made by a different build"
        case .unknown(let version, let name):
            "the database holds migration \(version) (\(name)), which this registry does not know: it was made by a newer registry"
        case .foreignKeyViolations(let version, let count):
            "migration \(version) left \(count) foreign key violation(s); it was rolled back"
        }
    }
}
