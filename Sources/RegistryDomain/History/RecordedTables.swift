import RegistryStorage

/// The tables whose every row the change log accounts for: `verify` replays
/// the log and expects exactly their rows. They are the registered entities'
/// tables (`EntitySet`).
///
/// A migration that adds a recorded table or a column must also log the rows
/// it writes (a `Migrator.DataStep`), or `verify` reports them.
enum RecordedTables {
    /// The tables of migration 0005's baseline: the built-in ones, in dependency order.
    static var all: [TableSchema] { EntitySet.builtIn.tables }

    /// Every row of `table`, in primary-key order, as (key JSON, row JSON).
    static func forEachRow(of table: TableSchema, in db: Database, _ body: (_ key: String, _ row: String) throws -> Void) throws {
        let keyIndexes = table.primaryKey.map { column in table.columns.firstIndex(of: column)! }
        try db.forEachRow("\(table.selectSQL) ORDER BY \(table.primaryKey.joined(separator: ", "))") { row in
            let key = CanonicalJSON.array(keyIndexes.map { row.values[$0] })
            try body(key, CanonicalJSON.object(columns: table.columns, values: row.values))
        }
    }
}
