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

/// Templates (issue 18): filled in by a script as staff would fill them, they
/// import with no change; their drop-down lists hold this registry's values.
@Suite struct WorkbookTemplateCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        try cli.seeded()
    }

    /// Runs python3's zipfile over the workbook: prints a part, or appends rows of inline-string cells to the first sheet.
    func python(_ script: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: output, as: UTF8.self)
    }

    static let fill = """
        import sys, zipfile
        source, target, rows = sys.argv[1], sys.argv[2], [r.split("|") for r in sys.argv[3].split(";")]
        def cell(c, r, v):
            col = chr(65 + c)
            return f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>' if v else ""
        with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    xml = "".join(f'<row r="{i + 2}">' + "".join(cell(c, i + 2, v) for c, v in enumerate(r)) + "</row>" for i, r in enumerate(rows))
                    data = data.replace(b"</sheetData>", xml.encode() + b"</sheetData>")
                zout.writestr(item, data)
        """

    @Test func aFilledInTemplateImportsUnchanged() throws {
        let template = cli.path("项目导入模板.xlsx")
        let written = try registry("template", "projects", "--output", template)
        #expect(written.status == 0, "\(written.stderr)")
        let filled = cli.path("filled.xlsx")
        // Values picked from the drop-down lists: a park code, a sector's and a stage's Chinese name.
        let rows = [
            "SW-2026-301|模板填写项目一|招商项目|SW-GX|91440300FP3F3C3QQK|新能源|12500|2026-03-14|签约||",
            "SW-2026-302|模板填写项目二||SW-HHW|91440300FP3F3C3QQK|高性能材料|800.5|2026-04-01|||备注",
        ]
        _ = try python(Self.fill, template, filled, rows.joined(separator: ";"))
        let imported = try registry("import", "projects", filled)
        #expect(imported.status == 0 && imported.stdout.contains("2 inserted"), "\(imported.stdout)\(imported.stderr)")
        let shown = try registry("project", "show", "SW-2026-301")
        #expect(shown.stdout.contains("1.25亿元"), "\(shown.stdout)")  // 12500 in the template's 万元
    }

    @Test func theDropDownListsHoldThisRegistrysValues() throws {
        let template = cli.path("template.xlsx")
        #expect(try registry("template", "projects", "--output", template).status == 0)
        let read = "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())"
        let sheet = try python(read, template, "xl/worksheets/sheet1.xml")
        #expect(sheet.contains("<dataValidation type=\"list\""))
        #expect(sheet.contains("<formula1>'选项'!$B$2:$B$11</formula1>") && sheet.contains("sqref=\"D2:D1000\""), "\(sheet)")
        let lists = try python(read, template, "xl/worksheets/sheet3.xml")
        for name in ["SW-GX", "SW-HHW", "新能源", "新能源汽车及零部件", "签约", "终止", "招商项目"] { #expect(lists.contains(">\(name)</t>"), "\(name)") }
        let workbook = try python(read, template, "xl/workbook.xml")
        #expect(workbook.contains("name=\"选项\" sheetId=\"3\" state=\"hidden\""))
    }
}

/// `report year --format xlsx`: read back, the workbook gives the figures of `--format csv`.
@Suite struct ReportWorkbookCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        try cli.seeded()
    }

    /// Reads each sheet's amounts (万元/亿元 cells) and counts, and each CSV
    /// section's exact values; prints the sections where a workbook figure is
    /// not among the CSV's, or "same" and how many figures were compared.
    static let compare = """
        import sys, zipfile, re, csv, io
        from decimal import Decimal
        z = zipfile.ZipFile(sys.argv[1]); scale = Decimal(sys.argv[3])
        blocks = [b for b in open(sys.argv[2], encoding="utf-8", newline="").read().split("\\r\\n\\r\\n") if b.strip()][1:]
        bad, compared = [], 0
        for index, block in enumerate(blocks):
            rows = list(csv.reader(io.StringIO(block)))
            exact = [Decimal(v) for r in rows[2:] for v in r if re.fullmatch(r"-?\\d+(\\.\\d+)?", v)]
            sheet = z.read(f"xl/worksheets/sheet{index + 2}.xml").decode()
            amounts = [Decimal(v) * scale for v in re.findall(r'<c r="[A-Z]+[0-9]+" s="5"><v>([^<]*)</v>', sheet)]
            counts = [Decimal(v) for v in re.findall(r'<c r="[A-Z]+[0-9]+" s="6"><v>([^<]*)</v>', sheet)]
            for figure in amounts + counts:
                compared += 1
                if figure in exact: exact.remove(figure)
                else: bad.append(f"{rows[0][1]}: {figure}")
        print("same %d" % compared if not bad else "; ".join(bad))
        """

    @Test func theReportWorkbookGivesTheFiguresOfTheCSV() throws {
        let workbook = cli.path("2025年度报告.xlsx")
        let written = try registry("report", "year", "2025", "--format", "xlsx", "--output", workbook)
        #expect(written.status == 0, "\(written.stderr)")
        let csv = cli.path("report.csv")
        #expect(try registry("report", "year", "2025", "--format", "csv", "--output", csv).status == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", Self.compare, workbook, csv, "100000000"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.hasPrefix("same "), "\(output)")
        #expect((Int(output.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 100, "\(output)")
        // The headline figure, as a number in 亿元 with its format.
        let sheet = try python(workbook, "xl/worksheets/sheet2.xml")
        #expect(sheet.contains("<v>131.5</v>"), "\(sheet)")
        #expect(try python(workbook, "xl/styles.xml").contains("formatCode=\"#,##0.00&quot;亿元&quot;\""))
        #expect(sheet.contains("<oddFooter>&amp;L2025年度招商引资报告 · 数据版本 "), "\(sheet)")
        #expect(try registry("report", "year", "2025", "--format", "xlsx").status == 64)
    }

    func python(_ workbook: String, _ part: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())", workbook, part]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output
    }
}
