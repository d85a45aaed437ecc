import RegistryStorage

/// A table as the write path knows it. The SQL of every write is built from
/// these fixed names only, never from user text.
///
/// The statements are built once, when the schema value is made: they are the
/// statement cache's keys, looked up for every row of an import.
struct TableSchema: Sendable {
    let name: String
    let primaryKey: [String]
    let columns: [String]
    let selectSQL: String
    let keyCondition: String
    let insertSQL: String
    let updateSQL: String
    let deleteSQL: String

    init(name: String, primaryKey: [String], columns: [String]) {
        self.name = name
        self.primaryKey = primaryKey
        self.columns = columns
        selectSQL = "SELECT \(columns.joined(separator: ", ")) FROM \(name)"
        keyCondition = primaryKey.map { "\($0) = ?" }.joined(separator: " AND ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        insertSQL = "INSERT INTO \(name) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))"
        deleteSQL = "DELETE FROM \(name) WHERE \(keyCondition)"
        updateSQL = "UPDATE \(name) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE \(keyCondition)"
    }
}

/// A domain record that maps to one row of one table.
protocol StoredRecord {
    static var table: TableSchema { get }
    /// Primary-key values, in `table.primaryKey` order.
    var key: [SQLValue] { get }
    /// Column values, in `table.columns` order.
    var values: [SQLValue] { get }
    init(row: Row) throws
    /// The year whose close freezes this record (see YearClose.swift). Every
    /// record type states it, with no default: one that never freezes returns
    /// nil and says why, so that a new entity cannot silently escape year close.
    var closingYear: ClosingYear? { get }
    static func isYearNeutral(from before: Self, to after: Self) -> Bool
}

extension Choice {
    /// Reads a value the database already holds (its CHECK admits only our keys).
    static func stored(_ raw: String) throws -> Self {
        guard let value = Self(rawValue: raw) else {
            throw UnexpectedStoredValue(column: "\(Self.self)", value: raw, expected: "one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

extension Database {
    /// Loads one record by primary key (reads only; writes go through `RowStore`).
    func record<Record: StoredRecord>(_ type: Record.Type, key: [SQLValue]) throws -> Record? {
        try row("\(Record.table.selectSQL) WHERE \(Record.table.keyCondition)", key).map(Record.init(row:))
    }
}
