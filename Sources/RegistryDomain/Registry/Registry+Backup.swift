import Foundation
import RegistryStorage

/// What `registry backup` made.
public struct BackupResult: Sendable {
    public let path: String
    public let bytes: Int64
    /// The change log's head in the copy: publish it, and `verify --anchor` it later.
    public let head: LogHead
}

/// What `registry check` found: SQLite's own checks, then `verify`.
public struct CheckReport: Sendable {
    public let integrity: [String]
    public let foreignKeys: [String]
    public let verify: VerifyReport

    public var isSound: Bool { integrity == ["ok"] && foreignKeys.isEmpty && verify.isIntact }
}

/// A backup file that cannot be trusted, so `restore` did not use it.
public struct RestoreRefused: Error, Sendable, MessageDescribed {
    public let path: String
    public let problems: [String]

    public var message: Message {
        "\(path) was not restored: \(problems.count) problem(s): \(problems.prefix(3).joined(separator: "; "))"
    }
}

extension Registry {
    /// `registry backup FILE`: a consistent copy made while others may be
    /// writing, synced to disk and checked before it takes its name.
    ///
    /// The copy is written to a temporary file beside `path`, fsynced, checked
    /// with `integrity_check`, and only then renamed to `path` (and the folder
    /// synced): a crash at any moment leaves either no backup or a whole one,
    /// and `--force` never destroys the old backup before the new one is sound.
    public func backup(to path: String, force: Bool = false) throws -> BackupResult {
        let manager = FileManager.default
        if FileIdentity.isPart(path, of: self.path) {
            throw RegistryError.outputIsDatabase(path: path, database: self.path)
        }
        if manager.fileExists(atPath: path) && !force {
            throw RegistryError.outputExists(path: path)
        }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)").path
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { try? manager.removeItem(atPath: temporary + suffix) }
        }
        do {
            let copy = try Database(path: temporary, mode: .create, walJournal: false)
            try db.copy(into: copy)
            // The pages carry this database's WAL flag; a backup is one
            // self-contained file, so it is switched back to a rollback journal.
            _ = try copy.rows("PRAGMA journal_mode = DELETE")
        }
        try FileSync.file(temporary)
        let head: LogHead
        do {
            let check = try Database(path: temporary, mode: .readOnly)
            let integrity = try check.integrityCheck()
            guard integrity == ["ok"] else {
                throw RegistryError.backupFailed(path: path, detail: "the copy fails integrity_check: \(integrity.prefix(3).joined(separator: "; "))")
            }
            head = try ChangeLog.head(in: check)
        }
        guard rename(temporary, path) == 0 else {
            throw RegistryError.backupFailed(path: path, detail: "cannot move the copy into place: \(String(cString: strerror(errno)))")
        }
        try FileSync.directory(folder)
        return BackupResult(path: path, bytes: Self.fileSize(path), head: head)
    }

    /// `registry restore BACKUP`: replaces the database at `path` with a backup,
    /// after checking that the backup is sound and that its history verifies.
    ///
    /// Uses the backup API in reverse (from the backup file into a connection
    /// to `path`), which takes the database's write lock and goes through its
    /// journal: other processes see the old database or the restored one,
    /// never a mix, and a crash midway leaves the old one.
    ///
    /// - parameter otherRegistry: allows a backup whose identity is not the
    ///   database's own (a backup of another registry); without it, that is
    ///   refused, naming both identities.
    public static func restore(from backupPath: String, to path: String, force: Bool = false, otherRegistry: Bool = false) throws -> BackupResult {
        guard FileManager.default.fileExists(atPath: backupPath) else {
            throw RegistryError.databaseMissing(path: backupPath)
        }
        let source: Database
        do {
            source = try Database(path: backupPath, mode: .readOnly)
            _ = try source.scalar("SELECT count(*) FROM sqlite_schema", as: Int.self)
        } catch let error as SQLiteError where error.isNotADatabase {
            throw RegistryError.notARegistryDatabase(path: backupPath, detail: "the file is not an SQLite database")
        }
        let status: Migrator.Status
        do {
            status = try migrator.status(source)
        } catch let error as MigrationError {
            throw RegistryError.incompatibleSchema(path: backupPath, error)
        }
        guard !status.applied.isEmpty else {
            throw RegistryError.notARegistryDatabase(path: backupPath, detail: "it has no registry schema")
        }
        guard status.pending.isEmpty else {
            throw RegistryError.upgradeNeeded(path: backupPath, pending: status.pending.map { "\($0.version) \($0.name)" })
        }
        let report = try source.transaction(.deferred) { try Verifier(db: source).run(anchor: nil) }
        let problems = report.failures.map(\.description)
        guard problems.isEmpty else { throw RestoreRefused(path: backupPath, problems: problems) }

        if FileManager.default.fileExists(atPath: path) && !force {
            throw RegistryError.outputExists(path: path)
        }
        if FileManager.default.fileExists(atPath: path), !otherRegistry,
            let current = try? Database(path: path, mode: .readOnly),
            let ours = try RegistryIdentity.read(in: current)
        {
            let theirs = try RegistryIdentity.read(in: source)
            if theirs?.id.sameBytes(as: ours.id) != true {
                throw RegistryError.otherRegistry(backup: backupPath, backupIdentity: theirs?.id, database: path, databaseIdentity: ours.id)
            }
        }
        let target = try Database(path: path, mode: .create)
        try source.copy(into: target)
        let integrity = try target.integrityCheck()
        guard integrity == ["ok"] else {
            throw RegistryError.backupFailed(path: path, detail: "the restored database fails integrity_check: \(integrity.prefix(3).joined(separator: "; "))")
        }
        return BackupResult(path: path, bytes: Self.fileSize(path), head: try ChangeLog.head(in: target))
    }

    private static func fileSize(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// `registry check`: `integrity_check`, `foreign_key_check`, then `verify`.
    public func check(anchor: LogHead? = nil) throws -> CheckReport {
        try read {
            let integrity = try db.integrityCheck()
            let foreignKeys = try db.foreignKeyCheck()
            let verify = try Verifier(db: db, entities: entities).run(anchor: anchor, integrity: integrity)
            return CheckReport(integrity: integrity, foreignKeys: foreignKeys, verify: verify)
        }
    }
}
