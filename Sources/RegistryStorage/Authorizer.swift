import RegistrySQLite3

/// What statements prepared on a connection may do, once `allowOnlyReads`
/// installed it: read tables and call the listed functions, nothing else.
///
/// SQLite asks the authorizer at prepare time about every action a
/// statement would take ("the authorizer callback is invoked as SQL
/// statements are being compiled"), so a denied action fails the prepare
/// with SQLITE_AUTH before anything runs. This is the third wall around
/// user-supplied SQL, after a read-only file handle and `query_only`: those
/// stop writes, but not functions such as `fts3_tokenizer` (which returns a
/// library address, and with two arguments stores a pointer) or pragma
/// functions (`pragma_…` table-valued functions).
public final class ReadOnlyPolicy: @unchecked Sendable {
    /// Lower-case names of the functions statements may call.
    let functions: Set<[UInt8]>
    /// Every table or view a statement prepared since the last `reset` reads.
    public private(set) var tablesRead: Set<ExactText> = []
    /// The actions refused since the last `reset`, for the error message.
    public private(set) var refused: [String] = []
    /// Whether one of them would have changed the database.
    public private(set) var refusedWrite = false

    init(functions: Set<String>) {
        self.functions = Set(functions.map { Self.lowercasedASCII($0) })
    }

    /// Forgets what was recorded (before preparing the next statement).
    public func reset() {
        tablesRead = []
        refused = []
        refusedWrite = false
    }

    /// Compares names as SQLite does, ASCII case-insensitively, on bytes:
    /// a non-ASCII look-alike of an allowed name is another name.
    static func lowercasedASCII(_ text: String) -> [UInt8] {
        text.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }
    }

    func decide(action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_RECURSIVE, SQLITE_TRANSACTION:
            return SQLITE_OK
        case SQLITE_READ:
            if let first { tablesRead.insert(ExactText(first)) }
            return SQLITE_OK
        case SQLITE_UPDATE where first.map({ Self.lowercasedASCII($0) == Array("sqlite_master".utf8) }) == true:
            // SQLite's own parse of a virtual table's declaration (json_each)
            // reports this; the connection cannot write anyway.
            return SQLITE_OK
        case SQLITE_FUNCTION:
            if let name = second, functions.contains(Self.lowercasedASCII(name)) { return SQLITE_OK }
            refused.append("the function \(second ?? "?")")
            return SQLITE_DENY
        case SQLITE_PRAGMA:
            refused.append("PRAGMA \(first ?? "?")")
            return SQLITE_DENY
        case SQLITE_ATTACH, SQLITE_DETACH:
            refused.append("ATTACH/DETACH")
            return SQLITE_DENY
        default:
            // Everything else creates, drops, alters, inserts, updates or deletes.
            refusedWrite = true
            refused.append("a statement that changes the database")
            return SQLITE_DENY
        }
    }

    /// SQLite's core, date, aggregate, window, JSON and math functions that
    /// only compute a value from their arguments. Not listed, so refused:
    /// `load_extension`, `fts3_tokenizer`, `sqlite_compileoption_*`,
    /// `randomblob` and `zeroblob` (memory), and anything else.
    public static let pureFunctions: Set<String> = [
        "abs", "char", "coalesce", "format", "glob", "hex", "ifnull", "iif", "instr", "length", "like", "likelihood",
        "likely", "lower", "ltrim", "max", "min", "nullif", "printf", "quote", "replace", "round", "rtrim", "sign",
        "substr", "substring", "trim", "typeof", "unicode", "unlikely", "upper", "octet_length",
        "date", "time", "datetime", "julianday", "strftime", "unixepoch",
        "avg", "count", "group_concat", "sum", "total",
        "row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value",
        "last_value", "nth_value",
        "json", "json_array", "json_array_length", "json_extract", "json_insert", "json_object", "json_patch",
        "json_quote", "json_remove", "json_replace", "json_set", "json_type", "json_valid", "json_group_array",
        "json_group_object", "json_each", "json_tree",
        "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil", "ceiling", "cos", "cosh", "degrees", "exp",
        "floor", "ln", "log", "log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh", "sqrt", "tan",
        "tanh", "trunc",
    ]
}

extension Database {
    /// Installs an authorizer that lets statements prepared from now on read
    /// and call `functions` only (see `ReadOnlyPolicy`). Returns the policy,
    /// which records the tables each statement reads.
    @discardableResult
    public func allowOnlyReads(functions: Set<String>) -> ReadOnlyPolicy {
        let policy = ReadOnlyPolicy(functions: functions)
        allowOnlyReads(policy)
        return policy
    }
}

extension Database {
    /// Removes the authorizer: statements prepared from now on may do anything.
    public func removeReadPolicy() {
        sqlite3_set_authorizer(handle, nil, nil)
        readPolicy = nil
    }

    /// Runs `body` with the authorizer set aside (for the program's own
    /// statements, such as `PRAGMA integrity_check`), then puts it back.
    public func withoutReadPolicy<T>(_ body: () throws -> T) rethrows -> T {
        guard let policy = readPolicy else { return try body() }
        sqlite3_set_authorizer(handle, nil, nil)
        defer { allowOnlyReads(policy) }
        return try body()
    }

    private func allowOnlyReads(_ policy: ReadOnlyPolicy) {
        readPolicy = policy
        sqlite3_set_authorizer(
            handle,
            { userData, action, first, second, _, _ in
                let policy = Unmanaged<ReadOnlyPolicy>.fromOpaque(userData!).takeUnretainedValue()
                return policy.decide(action: action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
            }, Unmanaged.passUnretained(policy).toOpaque())
    }
}
