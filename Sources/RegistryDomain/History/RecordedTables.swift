import RegistryStorage

/// The tables whose every row the change log accounts for: `verify` replays
/// the log and expects exactly their rows. Column lists are the domain's own
/// (`StoredRecord.table`), plus the two tables that only migrations write.
///
/// A migration that adds a recorded table or a column must also log the rows
/// it writes (a `Migrator.DataStep`), or `verify` reports them.
enum RecordedTables {
    static let sector = TableSchema(name: "sector", primaryKey: ["key"], columns: ["key", "name_zh", "name_en", "key_emerging"])
    static let localSite = TableSchema(name: "local_site", primaryKey: ["singleton"], columns: ["singleton", "code"])

    /// In dependency order (a referenced table before the tables that refer to it).
    static let all: [TableSchema] = [
        localSite, sector, Park.table, Enterprise.table, Project.table, StageChange.table, Target.table,
        Fund.table, Allocation.table, Disbursement.table, YearClose.table,
    ]

    static func named(_ name: String) -> TableSchema? {
        all.first { $0.name == name }
    }

    /// Every row of `table`, in primary-key order, as (key JSON, row JSON).
    static func forEachRow(of table: TableSchema, in db: Database, _ body: (_ key: String, _ row: String) throws -> Void) throws {
        let keyIndexes = table.primaryKey.map { column in table.columns.firstIndex(of: column)! }
        try db.forEachRow("\(table.selectSQL) ORDER BY \(table.primaryKey.joined(separator: ", "))") { row in
            let key = CanonicalJSON.array(keyIndexes.map { row.values[$0] })
            try body(key, CanonicalJSON.object(columns: table.columns, values: row.values))
        }
    }
}
