extension Database {
    /// Runs `body`, which inserts many rows into `tables`, the way bulk loaders
    /// do: the tables' non-unique indexes are dropped first and created again
    /// afterwards from their own stored definitions, and the page cache is
    /// enlarged meanwhile.
    ///
    /// Why: rows arrive in file order, so every insert into an index on another
    /// column lands on a random page; past a few hundred thousand rows those
    /// pages no longer fit in the cache and each insert costs a read and a
    /// spill. `CREATE INDEX` sorts once instead. UNIQUE indexes (primary keys
    /// included) stay, because they enforce rules while the rows go in.
    ///
    /// Must run inside the caller's transaction, so that a failure or a crash
    /// rolls the indexes back together with the rows: the schema a reader or
    /// a later transaction sees is never without them.
    public func bulkLoading<T>(into tables: [String], cacheKiB: Int = 12_288, _ body: () throws -> T) throws -> T {
        precondition(isInTransaction, "bulkLoading needs an open transaction")
        var deferred: [(name: String, sql: String)] = []
        for table in tables {
            let indexes = try rows(
                """
                SELECT s.name, s.sql FROM sqlite_schema AS s JOIN pragma_index_list(?1) AS i ON i.name = s.name
                WHERE s.type = 'index' AND s.sql IS NOT NULL AND i."unique" = 0 ORDER BY s.name
                """, [.text(table)])
            for index in indexes {
                deferred.append((try index.get("name", as: String.self), try index.get("sql", as: String.self)))
            }
        }
        let previousCache = try scalar("PRAGMA cache_size", as: Int.self) ?? -2_000
        try executeScript("PRAGMA cache_size = -\(cacheKiB)")
        defer { try? executeScript("PRAGMA cache_size = \(previousCache)") }
        for index in deferred {
            try executeScript("DROP INDEX \(Self.quotedIdentifier(index.name))")
        }
        func recreate() throws {
            // The sorter behind CREATE INDEX may use as much memory as the page
            // cache; a smaller cache keeps the two from adding up.
            try executeScript("PRAGMA cache_size = -\(min(cacheKiB, 4_096))")
            for index in deferred { try executeScript(index.sql) }
        }
        let result: T
        do {
            result = try body()
        } catch {
            // The caller rolls back, which restores them anyway; recreate so that a
            // caller that catches and carries on still has them.
            try? recreate()
            throw error
        }
        try recreate()
        return result
    }

    /// An identifier quoted for SQL text (`"name"`, inner quotes doubled).
    public static func quotedIdentifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
