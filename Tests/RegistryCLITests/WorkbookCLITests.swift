import Foundation
import RegistryTestSupport
import Testing

/// .xlsx in and out (issue 18) through the built binary: a workbook
/// LibreOffice wrote, and round trips through registry's own workbooks.
@Suite struct WorkbookCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        try cli.seeded()
    }

    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/workbooks")
    }

    /// The fixture (made once with `soffice --headless --convert-to xlsx
    /// ledger-libreoffice.fods`): a notes sheet first, then a ledger with a
    /// title, the unit above the header, 序号, shared strings with `<` and
    /// `&`, date cells, a 合计 row.
    @Test func aWorkbookLibreOfficeWroteImportsWithoutHandEdits() throws {
        let workbook = Self.fixtures.appendingPathComponent("ledger-libreoffice.xlsx").path
        let result = try registry("import", "projects", workbook)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 inserted") && result.stdout.contains("sheet \"项目台账\" read"), "\(result.stdout)")
        #expect(result.stdout.contains("计划总投资 read in 万元, the unit stated above the header (line 2)"))
        let shown = try registry("project", "show", "SW-2026-201")
        #expect(shown.stdout.contains("测试储能<一期>项目") && shown.stdout.contains("2025-03-14") && shown.stdout.contains("125,000,000.00元"), "\(shown.stdout)")
        #expect(shown.stdout.contains("含 & 符号"))
        let third = try registry("project", "show", "SW-2026-203")
        #expect(third.stdout.contains("3,000.00元") && third.stdout.contains("2025-12-31"), "\(third.stdout)")
        // The first sheet by name is not a ledger: refused with the sheets named.
        let notes = try registry("import", "projects", workbook, "--sheet", "说明", "--dry-run")
        #expect(notes.status == 65)
        let missing = try registry("import", "projects", workbook, "--sheet", "无此表")
        #expect(missing.status == 65 && missing.stderr.contains("its sheets are: 说明, 项目台账"), "\(missing.stderr)")
    }

    @Test func everyKindRoundTripsThroughAWorkbook() throws {
        let fresh = cli.path("fresh.db")
        #expect(try registry("init", db: fresh).status == 0)
        for kind in ["parks", "enterprises", "projects", "funds", "allocations", "disbursements"] {
            let workbook = cli.path("\(kind).xlsx")
            let exported = try registry("export", kind, "--output", workbook)
            #expect(exported.status == 0, "\(exported.stderr)")
            let imported = try registry("import", kind, workbook, db: fresh)
            #expect(imported.status == 0, "\(kind): \(imported.stderr)")
            let before = try registry("export", kind, "--format", "csv")
            let after = try registry("export", kind, "--format", "csv", db: fresh)
            #expect(before.stdout == after.stdout && !before.stdout.isEmpty, "\(kind) differs after the round trip")
        }
    }

    @Test func aWorkbookGivenUnderAnotherNameIsStillReadAsOne() throws {
        let workbook = cli.path("projects.xlsx")
        #expect(try registry("export", "projects", "--output", workbook).status == 0)
        let disguised = cli.path("projects.csv")
        try FileManager.default.copyItem(atPath: workbook, toPath: disguised)
        let fresh = cli.path("fresh.db")
        #expect(try registry("init", db: fresh).status == 0)
        for kind in ["parks", "enterprises"] {
            _ = try registry("export", kind, "--output", cli.path("\(kind).csv"), "--force")
            #expect(try registry("import", kind, cli.path("\(kind).csv"), db: fresh).status == 0)
        }
        let result = try registry("import", "projects", disguised, db: fresh)
        #expect(result.status == 0 && result.stdout.contains("sheet \"项目\" read"), "\(result.stderr)")
    }

    @Test func aDamagedWorkbookIsRefusedWithAWayOut() throws {
        let broken = cli.path("broken.xlsx")
        try Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]).write(to: URL(fileURLWithPath: broken))
        let result = try registry("import", "projects", broken)
        #expect(result.status == 65 && result.stderr.contains("save it again from Excel"), "\(result.stderr)")
    }
}
