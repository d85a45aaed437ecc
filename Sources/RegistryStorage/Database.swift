import Foundation
import RegistrySQLite3

/// A connection to one SQLite database file: owns its `sqlite3*`, closed in `deinit`.
///
/// Every connection is configured the same way at open, because the guarantees
/// the rest of the program relies on are per connection in SQLite:
/// - `PRAGMA foreign_keys = ON` ("foreign key constraints are disabled by default ...
///   must be enabled separately for each database connection");
/// - WAL journal, so readers never block the writer and the writer never blocks readers;
/// - `PRAGMA synchronous = FULL`, so a committed transaction survives a power loss in WAL mode;
/// - a busy timeout, so a second writer waits instead of failing at once;
/// - extended result codes, so errors say which constraint failed.
///
/// Not `Sendable`: one connection is used by one thread at a time.
public final class Database {
    public enum Mode: Sendable {
        /// Open an existing file for reading and writing.
        case readWrite
        /// Open, creating the file if it is missing.
        case create
        /// Open an existing file for reading only.
        case readOnly
    }

    public let path: String
    public let mode: Mode
    let handle: OpaquePointer
    private var statementCache: [String: Statement] = [:]
    private var recentStatements: [(sql: String, statement: Statement)] = []
    private var nextRecent = 0
    private var savepointCounter = 0
    /// The authorizer's policy, kept alive as long as SQLite may call it.
    var readPolicy: ReadOnlyPolicy?

    /// Process-wide settings, which SQLite accepts only before its first use:
    /// the first connection applies them (a later call would be refused, harmlessly).
    private static let configureLibrary: Void = {
        _ = registry_sqlite3_disable_memory_statistics()
    }()

    /// Opens and configures a connection.
    ///
    /// - throws: `SQLiteError`, e.g. `SQLITE_CANTOPEN` for a missing directory or
    ///   `SQLITE_NOTADB` for a file that is not a database.
    ///
    /// - parameter walJournal: false leaves the file's journal mode as it is
    ///   (a backup copy, written once and then left alone, needs no WAL).
    public init(path: String, mode: Mode = .readWrite, busyTimeoutMilliseconds: Int32 = 5_000, walJournal: Bool = true) throws {
        Self.configureLibrary
        var flags = SQLITE_OPEN_NOMUTEX
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard let connection else {
            throw SQLiteError(code: code, message: String(cString: sqlite3_errstr(code)))
        }
        // "Whether or not an error occurs when it is opened, resources associated
        // with the database connection handle should be released by passing it to
        // sqlite3_close() when it is no longer required."
        guard code == SQLITE_OK else {
            let error = SQLiteError(connection: connection, code: sqlite3_extended_errcode(connection), sql: nil)
            sqlite3_close_v2(connection)
            throw error
        }
        self.handle = connection
        self.path = path
        self.mode = mode
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
        do {
            try executeScript("PRAGMA foreign_keys = ON")
            if mode != .readOnly && walJournal {
                // journal_mode answers with the mode now in force; a read-only
                // connection reads whatever mode the file already has.
                _ = try rows("PRAGMA journal_mode = WAL")
            }
            try executeScript("PRAGMA synchronous = FULL")
        } catch {
            statementCache.removeAll()
            sqlite3_close_v2(connection)
            throw error
        }
    }

    /// Switches the file to WAL (for a connection opened with `walJournal: false`).
    public func enableWriteAheadLog() throws {
        _ = try rows("PRAGMA journal_mode = WAL")
    }

    deinit {
        recentStatements.removeAll()
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Running statements

    /// Prepares `sql` once per connection and reuses it: the cache is keyed by SQL text.
    public func cachedStatement(_ sql: String) throws -> Statement {
        // An import runs the same few statements for every row, with SQL text that
        // is one shared constant: comparing with the last few used is a pointer
        // check, where the dictionary would hash the whole text each time.
        for entry in recentStatements where entry.sql == sql { return entry.statement }
        let statement: Statement
        if let cached = statementCache[sql] {
            statement = cached
        } else {
            statement = try Statement(connection: handle, sql: sql, persistent: true)
            statementCache[sql] = statement
        }
        if recentStatements.count < 4 {
            recentStatements.append((sql, statement))
        } else {
            recentStatements[nextRecent] = (sql, statement)
            nextRecent = (nextRecent + 1) % 4
        }
        return statement
    }

    /// Prepares `sql` for this use only (not cached): for SQL that people
    /// write, such as custom audit rules, checked before it runs.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: handle, sql: sql, persistent: false)
    }

    /// Number of statements currently held in the cache (for tests and diagnostics).
    public var cachedStatementCount: Int { statementCache.count }

    /// Runs one statement that returns no rows we need, with bound arguments.
    public func execute(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs a script of one or more statements without arguments (migrations, pragmas).
    public func executeScript(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    /// Calls `body` for each row, without collecting them (for large results).
    public func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        let columns = statement.columnNames
        while try statement.step() {
            try body(statement.currentRow(columns: columns))
        }
    }

    /// Calls `body` with the statement on each result row, for scans too large
    /// to detach every row: read the columns with `int64(at:)`, `text(at:)`.
    public func forEachStep(_ sql: String, _ arguments: [SQLValue] = [], _ body: (Statement) throws -> Void) throws {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        while try statement.step() {
            try body(statement)
        }
    }

    /// All rows of a query.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [Row] {
        var result: [Row] = []
        try forEachRow(sql, arguments) { result.append($0) }
        return result
    }

    /// The first row of a query, if any.
    public func row(_ sql: String, _ arguments: [SQLValue] = []) throws -> Row? {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.currentRow(columns: statement.columnNames)
    }

    /// The first column of the first row, converted; `nil` when there is no row.
    public func scalar<T: SQLValueConvertible>(_ sql: String, _ arguments: [SQLValue] = [], as type: T.Type = T.self) throws -> T? {
        guard let row = try row(sql, arguments), let column = row.columns.first else { return nil }
        return try row.get(column, as: T.self)
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// `true` while a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Transactions

    public enum TransactionKind: Sendable {
        /// `BEGIN DEFERRED`: for reads; a consistent snapshot from the first read on.
        case deferred
        /// `BEGIN IMMEDIATE`: for writes. Taking the write lock up front means a
        /// busy writer is waited for by the busy timeout; upgrading a read
        /// transaction later can fail with SQLITE_BUSY that no timeout can cure.
        case immediate
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back and
    /// rethrows the first error when it throws. Nested calls use savepoints, so an
    /// inner failure undoes only the inner work (and the outer body decides).
    public func transaction<T>(_ kind: TransactionKind = .immediate, _ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointCounter += 1
            let name = "registry_savepoint_\(savepointCounter)"
            try executeScript("SAVEPOINT \(name)")
            do {
                let result = try body()
                try executeScript("RELEASE \(name)")
                return result
            } catch {
                // ROLLBACK TO leaves the savepoint open; RELEASE closes it.
                try? executeScript("ROLLBACK TO \(name); RELEASE \(name)")
                throw error
            }
        }
        try executeScript(kind == .immediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            if isInTransaction { try? executeScript("ROLLBACK") }
            throw error
        }
    }
}
