import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryStorage

@Suite struct DatabaseTests {
    let folder: TemporaryDirectory
    let db: Database

    init() throws {
        folder = try TemporaryDirectory()
        db = try Database(path: folder.path("test.db"), mode: .create)
        try db.executeScript(
            """
            CREATE TABLE parent (id TEXT PRIMARY KEY) STRICT;
            CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT NOT NULL REFERENCES parent (id), amount INTEGER CHECK (amount >= 0)) STRICT;
            CREATE TABLE value (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB) STRICT;
            """)
    }

    @Test func connectionIsConfiguredAtOpen() throws {
        #expect(try db.scalar("PRAGMA foreign_keys", as: Int.self) == 1)
        #expect(try db.scalar("PRAGMA journal_mode", as: String.self) == "wal")
        #expect(try db.scalar("PRAGMA synchronous", as: Int.self) == 2)  // FULL
    }

    @Test func errorsCarryExtendedCodeMessageAndSQL() throws {
        try db.execute("INSERT INTO parent (id) VALUES (?)", ["a"])
        let sql = "INSERT INTO parent (id) VALUES (?)"
        let error = try #require(throws: SQLiteError.self) { try db.execute(sql, ["a"]) }
        #expect(error.code == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY
        #expect(error.isUniqueViolation)
        #expect(error.message.contains("UNIQUE constraint failed: parent.id"))
        #expect(error.sql == sql)
        #expect(error.description.contains(sql))

        let syntax = try #require(throws: SQLiteError.self) { try db.execute("SELEC 1") }
        #expect(syntax.code == 1)  // SQLITE_ERROR
        #expect(syntax.sql == "SELEC 1")
        #expect(syntax.message.contains("syntax error"))
    }

    @Test func foreignKeysAreEnforced() throws {
        let error = try #require(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child (id, parent) VALUES ('c', 'nobody')")
        }
        #expect(error.code == 787)  // SQLITE_CONSTRAINT_FOREIGNKEY
        #expect(error.isForeignKeyViolation)
    }

    @Test func checkConstraintsHaveTheirExtendedCode() throws {
        try db.execute("INSERT INTO parent (id) VALUES ('p')")
        let error = try #require(throws: SQLiteError.self) {
            try db.execute("INSERT INTO child (id, parent, amount) VALUES ('c', 'p', -1)")
        }
        #expect(error.code == SQLiteError.constraintCheck)
    }

    @Test func typedValuesRoundTrip() throws {
        let text = "深汕\u{0}合作区 ✓"  // an embedded NUL is kept, not cut
        let blob = Data([0, 1, 2, 255])
        try db.execute(
            "INSERT INTO value (id, i, r, t, b) VALUES (1, ?, ?, ?, ?)",
            [.integer(.max), .real(0.5), .text(text), .blob(blob)])
        try db.execute("INSERT INTO value (id, i, r, t, b) VALUES (2, ?, ?, ?, ?)", [nil, nil, nil, nil])
        let rows = try db.rows("SELECT i, r, t, b FROM value ORDER BY id")
        #expect(try rows[0].get("i", as: Int64.self) == .max)
        #expect(try rows[0].get("r", as: Double.self) == 0.5)
        #expect(try rows[0].get("t", as: String.self) == text)
        #expect(try rows[0].get("b", as: Data.self) == blob)
        #expect(try rows[1].get("i", as: Int64?.self) == nil)
        #expect(try rows[1].get("t", as: String?.self) == nil)
        // A NULL read as a non-optional is an error, not a silent default.
        #expect(throws: SQLiteError.self) { try rows[1].get("i", as: Int64.self) }
        // Text is never converted to a number.
        #expect(throws: SQLiteError.self) { try rows[0].get("t", as: Int64.self) }
    }

    @Test func statementsAreCachedAndReused() throws {
        let before = db.cachedStatementCount
        for index in 0..<10 {
            try db.execute("INSERT INTO parent (id) VALUES (?)", [.text("p\(index)")])
        }
        #expect(db.cachedStatementCount == before + 1)
        #expect(try db.scalar("SELECT count(*) FROM parent", as: Int.self) == 10)
    }

    @Test func transactionCommitsOnReturn() throws {
        try db.transaction { try db.execute("INSERT INTO parent (id) VALUES ('kept')") }
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM parent WHERE id = 'kept'", as: Int.self) == 1)
    }

    @Test func transactionRollsBackAndRethrowsOnThrow() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.execute("INSERT INTO parent (id) VALUES ('gone')")
                throw Boom()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.scalar("SELECT count(*) FROM parent", as: Int.self) == 0)
    }

    @Test func nestedTransactionsUseSavepoints() throws {
        struct Inner: Error {}
        try db.transaction {
            try db.execute("INSERT INTO parent (id) VALUES ('outer')")
            // The inner failure undoes only the inner work; the outer body goes on.
            do {
                try db.transaction {
                    try db.execute("INSERT INTO parent (id) VALUES ('inner')")
                    throw Inner()
                }
            } catch is Inner {}
            try db.transaction { try db.execute("INSERT INTO parent (id) VALUES ('inner2')") }
        }
        let ids = try db.rows("SELECT id FROM parent ORDER BY id").map { try $0.get("id", as: String.self) }
        #expect(ids == ["inner2", "outer"])
    }

    @Test func immediateTransactionTakesTheWriteLock() throws {
        let other = try Database(path: db.path, busyTimeoutMilliseconds: 50)
        try db.transaction(.immediate) {
            let error = try #require(throws: SQLiteError.self) {
                try other.transaction(.immediate) {}
            }
            #expect(error.isBusy)
            // Readers are not blocked by the writer (WAL).
            #expect(try other.scalar("SELECT count(*) FROM parent", as: Int.self) == 0)
        }
    }

    @Test func openingSomethingThatIsNotADatabaseFails() throws {
        let path = folder.path("not.db")
        try Data("this is a text file, not SQLite, but long enough to have a header.......................................".utf8)
            .write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: SQLiteError.self) { try Database(path: path) }
        #expect(error.isNotADatabase)
    }

    @Test func openingAMissingFileWithoutCreateFails() throws {
        let error = try #require(throws: SQLiteError.self) { try Database(path: folder.path("missing.db")) }
        #expect(error.isCannotOpen)
        #expect(!FileManager.default.fileExists(atPath: folder.path("missing.db")))
    }
}
