import RegistrySQLite3

/// The one error type of the storage layer: every failure reported by SQLite.
///
/// Carries the *extended* result code (connections switch them on at open),
/// SQLite's own message, and the SQL that was running. Arguments are never part
/// of the description: they may hold data that does not belong in a log.
public struct SQLiteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The extended result code, e.g. 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let code: Int32
    /// SQLite's message, from `sqlite3_errmsg` or `sqlite3_errstr`.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The primary result code (the low 8 bits), e.g. `SQLITE_CONSTRAINT` for every constraint failure.
    public var primaryCode: Int32 { code & 0xFF }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (while running: \(sql))" }
        return text
    }

    /// Builds the error from a connection's current state.
    init(connection: OpaquePointer?, code: Int32, sql: String?) {
        let message: String
        if let connection, let cMessage = sqlite3_errmsg(connection) {
            message = String(cString: cMessage)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        self.init(code: code, message: message, sql: sql)
    }

    // Extended constraint codes. sqlite3.h defines them as expressions over
    // SQLITE_CONSTRAINT, which Swift does not import, so they are spelled out here
    // as in the header: (SQLITE_CONSTRAINT | (n<<8)).
    public static let constraintCheck = SQLITE_CONSTRAINT | (1 << 8)
    public static let constraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)
    public static let constraintNotNull = SQLITE_CONSTRAINT | (5 << 8)
    public static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
    public static let constraintTrigger = SQLITE_CONSTRAINT | (7 << 8)
    public static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)

    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }
    public var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }
    public var isUniqueViolation: Bool {
        code == Self.constraintUnique || code == Self.constraintPrimaryKey
    }
    public var isForeignKeyViolation: Bool { code == Self.constraintForeignKey }
    public var isNotADatabase: Bool { primaryCode == SQLITE_NOTADB }
    public var isReadOnly: Bool { primaryCode == SQLITE_READONLY }
    public var isDiskFull: Bool { primaryCode == SQLITE_FULL }
    public var isCannotOpen: Bool { primaryCode == SQLITE_CANTOPEN }
    /// SQLite's `sum()` went past Int64 ("integer overflow"): a total that cannot be exact.
    public var isIntegerOverflow: Bool { primaryCode == SQLITE_ERROR && message.hasPrefix("integer overflow") }
    /// A statement stopped by `Database.withTimeLimit` (or `sqlite3_interrupt`).
    public var isInterrupted: Bool { primaryCode == SQLITE_INTERRUPT }
    /// "Library used incorrectly": also what `Statement` reports for a second statement.
    public var isMisuse: Bool { primaryCode == SQLITE_MISUSE }
    /// The authorizer refused the statement (`Database.allowOnlyReads`).
    public var isAuthorizationDenied: Bool { primaryCode == SQLITE_AUTH }
    /// The operating system failed a read or write (SQLITE_IOERR and its extended codes).
    public var isIOError: Bool { primaryCode == SQLITE_IOERR }
}
