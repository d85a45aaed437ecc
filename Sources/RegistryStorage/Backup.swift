import Foundation
import RegistrySQLite3

extension Database {
    /// Copies this whole database into `destination` with SQLite's online
    /// backup API, replacing what `destination` held.
    ///
    /// One `sqlite3_backup_step(-1)` copies every page inside one read
    /// transaction on this database: in WAL mode other processes keep
    /// writing meanwhile, and the copy is the snapshot the step began with.
    /// (Copying in several steps would restart whenever another connection
    /// wrote, and could starve under a steady writer.) SQLITE_BUSY on the
    /// destination is retried for as long as the busy timeout would wait.
    public func copy(into destination: Database) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw SQLiteError(connection: destination.handle, code: sqlite3_extended_errcode(destination.handle), sql: nil)
        }
        var code = sqlite3_backup_step(backup, -1)
        var retries = 0
        while (code == SQLITE_BUSY || code == SQLITE_LOCKED) && retries < 100 {
            retries += 1
            sqlite3_sleep(50)
            code = sqlite3_backup_step(backup, -1)
        }
        // finish releases the handle whatever happened, and reports the first error.
        let finished = sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else {
            throw SQLiteError(code: code, message: "backup failed: \(String(cString: sqlite3_errstr(code)))")
        }
        guard finished == SQLITE_OK else {
            throw SQLiteError(connection: destination.handle, code: sqlite3_extended_errcode(destination.handle), sql: nil)
        }
    }

    /// `PRAGMA integrity_check`: `["ok"]` when the file is sound, otherwise SQLite's findings.
    public func integrityCheck() throws -> [String] {
        try rows("PRAGMA integrity_check").map { try $0.get($0.columns[0], as: String.self) }
    }

    /// `PRAGMA foreign_key_check`: one line per row whose reference is broken.
    public func foreignKeyCheck() throws -> [String] {
        try rows("PRAGMA foreign_key_check").map { row in
            "\(row["table"]) row \(row["rowid"]) refers to a missing \(row["parent"]) (foreign key \(row["fkid"]))"
        }
    }
}

/// Forcing written files to the disk, for copies that must survive a power loss.
public enum FileSync {
    /// `fsync` of a file's contents.
    public static func file(_ path: String) throws {
        try sync(path, flags: O_RDONLY)
    }

    /// `fsync` of a directory, which makes a rename or a new file in it durable.
    public static func directory(_ path: String) throws {
        try sync(path, flags: O_RDONLY | O_DIRECTORY)
    }

    private static func sync(_ path: String, flags: Int32) throws {
        let descriptor = open(path, flags)
        guard descriptor >= 0 else {
            throw SQLiteError(code: SQLITE_IOERR, message: "cannot open \(path) to sync it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else {
            throw SQLiteError(code: SQLITE_IOERR | (4 << 8), message: "fsync of \(path) failed: \(String(cString: strerror(errno)))")
        }
    }
}
