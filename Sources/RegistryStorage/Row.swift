/// One result row, detached from its statement (safe to keep after stepping on).
public struct Row: Equatable, Sendable {
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    /// The raw value of a column; a missing column is a programmer error.
    public subscript(_ column: String) -> SQLValue {
        guard let index = columns.firstIndex(of: column) else {
            preconditionFailure("no column \(column) in row with columns \(columns)")
        }
        return values[index]
    }

    /// The value of a column converted to `T`; use an Optional `T` for nullable columns.
    ///
    /// - throws: `SQLiteError` with `SQLITE_MISMATCH` when the stored value does
    ///   not convert (a schema that drifted from the code, never user input).
    public func get<T: SQLValueConvertible>(_ column: String, as type: T.Type = T.self) throws -> T {
        let value = self[column]
        guard let converted = T(sqlValue: value) else {
            throw SQLiteError(
                code: 20,  // SQLITE_MISMATCH: "data type mismatch"
                message: "column \(column) holds \(value), which is not a \(T.self)"
            )
        }
        return converted
    }
}
