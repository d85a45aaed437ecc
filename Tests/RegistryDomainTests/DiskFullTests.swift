import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// Disk full without a small disk: SQLite's `max_page_count` makes the file
/// unable to grow, which fails with the same SQLITE_FULL. (ReliabilityTests
/// does it with a real 1 MiB tmpfs where the machine allows mounting one.)
@Suite(.tags(.slow), .enabled(if: TestTier.full, TestTier.note)) struct DiskFullTests {
    @Test func fullDatabaseRollsTheImportBackWhole() throws {
        let folder = try TemporaryDirectory()
        let registry = try Registry.create(at: folder.path("registry.db")).registry
        let context = WriteContext(actor: "tester", command: "import projects")
        let file = folder.path("projects.csv")
        let lines = ["code,name,kind,planned_investment,signed_on"] + (0..<5_000).map { "WB-\($0),民生项目\($0),wellbeing,100万,2026-03-01" }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let pages = try #require(try registry.db.scalar("PRAGMA page_count", as: Int.self))
        try registry.db.executeScript("PRAGMA max_page_count = \(pages + 20)")
        let head = try registry.logHead()
        let error = #expect(throws: SQLiteError.self) { try Importer.run(.projects, path: file, into: registry, context: context) }
        #expect(error?.isDiskFull == true, "\(String(describing: error))")
        #expect(try registry.db.scalar("SELECT count(*) FROM project", as: Int.self) == 0)
        #expect(try registry.logHead() == head)
        #expect(try registry.verify().isIntact)
        // Room again: the same import goes through.
        try registry.db.executeScript("PRAGMA max_page_count = 1073741823")
        #expect(try Importer.run(.projects, path: file, into: registry, context: context).inserted == 5_000)
    }
}
