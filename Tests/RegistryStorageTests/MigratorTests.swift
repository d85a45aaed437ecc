import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryStorage

@Suite struct MigratorTests {
    let folder: TemporaryDirectory
    let first = Migration(version: 1, name: "things", sql: "CREATE TABLE thing (code TEXT PRIMARY KEY, label TEXT) STRICT;")
    let second = Migration(version: 2, name: "thing_notes", sql: "ALTER TABLE thing ADD COLUMN notes TEXT;")

    init() throws { folder = try TemporaryDirectory() }

    func open() throws -> Database { try Database(path: folder.path("m.db"), mode: .create) }

    @Test func freshDatabaseGetsEveryMigration() throws {
        let db = try open()
        let applied = try Migrator(migrations: [second, first]).migrate(db)
        #expect(applied.map(\.version) == [1, 2])
        let status = try Migrator(migrations: [first, second]).status(db)
        #expect(status.pending.isEmpty)
        #expect(status.applied.map(\.checksum) == [first.checksum, second.checksum])
        #expect(try Migrator(migrations: [first, second]).migrate(db).isEmpty)
    }

    @Test func upgradeKeepsData() throws {
        let db = try open()
        _ = try Migrator(migrations: [first]).migrate(db)
        try db.execute("INSERT INTO thing (code, label) VALUES ('a', '甲')")
        #expect(try Migrator(migrations: [first, second]).status(db).pending == [second])
        #expect(try Migrator(migrations: [first, second]).migrate(db) == [second])
        let row = try #require(try db.row("SELECT code, label, notes FROM thing"))
        #expect(try row.get("label", as: String.self) == "甲")
        #expect(try row.get("notes", as: String?.self) == nil)
    }

    @Test func editedMigrationIsRefused() throws {
        let db = try open()
        _ = try Migrator(migrations: [first]).migrate(db)
        let edited = Migration(version: 1, name: "things", sql: first.sql + " -- a shipped migration never changes")
        #expect(throws: MigrationError.edited(version: 1, name: "things")) {
            try Migrator(migrations: [edited, second]).migrate(db)
        }
        #expect(throws: MigrationError.edited(version: 1, name: "things")) {
            try Migrator(migrations: [edited]).status(db)
        }
        // Nothing of migration 2 was applied.
        #expect(try db.scalar("SELECT count(*) FROM schema_migration", as: Int.self) == 1)
    }

    @Test func databaseFromNewerProgramIsRefused() throws {
        let db = try open()
        _ = try Migrator(migrations: [first, second]).migrate(db)
        let error = try #require(throws: MigrationError.self) { try Migrator(migrations: [first]).status(db) }
        #expect(error == .unknown(version: 2, name: "thing_notes"))
        #expect(error.description.contains("newer registry"))
    }

    @Test func failingMigrationLeavesNothingBehind() throws {
        let db = try open()
        let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE half (x TEXT) STRICT; INSERT INTO nowhere VALUES (1);")
        #expect(throws: SQLiteError.self) { try Migrator(migrations: [first, broken]).migrate(db) }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'half'", as: Int.self) == 0)
        #expect(try Migrator(migrations: [first, broken]).status(db).pending == [broken])
    }

    @Test func foreignKeyViolationsRollTheMigrationBack() throws {
        let db = try open()
        _ = try Migrator(migrations: [first]).migrate(db)
        // With foreign keys off inside a migration (as when a table is rebuilt),
        // only foreign_key_check stands between bad rows and a commit.
        let dangling = Migration(
            version: 2, name: "dangling",
            sql: """
                PRAGMA defer_foreign_keys = ON;
                CREATE TABLE part (code TEXT PRIMARY KEY, thing TEXT REFERENCES thing (code)) STRICT;
                INSERT INTO part VALUES ('p', 'missing');
                """)
        #expect(throws: MigrationError.foreignKeyViolations(version: 2, count: 1)) { try Migrator(migrations: [first, dangling]).migrate(db) }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'part'", as: Int.self) == 0)
    }

    @Test func migrationCanRebuildAReferencedTable() throws {
        let db = try open()
        let parts = Migration(version: 2, name: "parts", sql: "CREATE TABLE part (code TEXT PRIMARY KEY, thing TEXT NOT NULL REFERENCES thing (code)) STRICT;")
        _ = try Migrator(migrations: [first, parts]).migrate(db)
        try db.execute("INSERT INTO thing (code, label) VALUES ('a', '甲')")
        try db.execute("INSERT INTO part VALUES ('p', 'a')")
        let rebuild = Migration(
            version: 3, name: "rebuild",
            sql: """
                CREATE TABLE thing_new (code TEXT PRIMARY KEY, label TEXT CHECK (label <> '')) STRICT;
                INSERT INTO thing_new SELECT code, label FROM thing;
                DROP TABLE thing;
                ALTER TABLE thing_new RENAME TO thing;
                """)
        #expect(try Migrator(migrations: [first, parts, rebuild]).migrate(db) == [rebuild])
        #expect(try db.scalar("SELECT label FROM thing JOIN part ON part.thing = thing.code", as: String.self) == "甲")
        // Foreign keys are enforced again once the migrations are done.
        #expect(try db.scalar("PRAGMA foreign_keys", as: Int.self) == 1)
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO part VALUES ('q', 'missing')") }
    }

    @Test func migrationNamesComeFromFileNames() throws {
        let migration = try #require(Migration(fileName: "0007_add_targets.sql", sql: "SELECT 1"))
        #expect(migration.version == 7)
        #expect(migration.name == "add_targets")
        #expect(Migration(fileName: "notes.txt", sql: "") == nil)
        #expect(Migration(fileName: "x_name.sql", sql: "") == nil)
    }
}
