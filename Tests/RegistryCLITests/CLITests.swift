import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryCLI
@testable import RegistryPresentation

/// End-to-end: the built binary, a real database file, exit codes and output.
@Suite struct CLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// Creates the database with the park and enterprise of the example session.
    func seeded() throws {
        try #require(try registry("init").status == 0)
        try #require(try registry("park", "add", "--code", "SSZ-XM", "--name", "深汕特别合作区小漠新能源汽车产业园", "--level", "municipal", "--county", "深汕特别合作区").status == 0)
        try #require(try registry("enterprise", "add", "--uscc", "91440300192317458F", "--name", "比亚迪股份有限公司", "--city", "深圳").status == 0)
    }

    func databaseBytes() throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: database))
    }

    @Test func theExampleSessionWorks() throws {
        try seeded()
        let add = try registry(
            "project", "add", "--code", "SW-2025-001", "--name", "比亚迪小漠工业园二期", "--park", "SSZ-XM",
            "--enterprise", "91440300192317458F", "--sector", "nev", "--planned-investment", "25亿", "--signed-on", "2025-03-14")
        #expect(add.status == 0)
        #expect(add.stdout.contains("25.00亿元"))
        let list = try registry("project", "list", "--year", "2025", "--format", "table")
        #expect(list.status == 0)
        #expect(list.stdout.contains("SW-2025-001"))
        #expect(list.stdout.contains("比亚迪小漠工业园二期"))
        #expect(list.stdout.contains("1 project(s), planned investment 25.00亿元"))
        let stage = try registry("project", "stage", "SW-2025-001", "construction", "--on", "2025-06-01")
        #expect(stage.status == 0)
        #expect(stage.stdout.contains("construction"))
        let show = try registry("project", "show", "SW-2025-001")
        #expect(show.stdout.contains("2025-03-14 签约 → 2025-06-01 在建"))
    }

    @Test func initCreatesThenReportsUpToDate() throws {
        let first = try registry("init")
        #expect(first.status == 0)
        #expect(first.stdout.contains("applied"))
        let second = try registry("init")
        #expect(second.status == 0)
        #expect(second.stdout.contains("up to date"))
        let status = try registry("migrate", "--status")
        #expect(status.status == 0)
        #expect(status.stdout.contains("0001"))
        #expect(status.stdout.contains("0 pending"))
    }

    @Test func commandsOnAMissingDatabaseSayToRunInit() throws {
        for arguments in [
            ["park", "list"], ["project", "add", "--code", "A", "--name", "n", "--planned-investment", "1", "--signed-on", "2025-01-01"],
            ["migrate", "--status"], ["migrate"],
        ] {
            let result = try RegistryBinary.run(["--db", database] + arguments, in: folder.url)
            #expect(result.status == 66, "\(arguments)")
            #expect(result.stderr.contains("registry init"))
        }
        #expect(!FileManager.default.fileExists(atPath: database))
    }

    /// Each refused command: one line on stderr naming the field and value, the
    /// right exit code, and the database file byte-for-byte unchanged.
    @Test(arguments: [
        (["enterprise", "add", "--uscc", "91440300192317458E", "--name", "某公司"], Int32(65), "uscc \"91440300192317458E\""),
        (["enterprise", "add", "--uscc", "91440300192317458F", "--name", "重复"], 65, "already exists"),
        (["park", "add", "--code", "X", "--name", "某园区", "--level", "provincial", "--county", "海丰县"], 65, "level \"provincial\""),
        (
            [
                "project", "add", "--code", "SW-1", "--name", "n", "--park", "NOPE", "--enterprise", "91440300192317458F", "--sector", "nev",
                "--planned-investment", "1亿", "--signed-on", "2025-01-01",
            ], 65, "park \"NOPE\""
        ),
        (
            [
                "project", "add", "--code", "SW-1", "--name", "n", "--park", "SSZ-XM", "--enterprise", "91440300192317458F", "--sector", "nev",
                "--planned-investment", "-5", "--signed-on", "2025-01-01",
            ], 65, "planned-investment \"-5\""
        ),
        (
            [
                "project", "add", "--code", "SW-1", "--name", "n", "--park", "SSZ-XM", "--enterprise", "91440300192317458F", "--sector", "nev",
                "--planned-investment", "0.001", "--signed-on", "2025-01-01",
            ], 65, "more precision than a fen"
        ),
        (
            [
                "project", "add", "--code", "SW-1", "--name", "n", "--park", "SSZ-XM", "--enterprise", "91440300192317458F", "--sector", "nev",
                "--planned-investment", "1亿", "--signed-on", "2025-02-30",
            ], 65, "signed-on \"2025-02-30\""
        ),
        (
            [
                "project", "add", "--code", "SW-1", "--name", "n", "--park", "SSZ-XM", "--enterprise", "91440300708461136T", "--sector", "nev",
                "--planned-investment", "1亿", "--signed-on", "2025-01-01",
            ], 65, "enterprise \"91440300708461136T\""
        ),
        (
            [
                "project", "add", "--code", "SW-1", "--name", "n", "--park", "SSZ-XM", "--sector", "nev", "--planned-investment", "1亿", "--signed-on",
                "2025-01-01",
            ], 65, "enterprise \"\": is required for an investment project"
        ),
        (["project", "add", "--code", "SW-1", "--name", "n", "--signed-on", "2025-01-01"], 64, "--planned-investment"),
        (["project", "stage", "NOPE", "construction"], 65, "code \"NOPE\""),
        (["project", "list", "--format", "xml"], 64, "xml"),
        (["project", "list", "--stage", "done"], 65, "stage \"done\""),
        (["park", "update", "SSZ-XM"], 64, "nothing to change"),
        (["frobnicate"], 64, "frobnicate"),
    ])
    func refusedInputLeavesTheDatabaseUnchanged(arguments: [String], code: Int32, message: String) throws {
        try seeded()
        let before = try databaseBytes()
        let result = try RegistryBinary.run(["--db", database] + arguments, in: folder.url)
        #expect(result.status == code, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        if code == 65 {
            #expect(result.stderr.split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(result.stderr.hasPrefix("registry: "))
        }
        #expect(result.stdout.isEmpty)
        #expect(try databaseBytes() == before)
    }

    @Test func stageRulesAreEnforcedThroughTheCLI() throws {
        try seeded()
        try registry(
            "project", "add", "--code", "SW-2025-001", "--name", "项目", "--park", "SSZ-XM", "--enterprise", "比亚迪股份有限公司",
            "--sector", "新能源汽车及零部件", "--planned-investment", "250000万", "--signed-on", "2025年3月14日")
        try #require(try registry("project", "stage", "SW-2025-001", "operating", "--on", "2025-09-01").status == 0)
        let before = try databaseBytes()
        let back = try registry("project", "stage", "SW-2025-001", "construction", "--on", "2025-10-01")
        #expect(back.status == 65)
        #expect(back.stderr.contains("only move forward"))
        let early = try registry("project", "stage", "SW-2025-001", "cancelled", "--on", "2025-08-01")
        #expect(early.status == 65)
        #expect(early.stderr.contains("back in time"))
        #expect(try databaseBytes() == before)
        try #require(try registry("project", "stage", "SW-2025-001", "终止", "--on", "2025-12-01").status == 0)
        let leave = try registry("project", "stage", "SW-2025-001", "operating", "--on", "2026-01-01")
        #expect(leave.status == 65)
        #expect(leave.stderr.contains("cancelled, which is final"))
    }

    @Test func updatesReportWhatChanged() throws {
        try seeded()
        let update = try registry("park", "update", "SSZ-XM", "--level", "县级", "--county", "海丰县")
        #expect(update.status == 0)
        #expect(update.stdout.contains("level: municipal → county"))
        let same = try registry("park", "update", "SSZ-XM", "--county", "海丰县")
        #expect(same.stdout.contains("unchanged"))
        let enterprise = try registry("enterprise", "update", "91440300192317458f", "--city", "深圳市")
        #expect(enterprise.stdout.contains("city: 深圳 → 深圳市"))
    }

    @Test func csvAndJSONCarryExactValues() throws {
        try seeded()
        try registry(
            "project", "add", "--code", "SW-2025-001", "--name", "带,逗号的\"项目\"", "--park", "SSZ-XM", "--enterprise", "91440300192317458F",
            "--sector", "nev", "--planned-investment", "¥1,000.50", "--signed-on", "2025-03-14")
        let csv = try registry("project", "list", "--format", "csv")
        #expect(csv.status == 0)
        let lines = csv.stdout.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("code,name,kind,park,"))
        #expect(lines[1].contains("\"带,逗号的\"\"项目\"\"\""))
        #expect(lines[1].contains(",1000.50,100050,"))
        let json = try registry("project", "list", "--format", "json")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 1)
        #expect(objects[0]["planned_investment"] as? String == "1000.50")
        #expect(objects[0]["planned_investment_fen"] as? Int == 100_050)
        #expect(objects[0]["name"] as? String == "带,逗号的\"项目\"")
        // Piped output without --format is CSV, for scripts.
        #expect(try registry("project", "list").stdout == csv.stdout)
    }

    @Test func tablesLineUpInTerminalCells() throws {
        try seeded()
        try registry("park", "add", "--code", "LH-XH", "--name", "陆河新河工业园", "--level", "county", "--county", "陆河县")
        try registry("park", "add", "--code", "A-MIXED", "--name", "Mixed 混合 Park", "--level", "county", "--county", "城区")
        let table = try registry("park", "list", "--format", "table")
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        // Every column starts at the same cell on every line: the level column
        // (市级/县级) begins where its header 级别 begins.
        let header = lines[0]
        let levelColumn = TerminalWidth.of(String(header[..<header.range(of: "级别")!.lowerBound]))
        for line in lines.dropFirst(2) {
            let start = line.range(of: "市级") ?? line.range(of: "县级")
            let prefix = String(line[..<start!.lowerBound])
            #expect(TerminalWidth.of(prefix) == levelColumn, "\(line)")
        }
    }

    @Test func worksFromAnyDirectoryWithoutTheSourceTree() throws {
        // A copy of the binary in an empty folder: migrations and seeds are inside it.
        let copy = folder.url.appendingPathComponent("bin/registry")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: RegistryBinary.url, to: copy)
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let initResult = try RegistryBinary.run(["init"], in: elsewhere, binary: copy)
        #expect(initResult.status == 0, "\(initResult.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("registry.db").path))
        let sectors = try RegistryBinary.run(["sector", "list", "--format", "csv"], in: elsewhere, binary: copy)
        #expect(sectors.stdout.contains("low-altitude,低空经济"))
    }

    @Test func environmentChoosesTheDatabase() throws {
        let path = folder.path("from-env.db")
        let result = try RegistryBinary.run(["init"], in: folder.url, environment: ["REGISTRY_DB": path])
        #expect(result.status == 0)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test func notADatabaseIsRefusedClearly() throws {
        try Data(String(repeating: "not sqlite ", count: 20).utf8).write(to: URL(fileURLWithPath: database))
        let before = try databaseBytes()
        let result = try registry("park", "list")
        #expect(result.status == 65)
        #expect(result.stderr.contains("not an SQLite database"))
        #expect(try databaseBytes() == before)
    }
}

/// CSV cells are quoted by bytes, as the reader splits them: a quote or a
/// comma followed by a combining mark (one Character) must still be quoted.
@Suite struct CSVFieldTests {
    @Test func quotesByBytesNotCharacters() {
        #expect(CSV.field("a\"\u{301}b") == "\"a\"\"\u{301}b\"")
        #expect(CSV.field("a,\u{301}b") == "\"a,\u{301}b\"")
        #expect(CSV.field("普通") == "普通")
        #expect(CSV.field("=SUM(A1)") == "'=SUM(A1)")
        #expect(CSV.line(["x", "y,z"]) == "x,\"y,z\"\r\n")
    }
}

@Suite struct TerminalWidthTests {
    @Test func measuresCells() {
        #expect(TerminalWidth.of("abc") == 3)
        #expect(TerminalWidth.of("深汕") == 4)
        #expect(TerminalWidth.of("SW-深汕") == 7)
        #expect(TerminalWidth.of("（万元）") == 8)  // fullwidth brackets
        #expect(TerminalWidth.of("e\u{301}") == 1)  // combining accent
        #expect(TerminalWidth.of("👍") == 2)
        #expect(TerminalWidth.of("\u{1B}[31m红\u{1B}[0m") == 2)  // colour codes take no cells
    }

    @Test func padsToCells() {
        #expect(TerminalWidth.pad("深汕", to: 6, alignment: .left) == "深汕  ")
        #expect(TerminalWidth.pad("1.00亿元", to: 10, alignment: .right) == "  1.00亿元")
    }

    @Test func tableColumnsAlignWithMixedText() {
        var table = TextTable(columns: [.init("名称"), .init("金额", .right)])
        table.append(["比亚迪", "25.00亿元"])
        table.append(["BYD 👍", "3,000.00万元"])
        let lines = table.render().split(separator: "\n").map(String.init)
        let widths = lines.map(TerminalWidth.of)
        #expect(Set([widths[0], widths[2], widths[3]]).count == 1, "\(lines)")
    }
}
