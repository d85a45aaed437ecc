import Foundation
import RegistryTestSupport
import Testing

/// Targets, the year-end report and the demo, through the built binary.
@Suite struct ReportCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness(databaseName: "registry-demo.db")
    }

    func demo() throws {
        let demo = try RegistryBinary.run(["demo"], in: folder.url)
        try #require(demo.status == 0, "\(demo.stderr)")
    }

    func databaseBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: database)) }

    @Test func demoWritesItsDatabaseHereAndPrintsThe2025Report() throws {
        let demo = try RegistryBinary.run(["demo"], in: folder.url)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(FileManager.default.fileExists(atPath: database))
        #expect(demo.stdout.contains("2025年共引进招商项目52个，计划总投资131.50亿元"))
        #expect(demo.stdout.contains("超额完成年度目标"))
        #expect(demo.stdout.contains("统计口径"))
        // Run again: the earlier demo database is replaced, not added to.
        let again = try RegistryBinary.run(["demo"], in: folder.url)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("共引进招商项目52个"))
        // Any other database is never overwritten.
        let other = folder.path("real.db")
        #expect(try RegistryBinary.run(["--db", other, "init"], in: folder.url).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: other))
        let refused = try RegistryBinary.run(["demo", "--db", other], in: folder.url)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("not a demo database"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: other)) == before)
    }

    @Test func textReportLinesUpInTerminalCells() throws {
        try demo()
        let text = try registry("report", "year", "2025").stdout
        // In the park table, every row's amount ends in the same terminal column.
        let block = text.components(separatedBy: "【按园区】\n")[1].components(separatedBy: "\n\n")[0]
        let widths = Set(block.split(separator: "\n").dropFirst(2).map { TerminalWidthProbe.cells(String($0)) })
        #expect(widths.count == 1, "\(block)")
    }

    @Test func everyFormatRendersAndHTMLIsSelfContained() throws {
        try demo()
        for format in ["text", "markdown", "csv", "json", "html"] {
            let result = try registry("report", "year", "2025", "--format", format)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.stdout.contains(format == "json" ? "1315000000000" : format == "csv" ? "13150000000.00" : "131.50"), "\(format)")
        }
        let path = folder.path("2025年度报告.html")
        let written = try registry("report", "year", "2025", "--format", "html", "--output", path)
        #expect(written.status == 0 && written.stdout.isEmpty)
        let html = try String(contentsOfFile: path, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("@page { size: A4"))
        #expect(html.contains("2025年度招商引资报告"))
        for external in ["http:", "https:", "//", "<script", "<link", "src=", "@import", "url("] {
            #expect(!html.replacingOccurrences(of: "</", with: "").contains(external), "\(external)")
        }
    }

    @Test func unitsAndMidYearReports() throws {
        try demo()
        #expect(try registry("report", "year", "2025", "--unit", "wan").stdout.contains("1,315,000.00"))
        let midYear = try registry("report", "year", "2025", "--as-of", "2025-06-30")
        #expect(midYear.status == 0)
        #expect(midYear.stdout.contains("统计截至 2025-06-30（第181天"))
        #expect(midYear.stdout.contains("进度目标"))
        let refused = try registry("report", "year", "2025", "--as-of", "2025-02-30")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("as-of"))
        #expect(try registry("report", "year", "2025", "--format", "pdf").status == 64)
    }

    @Test func targetsAreSetListedReplacedAndRemoved() throws {
        try demo()
        let set = try registry("target", "set", "2026", "--projects", "60", "--investment", "150亿", "--scope", "level:county")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout.contains("150.00亿元"))
        let list = try registry("target", "list", "--year", "2026", "--format", "csv")
        #expect(list.stdout.contains("2026,projects,level:county,60,"))
        #expect(list.stdout.contains("2026,investment,level:county,1500000000000,"))
        #expect(try registry("target", "set", "2026", "--projects", "65", "--scope", "level:county").status == 0)
        #expect(try registry("target", "list", "--year", "2026", "--format", "csv").stdout.contains("2026,projects,level:county,65,"))
        #expect(try registry("target", "remove", "2026", "--scope", "level:county").status == 0)
        #expect(try registry("target", "list", "--year", "2026", "--format", "json").stdout == "[]\n")
    }

    @Test func refusedTargetsLeaveTheDatabaseUnchanged() throws {
        try demo()
        let before = try databaseBytes()
        for (arguments, code) in [
            (["target", "set", "2025", "--projects", "0"], Int32(65)),
            (["target", "set", "2025", "--investment", "abc"], 65),
            (["target", "set", "2025", "--projects", "5", "--scope", "park:NOPE"], 65),
            (["target", "set", "2025"], 64),
            (["target", "remove", "2030"], 65),
        ] {
            let result = try RegistryBinary.run(["--db", database] + arguments, in: folder.url)
            #expect(result.status == code, "\(arguments): \(result.stderr)")
            if code == 65 { #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)") }
        }
        #expect(try databaseBytes() == before)
    }
}

/// Terminal cells of a line, as a terminal counts them (East Asian wide = 2).
enum TerminalWidthProbe {
    static func cells(_ line: String) -> Int {
        line.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6: width + 2
            default: width + 1
            }
        }
    }
}
