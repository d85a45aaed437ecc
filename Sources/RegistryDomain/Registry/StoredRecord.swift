import RegistryStorage

/// A table as the write path knows it. The SQL of every write is built from
/// these fixed names only, never from user text.
struct TableSchema: Sendable {
    let name: String
    let primaryKey: [String]
    let columns: [String]

    var selectSQL: String { "SELECT \(columns.joined(separator: ", ")) FROM \(name)" }
    var keyCondition: String { primaryKey.map { "\($0) = ?" }.joined(separator: " AND ") }
}

/// A domain record that maps to one row of one table.
protocol StoredRecord {
    static var table: TableSchema { get }
    /// Primary-key values, in `table.primaryKey` order.
    var key: [SQLValue] { get }
    /// Column values, in `table.columns` order.
    var values: [SQLValue] { get }
    init(row: Row) throws
}

extension Choice {
    /// Reads a value the database already holds (its CHECK admits only our keys).
    static func stored(_ raw: String) throws -> Self {
        guard let value = Self(rawValue: raw) else {
            throw SQLiteError(code: 20, message: "unexpected stored value \"\(raw)\" for \(Self.self)")
        }
        return value
    }
}
