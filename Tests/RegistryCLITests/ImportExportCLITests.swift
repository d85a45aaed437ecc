import Foundation
import RegistryTestSupport
import Testing

/// `registry import` and `registry export` through the built binary.
@Suite struct ImportExportCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        let result = try RegistryBinary.run(["init", "--db", database], in: folder.url)
        try #require(result.status == 0)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func importReportsEveryProblemByLineAndLeavesTheDatabaseUnchanged() throws {
        let parks = try write("parks.csv", "园区编号,园区名称,级别,所在县区\nA,甲园,县级,海丰县\nB,乙园,省级,海丰县\nC,,县级,\n")
        let before = try bytes(database)
        let result = try registry("import", "parks", parks)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines[0] == "line 3, column 级别: value \"省级\": is not accepted; accepted: municipal|county (市级|县级)")
        #expect(lines[1].hasPrefix("line 4, column 园区名称: value \"\": must not be empty"))
        #expect(lines[2].hasPrefix("line 4, column 所在县区"))
        #expect(lines.last!.hasSuffix("3 problem(s) in 3 row(s); nothing was imported"))
        #expect(result.stdout.isEmpty)
        #expect(try bytes(database) == before)
    }

    @Test func importDryRunAndUpsertReportCounts() throws {
        let parks = try write("parks.csv", "code,name,level,county\nA,甲园,county,海丰县\nB,乙园,municipal,城区\n")
        let before = try bytes(database)
        let dry = try registry("import", "parks", parks, "--dry-run")
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("2 rows read, would be 2 inserted"))
        #expect(try bytes(database) == before)
        let real = try registry("import", "parks", parks)
        #expect(real.stdout.contains("2 rows read, 2 inserted, 0 updated, 0 unchanged"))
        let changed = try write("parks2.csv", "code,name,level,county\nA,甲园,county,海丰县\nB,乙园（新）,municipal,城区\nC,丙园,county,陆河县\n")
        let upsert = try registry("import", "parks", changed, "--upsert")
        #expect(upsert.stdout.contains("3 rows read, 1 inserted, 1 updated, 1 unchanged"), "\(upsert.stdout)\(upsert.stderr)")
        let refused = try registry("import", "parks", changed)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("already in the database; use --upsert"))
    }

    @Test func headerOnlyFileSaysSo() throws {
        let path = try write("empty.csv", "code,name,level,county\n")
        let result = try registry("import", "parks", path)
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 2: the file has a header but no rows; nothing to import"), "\(result.stderr)")
    }

    @Test func missingFileAndWrongKindAreUsageOrInputErrors() throws {
        #expect(try registry("import", "parks", folder.path("nope.csv")).status == 66)
        #expect(try registry("import", "tenders", folder.path("nope.csv")).status == 64)
        #expect(try registry("export", "parks", "--format", "json", "--excel").status == 64)
        #expect(try registry("export", "parks", "--year", "2025").status == 64)
    }

    @Test func exportThenImportIntoAFreshDatabaseReproducesTheData() throws {
        let demo = folder.path("demo.db")
        try #require(try RegistryBinary.run(["demo", "--db", demo], in: folder.url).status == 0)
        let fresh = folder.path("fresh.db")
        try #require(try registry("init", db: fresh).status == 0)
        let kinds = ["parks", "enterprises", "projects", "funds", "allocations", "disbursements"]
        for kind in kinds {
            let exported = try registry("export", kind, "--output", folder.path("\(kind).csv"), db: demo)
            #expect(exported.status == 0)
            let imported = try registry("import", kind, folder.path("\(kind).csv"), db: fresh)
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        for kind in kinds {
            let original = try registry("export", kind, "--format", "json", db: demo)
            let copy = try registry("export", kind, "--format", "json", db: fresh)
            #expect(original.stdout == copy.stdout, "\(kind)")
            #expect(!original.stdout.isEmpty)
        }
        // The list filters apply to export too.
        let wellbeing = try registry("export", "projects", "--kind", "wellbeing", "--year", "2025", db: demo)
        #expect(wellbeing.stdout.split(separator: "\r\n").count == 5, "\(wellbeing.stdout)")  // header + 4 programmes
        let projects = try String(contentsOfFile: folder.path("projects.csv"), encoding: .utf8)
        #expect(projects.hasPrefix("code,name,kind,park,park_name,enterprise,enterprise_name,sector,planned_investment,signed_on,stage,stage_on,notes\r\n"))
    }

    @Test func excelExportStartsWithAByteOrderMarkAndFiltersApply() throws {
        let parks = try write("parks.csv", "code,name,level,county\nA,甲园,county,海丰县\nB,乙园,municipal,城区\n")
        try registry("import", "parks", parks)
        let excel = try registry("export", "parks", "--excel", "--level", "county")
        // A ledger for staff: the Chinese headers, and it imports back unchanged.
        #expect(excel.stdout.hasPrefix("\u{FEFF}园区编号,园区名称,级别,所在县区,备注\r\n"), "\(excel.stdout)")
        let ledger = try write("ledger.csv", excel.stdout)
        let fresh = folder.path("fresh.db")
        try registry("init", db: fresh)
        try registry("import", "parks", ledger, db: fresh)
        #expect(try registry("export", "parks", "--excel", "--level", "county", db: fresh).stdout == excel.stdout)
        #expect(excel.stdout.contains("A,甲园,县级,海丰县,\r\n"), "\(excel.stdout)")  // the level as staff write it
        #expect(!excel.stdout.contains("乙园"))
    }
}
