import Foundation
import RegistrySQLite3

/// A prepared statement: owns its `sqlite3_stmt`, finalized in `deinit`.
///
/// Deliberately not `Sendable`: a statement belongs to the connection that
/// prepared it, and SQLite connections here are used from one thread at a time.
public final class Statement {
    let handle: OpaquePointer
    /// The text the statement was prepared from (kept for error messages).
    public let sql: String
    private let connection: OpaquePointer

    /// Prepares exactly one statement.
    ///
    /// - throws: `SQLiteError` for SQL that does not compile, that holds no
    ///   statement, or that holds a second statement after the first (comments
    ///   and white space after it are fine): SQL written by people (custom
    ///   audit rules) is refused, never half run.
    init(connection: OpaquePointer, sql: String, persistent: Bool) throws {
        var statement: OpaquePointer?
        // SQLITE_PREPARE_PERSISTENT: "a hint to the query planner that the prepared
        // statement will be retained for a long time and probably reused many times".
        let flags = UInt32(persistent ? SQLITE_PREPARE_PERSISTENT : 0)
        var hasSecondStatement = false
        let code = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, text, -1, flags, &statement, &tail)
            // The tail is a second statement if it prepares to one; a tail of
            // comments prepares to none ("*ppStmt is left pointing to NULL").
            if code == SQLITE_OK, let tail, tail.pointee != 0 {
                var next: OpaquePointer?
                if sqlite3_prepare_v2(connection, tail, -1, &next, nil) != SQLITE_OK || next != nil { hasSecondStatement = true }
                sqlite3_finalize(next)
            }
            return code
        }
        guard code == SQLITE_OK, let statement else {
            throw code == SQLITE_OK
                ? SQLiteError(code: SQLITE_MISUSE, message: "no SQL statement to run (only comments or white space)", sql: sql)
                : SQLiteError(connection: connection, code: code, sql: sql)
        }
        if hasSecondStatement {
            sqlite3_finalize(statement)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one SQL statement; give exactly one", sql: sql)
        }
        self.handle = statement
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Column names of the result set.
    public var columnNames: [String] {
        (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// Resets the statement and binds `arguments` to its `?` parameters, in order.
    public func bind(_ arguments: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        precondition(arguments.count == expected, "\(sql) takes \(expected) arguments, got \(arguments.count)")
        for (offset, argument) in arguments.enumerated() {
            try bind(argument, at: Int32(offset + 1))
        }
    }

    /// Names of the statement's parameters, without their prefix: `as_of` for `:as_of`.
    public var parameterNames: [String] {
        (1...max(1, sqlite3_bind_parameter_count(handle))).compactMap { index in
            sqlite3_bind_parameter_name(handle, index).map { String(String(cString: $0).dropFirst()) }
        }
    }

    /// Resets the statement and binds named parameters (`:as_of`, `@as_of` or
    /// `$as_of` are all `as_of`).
    ///
    /// - throws: `SQLiteError` naming a parameter the statement uses that
    ///   `arguments` lacks (it would silently be NULL otherwise).
    public func bind(named arguments: [String: SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for index in 1...max(1, sqlite3_bind_parameter_count(handle)) {
            guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                if sqlite3_bind_parameter_count(handle) == 0 { return }
                throw SQLiteError(code: SQLITE_RANGE, message: "parameter \(index) has no name; use named parameters such as :as_of", sql: sql)
            }
            let name = String(String(cString: cName).dropFirst())
            guard let value = arguments[name] else {
                throw SQLiteError(
                    code: SQLITE_RANGE, message: "unknown parameter :\(name); known: \(arguments.keys.sorted().map { ":" + $0 }.joined(separator: ", "))",
                    sql: sql)
            }
            try bind(value, at: index)
        }
    }

    /// True when the statement makes no direct change to the database file
    /// (`sqlite3_stmt_readonly`): how user-written SQL is checked before it runs.
    public var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Number of result columns (0 for a statement that returns no rows).
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    private func bind(_ argument: SQLValue, at index: Int32) throws {
        let code: Int32
        switch argument {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let value):
            code = sqlite3_bind_int64(handle, index, value)
        case .real(let value):
            code = sqlite3_bind_double(handle, index, value)
        case .text(let value):
            // Bound with an explicit byte length, so text is stored exactly as
            // given (a C string would stop at the first NUL).
            let bytes = Array(value.utf8)
            code = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(bytes.count, 1)) {
                    sqlite3_bind_text64(handle, index, $0, UInt64(bytes.count), Self.transient, UInt8(SQLITE_UTF8))
                }
            }
        case .blob(let value):
            code = value.withUnsafeBytes { buffer in
                sqlite3_bind_blob64(handle, index, buffer.baseAddress, UInt64(value.count), Self.transient)
            }
        }
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: sql) }
    }

    /// Steps once. Returns `true` when a row is available, `false` when done.
    /// Every step of every statement goes through here: anything but
    /// `SQLITE_ROW` or `SQLITE_DONE` becomes an `SQLiteError`.
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(connection: connection, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Releases the statement's read snapshot; cached statements are reset after each use.
    public func reset() {
        sqlite3_reset(handle)
    }

    /// The current row's value at `index`.
    public func value(at index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        default:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes = sqlite3_column_blob(handle, index) else { return .blob(Data()) }
            return .blob(Data(bytes: bytes, count: count))
        }
    }

    /// The current row's integer at `index` (0 for NULL): for large scans,
    /// where building a `Row` per result row would cost more than the query.
    public func int64(at index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// The current row's text at `index`, or nil for NULL.
    /// A BLOB (or text) column's bytes, copied once straight from SQLite's buffer.
    public func bytes(at index: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(handle, index))
        guard count > 0, let pointer = sqlite3_column_blob(handle, index) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    public func text(at index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(handle, index) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, index))), as: UTF8.self)
    }

    /// The current row's text at `index` as UTF-8 bytes, valid only inside `body`.
    public func withUTF8<T>(at index: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let bytes = sqlite3_column_text(handle, index)
        return try body(UnsafeBufferPointer(start: bytes, count: bytes == nil ? 0 : Int(sqlite3_column_bytes(handle, index))))
    }

    /// The current row, detached.
    public func currentRow(columns: [String]) -> Row {
        Row(columns: columns, values: (0..<Int32(columns.count)).map { value(at: $0) })
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bytes before the bind call returns.
    /// The C macro is a cast of -1, which Swift does not import.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
    }
}
