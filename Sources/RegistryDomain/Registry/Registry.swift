import Foundation
import RegistryStorage

/// An open registry database. Reads are methods; every write goes through
/// `write(_:_:)` and the `RegistryWriter` it hands out.
public final class Registry {
    public let path: String
    let db: Database
    /// What this registry records (the built-in entities, unless a test added one).
    let entities: EntitySet

    /// The migrations compiled into this binary (from `Migrations/*.sql`).
    static let builtInMigrator = Migrator(
        migrations: EmbeddedFiles.migrations.compactMap { name, sql in Migration(fileName: name, sql: sql) },
        dataSteps: [5: ChangeLog.recordBaseline, 6: RegistryIdentity.mint]
    )

    /// The migrations of the built-in entities.
    public static var migrator: Migrator { EntitySet.builtIn.migrator }

    private init(path: String, db: Database, entities: EntitySet) {
        self.path = path
        self.db = db
        self.entities = entities
    }

    /// `registry init`: creates the database or upgrades it to this program's schema.
    ///
    /// Refuses a file that holds tables but not the registry's schema history, so
    /// that pointing `--db` at some other SQLite file never scribbles on it.
    public static func create(at path: String) throws -> (registry: Registry, applied: [Migration]) {
        try create(at: path, entities: .builtIn)
    }

    static func create(at path: String, entities: EntitySet) throws -> (registry: Registry, applied: [Migration]) {
        let db = try connect(path: path, mode: .create, migrator: entities.migrator)
        do {
            let applied = try entities.migrator.migrate(db)
            return (Registry(path: path, db: db, entities: entities), applied)
        } catch let error as MigrationError {
            throw RegistryError.incompatibleSchema(path: path, error)
        }
    }

    /// Opens an existing, up-to-date registry database.
    ///
    /// - parameter readOnly: for commands that only read and must leave the
    ///   file's bytes as they are (`verify` of a backup, say): the file is
    ///   opened read-only and its journal mode is not touched.
    public static func open(at path: String, readOnly: Bool = false) throws -> Registry {
        try open(at: path, readOnly: readOnly, entities: .builtIn)
    }

    static func open(at path: String, readOnly: Bool = false, entities: EntitySet) throws -> Registry {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.databaseMissing(path: path)
        }
        let db = try connect(path: path, mode: readOnly ? .readOnly : .readWrite, migrator: entities.migrator)
        if readOnly {
            // Read-only twice over, as for the audit: nothing this connection
            // runs can write, whatever the file's permissions.
            try db.executeScript("PRAGMA query_only = ON")
        }
        let status = try migrationStatus(db, path: path, migrator: entities.migrator)
        guard status.pending.isEmpty || !status.applied.isEmpty else {
            throw RegistryError.notARegistryDatabase(path: path, detail: "it has no registry schema", nextStep: .initialize)
        }
        guard status.pending.isEmpty else {
            throw RegistryError.upgradeNeeded(path: path, pending: status.pending.map { "\($0.version) \($0.name)" })
        }
        return Registry(path: path, db: db, entities: entities)
    }

    /// What `registry migrate --status` shows.
    public static func migrationStatus(at path: String) throws -> Migrator.Status {
        guard FileManager.default.fileExists(atPath: path) else {
            throw RegistryError.databaseMissing(path: path)
        }
        return try migrationStatus(try connect(path: path, mode: .readWrite, migrator: migrator), path: path, migrator: migrator)
    }

    private static func migrationStatus(_ db: Database, path: String, migrator: Migrator) throws -> Migrator.Status {
        do {
            return try migrator.status(db)
        } catch let error as MigrationError {
            throw RegistryError.incompatibleSchema(path: path, error)
        }
    }

    /// How long one attempt waits for another process's write lock:
    /// `REGISTRY_BUSY_TIMEOUT_MS` (milliseconds), default 5000. A write makes
    /// `writeAttempts` attempts, so it gives up after about three times this.
    public static let busyTimeoutMilliseconds: Int32 = {
        guard let text = ProcessInfo.processInfo.environment["REGISTRY_BUSY_TIMEOUT_MS"],
            let value = Int32(text), value >= 0
        else { return 5_000 }
        return value
    }()

    /// Opens a connection, turning "not a database" into a registry error.
    private static func connect(path: String, mode: Database.Mode, migrator: Migrator) throws -> Database {
        do {
            // WAL is switched on only once the file is known to be ours (or
            // empty): refusing another program's database must leave it as it was.
            let db = try Database(path: path, mode: mode, busyTimeoutMilliseconds: busyTimeoutMilliseconds, walJournal: false)
            if mode != .readOnly {
                let tables = try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table'", as: Int.self) ?? 0
                let ours = try migrator.hasHistory(db)
                guard tables == 0 || ours else {
                    throw RegistryError.notARegistryDatabase(
                        path: path, detail: "it already holds \(tables) table(s) of another program", nextStep: .otherDatabase)
                }
                try db.enableWriteAheadLog()
            }
            return db
        } catch let error as SQLiteError where error.isNotADatabase {
            throw RegistryError.notARegistryDatabase(path: path, detail: "the file is not an SQLite database")
        } catch let error as SQLiteError where error.isCannotOpen && mode != .readOnly && FileManager.default.fileExists(atPath: path) {
            // The file is there but cannot be opened for writing: SQLite needs
            // to write the file and to create its -wal and -shm beside it.
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if access(path, W_OK) != 0 || access(folder, W_OK) != 0 {
                throw RegistryError.readOnly(path: path)
            }
            throw error
        }
    }

    // MARK: Writing

    /// How many times a write is tried when another process holds the
    /// database (each try already waits up to the busy timeout).
    public static let writeAttempts = 3

    /// Runs `body` as one write transaction (`BEGIN IMMEDIATE`): all of it is
    /// committed, or, when it throws, none of it.
    ///
    /// When SQLite reports the database busy (another process held the write
    /// lock for longer than the busy timeout, or a lock could not be upgraded),
    /// the transaction is rolled back and `body` runs again from the start, up
    /// to `writeAttempts` times, after a short randomised pause so that waiting
    /// writers do not retry in step. `body` must therefore be safe to run again:
    /// every write path reads what it needs inside the transaction.
    public func write<T>(_ context: WriteContext, _ body: (RegistryWriter) throws -> T) throws -> T {
        try write(context, capturing: true, body)
    }

    /// `write`, with the site's outbox capture (`SyncCapture`) on or off: a
    /// bundle applied here is not captured again (it is not this site's to send).
    func write<T>(_ context: WriteContext, capturing: Bool, _ body: (RegistryWriter) throws -> T) throws -> T {
        var attempt = 1
        while true {
            do {
                return try db.transaction(.immediate) {
                    let store = RowStore(db: db, context: context)
                    let capture = capturing ? try SyncCapture.begin(db, site: try store.site()) : nil
                    let result = try body(RegistryWriter(store: store, context: context))
                    try capture?.finish(setID: store.log.openSetID, at: context.time)
                    return result
                }
            } catch let error as SQLiteError where error.isBusy && attempt < Self.writeAttempts {
                attempt += 1
                usleep(UInt32.random(in: 20_000...200_000))
            }
        }
    }

    /// Runs several reads on one consistent snapshot.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try db.transaction(.deferred, body)
    }
}

/// Who is writing and with which command: recorded with every change.
public struct WriteContext: Sendable {
    public let actor: String
    public let command: String
    /// When the command ran: UTC, ISO 8601 to the second.
    public let time: String

    public init(actor: String, command: String, time: String = Migrator.utcTimestamp()) {
        self.actor = actor
        self.command = command
        self.time = time
    }
}
