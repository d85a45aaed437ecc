import Foundation
import RegistrySQLite3

/// SQLite's session extension: records the changes made to a connection's
/// tables, as a changeset another database can apply (county sync).
///
/// One owning type per SQLite handle: `Session` (a recording), and the
/// iterator and change group inside `Changeset`'s methods, each deleted when
/// its owner goes. A session records from `attach` on, on its connection only.
public final class Session {
    private let handle: OpaquePointer
    /// Kept alive while the session is: the session refers to its connection.
    private let db: Database

    public init(db: Database, schema: String = "main") throws {
        var session: OpaquePointer?
        let code = sqlite3session_create(db.handle, schema, &session)
        guard code == SQLITE_OK, let session else {
            throw SQLiteError(connection: db.handle, code: code, sql: nil)
        }
        self.handle = session
        self.db = db
    }

    deinit { sqlite3session_delete(handle) }

    /// Records changes to `table` (it needs a declared primary key).
    public func attach(_ table: String) throws {
        let code = sqlite3session_attach(handle, table)
        guard code == SQLITE_OK else { throw SQLiteError(connection: db.handle, code: code, sql: nil) }
    }

    /// Records, as if they had just been made, the changes that turn `table`
    /// in the schema `from` into `table` in this session's schema
    /// (`sqlite3session_diff`). Against an empty copy of the table, that is
    /// every row as an insert: a baseline. Both tables need the same columns
    /// and primary key.
    public func diff(from schema: String, table: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3session_diff(handle, schema, table, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, message: message.map { String(cString: $0) } ?? "cannot compare \(schema).\(table) with \(table)")
        }
    }

    /// Whether nothing was recorded.
    public var isEmpty: Bool { sqlite3session_isempty(handle) != 0 }

    /// What was recorded, as one changeset (each row once, with its net change).
    public func changeset() throws -> Changeset {
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        let code = sqlite3session_changeset(handle, &size, &buffer)
        defer { sqlite3_free(buffer) }
        guard code == SQLITE_OK else { throw SQLiteError(connection: db.handle, code: code, sql: nil) }
        guard let buffer, size > 0 else { return Changeset(bytes: []) }
        return Changeset(bytes: Array(UnsafeRawBufferPointer(start: buffer, count: Int(size))))
    }
}

/// A changeset's bytes, as SQLite's session extension writes them.
public struct Changeset: Sendable, Equatable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// One change of a changeset: the table, what happened, and the values
    /// (old for an update or delete, new for an insert or update; for an
    /// update, nil where the column did not change).
    public struct Change: Sendable, Equatable {
        public enum Operation: Sendable { case insert, update, delete }
        public let table: String
        public let operation: Operation
        public let old: [SQLValue?]
        public let new: [SQLValue?]
        /// Which columns are the table's primary key (in column order).
        public let primaryKey: [Bool]

        public init(table: String, operation: Operation, old: [SQLValue?], new: [SQLValue?], primaryKey: [Bool]) {
            self.table = table
            self.operation = operation
            self.old = old
            self.new = new
            self.primaryKey = primaryKey
        }

        /// The primary-key values (from the old row, or an insert's new row).
        public var key: [SQLValue] {
            let row = operation == .insert ? new : old
            return primaryKey.indices.filter { primaryKey[$0] }.map { row[$0] ?? .null }
        }
    }

    /// Each change in order. Throws on bytes that are not a changeset.
    /// With `keysOnly`, only the primary-key values are read (the others are nil).
    public func forEachChange(keysOnly: Bool = false, _ body: (Change) throws -> Void) throws {
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { raw in
            var iterator: OpaquePointer?
            // sqlite3changeset_start only reads the buffer (its parameter is not const).
            var code = sqlite3changeset_start(&iterator, Int32(raw.count), UnsafeMutableRawPointer(mutating: raw.baseAddress))
            guard code == SQLITE_OK, let iterator else { throw SQLiteError(code: code, message: "not a changeset") }
            defer { sqlite3changeset_finalize(iterator) }
            while true {
                code = sqlite3changeset_next(iterator)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw SQLiteError(code: code, message: "the changeset is damaged") }
                try body(Self.change(at: iterator, keysOnly: keysOnly))
            }
        }
    }

    /// The change the iterator stands at.
    static func change(at iterator: OpaquePointer, keysOnly: Bool = false) throws -> Change {
        var table: UnsafePointer<CChar>?
        var columns: Int32 = 0
        var operation: Int32 = 0
        var indirect: Int32 = 0
        let code = sqlite3changeset_op(iterator, &table, &columns, &operation, &indirect)
        guard code == SQLITE_OK else { throw SQLiteError(code: code, message: "the changeset is damaged") }
        var flags: UnsafeMutablePointer<UInt8>?
        var flagCount: Int32 = 0
        guard sqlite3changeset_pk(iterator, &flags, &flagCount) == SQLITE_OK, let flags else {
            throw SQLiteError(code: code, message: "the changeset is damaged")
        }
        func values(_ read: (OpaquePointer, Int32, UnsafeMutablePointer<OpaquePointer?>) -> Int32) -> [SQLValue?] {
            (0..<columns).map { index in
                if keysOnly && (index >= flagCount || flags[Int(index)] == 0) { return nil }
                var value: OpaquePointer?
                guard read(iterator, index, &value) == SQLITE_OK, let value else { return nil }
                return SQLValue(sqliteValue: value)
            }
        }
        let kind: Change.Operation = operation == SQLITE_INSERT ? .insert : operation == SQLITE_DELETE ? .delete : .update
        return Change(
            table: table.map { String(cString: $0) } ?? "",
            operation: kind,
            old: kind == .insert ? [] : values(sqlite3changeset_old),
            new: kind == .delete ? [] : values(sqlite3changeset_new),
            primaryKey: (0..<Int(flagCount)).map { flags[$0] != 0 })
    }

    /// The changesets as one (SQLite's change group: a row changed by
    /// several is one change, with its net effect).
    public static func combining(_ changesets: [Changeset]) throws -> Changeset {
        let group = try ChangeGroup()
        for changeset in changesets { try group.add(changeset) }
        return try group.output()
    }
}

/// SQLite's change group (`sqlite3changegroup`): changesets added one at a
/// time, output as one, each row once with its net change. Owns its handle.
public final class ChangeGroup {
    private let handle: OpaquePointer

    public init() throws {
        var group: OpaquePointer?
        let code = sqlite3changegroup_new(&group)
        guard code == SQLITE_OK, let group else { throw SQLiteError(code: code, message: "cannot make a change group") }
        handle = group
    }

    deinit { sqlite3changegroup_delete(handle) }

    public func add(_ changeset: Changeset) throws {
        guard !changeset.bytes.isEmpty else { return }
        // sqlite3changegroup_add only reads the buffer.
        let code = changeset.bytes.withUnsafeBytes { sqlite3changegroup_add(handle, Int32($0.count), UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        guard code == SQLITE_OK else { throw SQLiteError(code: code, message: "a changeset to combine is damaged") }
    }

    public func output() throws -> Changeset {
        var size: Int32 = 0
        var buffer: UnsafeMutableRawPointer?
        let code = sqlite3changegroup_output(handle, &size, &buffer)
        defer { sqlite3_free(buffer) }
        guard code == SQLITE_OK else { throw SQLiteError(code: code, message: "cannot combine the changesets") }
        guard let buffer, size > 0 else { return Changeset(bytes: []) }
        return Changeset(bytes: Array(UnsafeRawBufferPointer(start: buffer, count: Int(size))))
    }
}

/// A change that does not fit the receiving database, as
/// `sqlite3changeset_apply_v2` reports it to the conflict handler.
public struct ChangesetConflict {
    public enum Kind: Sendable, Equatable {
        /// The row is there, but not as the change expected (changed at both sites).
        case data
        /// The row to update or delete is not there.
        case notFound
        /// The row to insert is there already.
        case conflict
        /// A CHECK, NOT NULL or UNIQUE constraint refused the change.
        case constraint
        /// Foreign keys do not hold once every change is in (reported once, at the end).
        case foreignKey
    }

    public let kind: Kind
    /// The change (empty for `foreignKey`, which is about the whole changeset).
    public let change: Changeset.Change?
    /// The receiving database's row, for `data` and `conflict`.
    public let current: [SQLValue?]?

    /// What to do. SQLite accepts `replace` only for `data` and `conflict`;
    /// `omit` for a foreign-key conflict would commit the dangling rows, so
    /// `Database.apply` turns it into `abort`.
    public enum Answer: Sendable { case omit, replace, abort }
}

extension Database {
    /// Applies `changeset` to this connection, asking `onConflict` about each
    /// change that does not fit. `tables`, when given, says which tables'
    /// changes are applied; the changes to any other are skipped. An `abort` answer undoes everything the
    /// call applied and throws `SQLITE_ABORT`. Run it inside the caller's
    /// transaction to keep it all-or-nothing with other writes.
    public func apply(
        _ changeset: Changeset, tables: ((String) -> Bool)? = nil, onConflict: (ChangesetConflict) -> ChangesetConflict.Answer
    ) throws {
        guard !changeset.bytes.isEmpty else { return }
        try withoutActuallyEscaping(onConflict) { handler in
            let box = ConflictBox(handler)
            box.tables = tables
            let code = changeset.bytes.withUnsafeBytes { raw in
                sqlite3changeset_apply_v2(
                    handle, Int32(raw.count), UnsafeMutableRawPointer(mutating: raw.baseAddress),
                    // xFilter: whether the changes to a table are applied at all.
                    { context, table in
                        guard let context, let table else { return 0 }
                        let box = Unmanaged<ConflictBox>.fromOpaque(context).takeUnretainedValue()
                        return box.tables.map { $0(String(cString: table)) ? 1 : 0 } ?? 1
                    },
                    { context, reason, iterator in
                        guard let context, let iterator else { return SQLITE_CHANGESET_ABORT }
                        let box = Unmanaged<ConflictBox>.fromOpaque(context).takeUnretainedValue()
                        return box.answer(reason: reason, iterator: iterator)
                    },
                    Unmanaged.passUnretained(box).toOpaque(), nil, nil, 0)
            }
            withExtendedLifetime(box) {}
            if let error = box.error { throw error }
            guard code == SQLITE_OK else { throw SQLiteError(connection: handle, code: code, sql: nil) }
        }
    }
}

/// Carries the Swift conflict handler through SQLite's C callback.
private final class ConflictBox {
    let handler: (ChangesetConflict) -> ChangesetConflict.Answer
    var error: Error?
    /// Which tables to apply (nil: all), for the filter callback.
    var tables: ((String) -> Bool)?

    init(_ handler: @escaping (ChangesetConflict) -> ChangesetConflict.Answer) {
        self.handler = handler
    }

    func answer(reason: Int32, iterator: OpaquePointer) -> Int32 {
        let kind: ChangesetConflict.Kind
        switch reason {
        case SQLITE_CHANGESET_DATA: kind = .data
        case SQLITE_CHANGESET_NOTFOUND: kind = .notFound
        case SQLITE_CHANGESET_CONFLICT: kind = .conflict
        case SQLITE_CHANGESET_FOREIGN_KEY: kind = .foreignKey
        default: kind = .constraint
        }
        var change: Changeset.Change?
        var current: [SQLValue?]?
        if kind != .foreignKey {
            do {
                let found = try Changeset.change(at: iterator)
                change = found
                if kind == .data || kind == .conflict {
                    let count = max(found.old.count, found.new.count)
                    current = (0..<Int32(count)).map { index in
                        var value: OpaquePointer?
                        guard sqlite3changeset_conflict(iterator, index, &value) == SQLITE_OK, let value else { return nil }
                        return SQLValue(sqliteValue: value)
                    }
                }
            } catch {
                self.error = error
                return SQLITE_CHANGESET_ABORT
            }
        }
        switch handler(ChangesetConflict(kind: kind, change: change, current: current)) {
        case .replace where kind == .data || kind == .conflict: return SQLITE_CHANGESET_REPLACE
        // Never OMIT a foreign-key conflict: SQLite would commit the dangling rows.
        case .omit where kind != .foreignKey: return SQLITE_CHANGESET_OMIT
        default: return SQLITE_CHANGESET_ABORT
        }
    }
}

extension SQLValue {
    /// A protected `sqlite3_value` (a changeset's or a conflict's), copied out.
    init(sqliteValue value: OpaquePointer) {
        switch sqlite3_value_type(value) {
        case SQLITE_NULL: self = .null
        case SQLITE_INTEGER: self = .integer(sqlite3_value_int64(value))
        case SQLITE_FLOAT: self = .real(sqlite3_value_double(value))
        case SQLITE_TEXT:
            let count = Int(sqlite3_value_bytes(value))
            guard let text = sqlite3_value_text(value) else {
                self = .text("")
                return
            }
            self = .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        default:
            let count = Int(sqlite3_value_bytes(value))
            guard let bytes = sqlite3_value_blob(value) else {
                self = .blob(Data())
                return
            }
            self = .blob(Data(bytes: bytes, count: count))
        }
    }
}
