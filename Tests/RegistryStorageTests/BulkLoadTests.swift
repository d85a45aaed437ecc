import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryStorage

@Suite struct BulkLoadTests {
    let folder: TemporaryDirectory
    let db: Database

    init() throws {
        folder = try TemporaryDirectory()
        db = try Database(path: folder.path("bulk.db"), mode: .create)
        try db.executeScript(
            """
            CREATE TABLE item (code TEXT PRIMARY KEY, name TEXT UNIQUE, day TEXT, kind TEXT) STRICT;
            CREATE INDEX item_day ON item (day);
            CREATE INDEX "item kind" ON item (kind, day);
            CREATE TABLE other (x TEXT PRIMARY KEY, y TEXT) STRICT;
            CREATE INDEX other_y ON other (y);
            """)
    }

    func schema() throws -> [String] {
        try db.rows("SELECT type, name, coalesce(sql, '') AS sql FROM sqlite_schema ORDER BY name").map {
            "\(try $0.get("type", as: String.self)) \(try $0.get("name", as: String.self)) \(try $0.get("sql", as: String.self))"
        }
    }

    func indexNames() throws -> Set<String> {
        Set(try db.rows("SELECT name FROM sqlite_schema WHERE type = 'index'").map { try $0.get("name", as: String.self) })
    }

    @Test func secondaryIndexesAreDroppedDuringTheLoadAndRebuiltAfter() throws {
        let before = try schema()
        var during: Set<String> = []
        try db.transaction {
            try db.bulkLoading(into: ["item"]) {
                during = try indexNames()
                for index in 0..<500 {
                    try db.execute(
                        "INSERT INTO item VALUES (?, ?, ?, ?)",
                        [.text("C\(index)"), .text("N\(index)"), .text("2025-01-\(index % 28 + 10)"), .text("k\(index % 3)")])
                }
                // UNIQUE constraints are still enforced during the load.
                #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO item VALUES ('x', 'N1', NULL, NULL)") }
            }
        }
        #expect(!during.contains("item_day") && !during.contains("item kind"))
        #expect(during.contains("other_y") && during.contains("sqlite_autoindex_item_1") && during.contains("sqlite_autoindex_item_2"))
        #expect(try schema() == before)
        #expect(try db.rows("PRAGMA integrity_check").map { try $0.get("integrity_check", as: String.self) } == ["ok"])
        // The rebuilt index answers queries.
        let plan = try db.rows("EXPLAIN QUERY PLAN SELECT count(*) FROM item WHERE day = '2025-01-10'").map { try $0.get("detail", as: String.self) }
        #expect(plan.joined().contains("item_day"))
        #expect(try db.scalar("SELECT count(*) FROM item WHERE day = '2025-01-10'", as: Int.self) == 18)
        #expect(try db.scalar("PRAGMA cache_size", as: Int.self) == -2_000)
    }

    @Test func aFailedLoadLeavesTheSchemaAsItWas() throws {
        let before = try schema()
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try db.transaction {
                try db.bulkLoading(into: ["item", "other"]) {
                    try db.execute("INSERT INTO item VALUES ('a', 'b', 'c', 'd')")
                    throw Stop()
                }
            }
        }
        #expect(try schema() == before)
        #expect(try db.scalar("SELECT count(*) FROM item", as: Int.self) == 0)
    }

    @Test func quotedIdentifierDoublesQuotes() {
        #expect(Database.quotedIdentifier("a\"b") == "\"a\"\"b\"")
    }
}
