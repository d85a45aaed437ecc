import Foundation
import RegistrySQLite3

extension Database {
    /// Makes a Swift function callable from SQL on this connection, e.g. the
    /// audits' `uscc_valid(code)` and `money(fen)`, which custom audit rules may
    /// use as well.
    ///
    /// Declared deterministic (same arguments, same result), so SQLite may
    /// evaluate it once per distinct argument. The closure lives as long as
    /// the connection: SQLite releases it through the destructor.
    public func defineFunction(_ name: String, argumentCount: Int32, _ body: @escaping ([SQLValue]) -> SQLValue) throws {
        let box = Unmanaged.passRetained(FunctionBox(body)).toOpaque()
        let code = sqlite3_create_function_v2(
            handle, name, argumentCount, SQLITE_UTF8 | SQLITE_DETERMINISTIC, box,
            { context, count, arguments in
                let box = Unmanaged<FunctionBox>.fromOpaque(sqlite3_user_data(context)!).takeUnretainedValue()
                let values = (0..<Int(count)).map { SQLValue(sqlite: arguments![$0]) }
                switch box.body(values) {
                case .null: sqlite3_result_null(context)
                case .integer(let value): sqlite3_result_int64(context, value)
                case .real(let value): sqlite3_result_double(context, value)
                case .text(let text):
                    // withCString stops at a NUL: pass the byte length instead.
                    let count = UInt64(text.utf8.count)
                    text.withCString { sqlite3_result_text64(context, $0, count, SQLITE_TRANSIENT_DESTRUCTOR, UInt8(SQLITE_UTF8)) }
                case .blob(let data):
                    data.withUnsafeBytes {
                        sqlite3_result_blob64(context, $0.baseAddress, UInt64(data.count), SQLITE_TRANSIENT_DESTRUCTOR)
                    }
                }
            },
            nil, nil,
            { pointer in pointer.map { Unmanaged<FunctionBox>.fromOpaque($0).release() } }
        )
        guard code == SQLITE_OK else {
            throw SQLiteError(connection: handle, code: code, sql: nil)
        }
    }
}

private final class FunctionBox {
    let body: ([SQLValue]) -> SQLValue
    init(_ body: @escaping ([SQLValue]) -> SQLValue) { self.body = body }
}

/// `SQLITE_TRANSIENT` (a cast of -1, which Swift does not import): SQLite copies the result.
private let SQLITE_TRANSIENT_DESTRUCTOR = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

extension SQLValue {
    /// An SQL function's argument as a value.
    init(sqlite value: OpaquePointer?) {
        switch sqlite3_value_type(value) {
        case SQLITE_INTEGER: self = .integer(sqlite3_value_int64(value))
        case SQLITE_FLOAT: self = .real(sqlite3_value_double(value))
        case SQLITE_TEXT:
            let count = Int(sqlite3_value_bytes(value))
            self = .text(sqlite3_value_text(value).map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? "")
        case SQLITE_BLOB:
            let count = Int(sqlite3_value_bytes(value))
            self = .blob(sqlite3_value_blob(value).map { Data(bytes: $0, count: count) } ?? Data())
        default: self = .null
        }
    }
}
