import Foundation

/// Applies numbered migrations in order and guards the schema history.
///
/// Each migration runs in its own `BEGIN IMMEDIATE` transaction with foreign
/// keys off, and `PRAGMA foreign_key_check` before commit: that is SQLite's
/// documented procedure for rebuilding a table (a CHECK or a column type cannot
/// be altered in place), and dropping a referenced table with foreign keys on
/// would fail or cascade. The check keeps the migration honest. The applied versions are
/// recorded with a checksum of their text; "a migration is never modified once
/// it has shipped", so a changed checksum or an unknown version stops us.
public struct Migrator: Sendable {
    public struct Status: Sendable, Equatable {
        public let applied: [AppliedMigration]
        public let pending: [Migration]
    }

    /// The migrator's own bookkeeping table (not one of the numbered migrations).
    public static let historyTable = "schema_migration"

    /// Work in code that a migration needs after its SQL, in the same
    /// transaction: e.g. hashing the rows that exist into the change log's
    /// baseline, which SQL alone cannot do. Keyed by migration version.
    public typealias DataStep = @Sendable (Database) throws -> Void

    public let migrations: [Migration]
    public let dataSteps: [Int: DataStep]

    public init(migrations: [Migration], dataSteps: [Int: DataStep] = [:]) {
        let sorted = migrations.sorted { $0.version < $1.version }
        precondition(Set(sorted.map(\.version)).count == sorted.count, "two migrations share a version number")
        self.migrations = sorted
        self.dataSteps = dataSteps
    }

    /// The same migrations without their data steps: the schema they make,
    /// quicker (what `verify` compares a database with).
    public var schemaOnly: Migrator { Migrator(migrations: migrations, dataSteps: [:]) }

    /// The same migrations up to `version` only: what a database made by an
    /// older program has (for tests of upgrades, and the schema `verify` expects).
    public func upTo(_ version: Int) -> Migrator {
        Migrator(migrations: migrations.filter { $0.version <= version }, dataSteps: dataSteps.filter { $0.key <= version })
    }

    /// `true` when the database has the history table (it was made by a migrator).
    public func hasHistory(_ db: Database) throws -> Bool {
        try db.scalar(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?",
            [.text(Self.historyTable)], as: Int.self
        ) == 1
    }

    /// These migrations and `extra` (an entity's table added by a test or a
    /// later module), sorted by version.
    public func adding(_ extra: [Migration]) -> Migrator {
        Migrator(migrations: migrations + extra, dataSteps: dataSteps)
    }

    /// What is applied and what is pending; never writes.
    ///
    /// - throws: `MigrationError.edited` or `.unknown` when the history does not match ours.
    public func status(_ db: Database) throws -> Status {
        guard try hasHistory(db) else { return Status(applied: [], pending: migrations) }
        let applied = try db.rows(
            "SELECT version, name, checksum, applied_at FROM \(Self.historyTable) ORDER BY version"
        ).map { row in
            AppliedMigration(
                version: try row.get("version"), name: try row.get("name"),
                checksum: try row.get("checksum"), appliedAt: try row.get("applied_at")
            )
        }
        let ours = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for record in applied {
            guard let migration = ours[record.version] else {
                throw MigrationError.unknown(version: record.version, name: record.name)
            }
            guard migration.checksum == record.checksum else {
                throw MigrationError.edited(version: record.version, name: record.name)
            }
        }
        let appliedVersions = Set(applied.map(\.version))
        return Status(applied: applied, pending: migrations.filter { !appliedVersions.contains($0.version) })
    }

    /// Applies every pending migration; returns those applied, in order.
    public func migrate(_ db: Database, now: () -> String = Migrator.utcTimestamp) throws -> [Migration] {
        try db.executeScript(
            """
            CREATE TABLE IF NOT EXISTS \(Self.historyTable) (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                checksum   TEXT NOT NULL,
                applied_at TEXT NOT NULL
            ) STRICT
            """)
        var done: [Migration] = []
        // The pragma is a no-op inside a transaction, so it is set around each one.
        try db.executeScript("PRAGMA foreign_keys = OFF")
        defer { try? db.executeScript("PRAGMA foreign_keys = ON") }
        for migration in migrations {
            let applied = try db.transaction(.immediate) { () throws -> Bool in
                // Re-read inside the write lock: another process may have migrated meanwhile.
                let status = try status(db)
                guard status.pending.contains(migration) else { return false }
                try db.executeScript(migration.sql)
                try dataSteps[migration.version]?(db)
                let violations = try db.rows("PRAGMA foreign_key_check")
                guard violations.isEmpty else {
                    throw MigrationError.foreignKeyViolations(version: migration.version, count: violations.count)
                }
                try db.execute(
                    "INSERT INTO \(Self.historyTable) (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
                    [.integer(Int64(migration.version)), .text(migration.name), .text(migration.checksum), .text(now())]
                )
                return true
            }
            if applied { done.append(migration) }
        }
        return done
    }

    /// UTC time as ISO 8601, to the second.
    /// Now, in UTC, to the second: `2026-01-05T09:00:00Z`. Built from
    /// `gmtime_r` by hand: an `ISO8601DateFormatter` loads ICU and cost about
    /// 2 ms, a tenth of a small command.
    public static func utcTimestamp() -> String {
        var seconds = time_t(Date().timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
