import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryStorage

/// The session extension through our own wrapper, on real files: what one
/// site records applies at another, conflicts reach the Swift handler with
/// both sides' values, and an aborted apply leaves nothing behind.
@Suite struct SessionTests {
    let folder: TemporaryDirectory
    let site: Database
    let headquarters: Database

    static let schema = """
        CREATE TABLE park (code TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;
        CREATE TABLE project (code TEXT PRIMARY KEY, park TEXT NOT NULL REFERENCES park (code), fen INTEGER NOT NULL CHECK (fen >= 0)) STRICT;
        INSERT INTO park VALUES ('P1', '园区一');
        """

    init() throws {
        folder = try TemporaryDirectory()
        site = try Database(path: folder.path("site.db"), mode: .create)
        headquarters = try Database(path: folder.path("hq.db"), mode: .create)
        try site.executeScript(Self.schema)
        try headquarters.executeScript(Self.schema)
    }

    func recorded(_ sql: String) throws -> Changeset {
        let session = try Session(db: site)
        try session.attach("park")
        try session.attach("project")
        try site.executeScript(sql)
        #expect(!session.isEmpty)
        return try session.changeset()
    }

    func rows(_ db: Database) throws -> [String] {
        try db.rows("SELECT code, park, fen FROM project ORDER BY code").map {
            "\(try $0.get("code", as: String.self)) \(try $0.get("park", as: String.self)) \(try $0.get("fen", as: Int64.self))"
        }
    }

    @Test func whatOneSiteRecordsAppliesAtAnother() throws {
        let first = try recorded(
            """
            INSERT INTO project VALUES ('HF-1', 'P1', 100), ('HF-2', 'P1', 200), ('HF-3', 'P1', 300);
            """)
        let second = try recorded(
            """
            UPDATE project SET fen = 250 WHERE code = 'HF-2';
            DELETE FROM project WHERE code = 'HF-3';
            """)
        var changes: [String] = []
        try second.forEachChange { changes.append("\($0.table) \($0.operation) \($0.old.count) \($0.new.count)") }
        #expect(changes.sorted() == ["project delete 3 0", "project update 3 3"])
        // Combined: HF-3 inserted then deleted is nothing; HF-2 is inserted at 250.
        let both = try Changeset.combining([first, second])
        var combined: [Changeset.Change] = []
        try both.forEachChange { combined.append($0) }
        #expect(combined.count == 2 && combined.allSatisfy { $0.operation == .insert })
        try headquarters.transaction { try headquarters.apply(both) { _ in .abort } }
        #expect(try rows(headquarters) == rows(site))
        #expect(try rows(headquarters) == ["HF-1 P1 100", "HF-2 P1 250"])
    }

    @Test func aRowChangedAtBothSitesReachesTheHandlerWithBothValues() throws {
        try site.executeScript("INSERT INTO project VALUES ('HF-1', 'P1', 100)")
        try headquarters.executeScript("INSERT INTO project VALUES ('HF-1', 'P1', 100)")
        let change = try recorded("UPDATE project SET fen = 150 WHERE code = 'HF-1'")
        try headquarters.execute("UPDATE project SET fen = 999 WHERE code = 'HF-1'")
        var seen: [ChangesetConflict] = []
        let error = #expect(throws: SQLiteError.self) {
            try headquarters.transaction {
                try headquarters.apply(change) {
                    seen.append($0); return .abort
                }
            }
        }
        #expect(error?.primaryCode == 4, "SQLITE_ABORT: \(String(describing: error))")
        #expect(seen.count == 1 && seen.first?.kind == .data)
        #expect(seen.first?.change?.old[2] == .integer(100) && seen.first?.change?.new[2] == .integer(150))
        #expect(seen.first?.current?[2] == .integer(999), "headquarters' own value")
        #expect(try rows(headquarters) == ["HF-1 P1 999"], "nothing applied")
        // Replacing takes the site's value.
        try headquarters.transaction { try headquarters.apply(change) { _ in .replace } }
        #expect(try rows(headquarters) == ["HF-1 P1 150"])
    }

    @Test func aDanglingReferenceIsNeverCommitted() throws {
        let change = try recorded(
            """
            INSERT INTO park VALUES ('P2', '园区二');
            INSERT INTO project VALUES ('HF-9', 'P2', 1);
            """)
        // Headquarters has a park P2 of its own: the site's insert of it
        // conflicts and is left out (omit); the project then refers to
        // headquarters' park, which exists.
        var kinds: [ChangesetConflict.Kind] = []
        try headquarters.executeScript("INSERT INTO park VALUES ('P2', '园区二x')")
        try headquarters.transaction {
            try headquarters.apply(change) {
                kinds.append($0.kind); return .omit
            }
        }
        #expect(kinds == [.conflict], "the park exists with another name")
        #expect(try rows(headquarters) == ["HF-9 P2 1"])

        // A changeset whose project names a park nobody has: recorded with
        // foreign keys off at the site, so only the receiver can catch it.
        try site.executeScript("PRAGMA foreign_keys = OFF")
        let dangling = try recorded("INSERT INTO project VALUES ('HF-11', 'NOPE', 1)")
        try site.executeScript("PRAGMA foreign_keys = ON")
        kinds = []
        let error = #expect(throws: SQLiteError.self) {
            try headquarters.transaction {
                try headquarters.apply(dangling) {
                    kinds.append($0.kind); return .omit
                }
            }
        }
        #expect(error != nil)
        #expect(kinds.contains(.foreignKey))
        #expect(try headquarters.scalar("SELECT count(*) FROM project WHERE code = 'HF-11'", as: Int.self) == 0)
    }

    @Test func bytesThatAreNotAChangesetAreRefused() throws {
        let change = try recorded("INSERT INTO project VALUES ('HF-1', 'P1', 100)")
        var damaged = change.bytes
        damaged.removeLast(3)
        #expect(throws: SQLiteError.self) { try Changeset(bytes: damaged).forEachChange { _ in } }
        #expect(throws: SQLiteError.self) { try headquarters.transaction { try headquarters.apply(Changeset(bytes: damaged)) { _ in .abort } } }
        #expect(try rows(headquarters).isEmpty)
    }
}
