import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// The sheet staff really keep (issue 18): title rows and the unit above the
/// header, a 序号 column, Excel's trailing empty columns, a 合计 row that is
/// checked, Excel's dates, and amount columns without a unit.
@Suite struct SheetLayoutTests {
    let folder: TemporaryDirectory
    let registry: Registry

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        _ = try SeedLoader.load(into: registry, actor: "tester")
    }

    func importProjects(_ text: String, _ options: Importer.Options = Importer.Options()) throws -> ImportReport {
        let file = folder.path("projects-\(UUID().uuidString).csv")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try Importer.run(.projects, path: file, into: registry, context: WriteContext(actor: "录入员", command: "import projects"), options: options)
    }

    static let header = "序号,项目编号,项目名称,所属园区,统一社会信用代码,所属行业,计划总投资,签约日期,备注,,"
    static let rows = [
        "1,SW-2026-101,测试储能项目,SW-GX,91440300FP3F3C3QQK,new-energy,12500,45730,,,",
        "2,SW-2026-102,测试材料项目,SW-GX,91440300FP3F3C3QQK,new-energy,3000.5,2025-03-14 00:00:00,,,",
        "3,SW-2026-103,测试芯片项目,SW-GX,91440300FP3F3C3QQK,new-energy,500,20250314,,,",
    ]

    static func sheet(title: [String] = ["2025年招商引资项目台账,,,,,,,,,,", "单位：万元,,,,,,,,,,"], total: String = "16000.5") -> String {
        (title + [header] + rows + [",,,,,,,,,,", "合计,,,,,,\(total),,,,"]).joined(separator: "\n") + "\n"
    }

    @Test func theLedgerAsStaffKeepItImportsWithoutHandEdits() throws {
        let report = try importProjects(Self.sheet())
        #expect(report.inserted == 3)
        #expect(report.titleLines == [1, 2] && report.headerLine == 3)
        #expect(report.runningNumberColumns == ["序号"])
        #expect(report.totalLines == [8] && report.emptyRows == 1 && report.ignoredColumns == 2)
        #expect(report.columnUnits == [.init(column: "计划总投资", unit: .wan, source: .titleArea(line: 2))])
        let stored = try registry.project(code: "SW-2026-101").project
        #expect(stored.plannedInvestment == Money(fen: 12_500 * 1_000_000))
        #expect(stored.signedOn.description == "2025-03-14")
        #expect(try registry.project(code: "SW-2026-102").project.plannedInvestment == Money(fen: 3_000_500_000))
        #expect(try registry.project(code: "SW-2026-103").project.signedOn.description == "2025-03-14")
    }

    @Test func aWrongTotalIsReportedWithBothFiguresAndNothingIsWritten() throws {
        let failure = try #require(throws: ImportFailed.self) { try importProjects(Self.sheet(total: "16001")) }
        let problem = try #require(failure.report.problems.first)
        #expect(failure.report.problemCount == 1)
        #expect(problem.line == 8 && problem.column == "计划总投资")
        #expect(
            problem.reason.english.contains("16,001.00万元") && problem.reason.english.contains("16,000.50万元") && problem.reason.english.contains("5,000.00元"),
            "\(problem.reason)")
        #expect(try registry.projects(ProjectFilter(search: "SW-2026-101")).isEmpty)
    }

    @Test func aTotalOneFenOffIsReported() throws {
        let failure = try #require(throws: ImportFailed.self) { try importProjects(Self.sheet(total: "16000.500001")) }
        #expect(failure.report.problems.first?.reason.english.contains("0.01元") == true, "\(failure.report.problems)")
    }

    @Test func subtotalsCoverTheirRowsAndTheTotalCoversAll() throws {
        let text = [Self.header, Self.rows[0], Self.rows[1], "小计,,,,,,15500.5,,,,", Self.rows[2], "小 计,,,,,,500,,,,", "总计（3个）,,,,,,16000.5,,,,"]
            .joined(separator: "\n")
        let report = try importProjects(text, Importer.Options(unit: .wan))
        #expect(report.inserted == 3 && report.totalLines == [4, 6, 7])
        #expect(report.columnUnits.first?.source == .option)
    }

    @Test func aColumnWithoutAUnitIsNeverStoredTenThousandTimesTooSmall() throws {
        let failure = try #require(throws: ImportFailed.self) { try importProjects(Self.sheet(title: ["2025年招商引资项目台账"])) }
        let problem = try #require(failure.report.problems.first { $0.nextStep == .giveUnit })
        #expect(problem.column == "计划总投资" && problem.value == "12500")
        #expect(problem.reason.english.contains("3, 4, 5") && problem.reason.english.contains("计划总投资（万元）"), "\(problem.reason)")
        #expect(try registry.projects(ProjectFilter(search: "SW-2026-101")).isEmpty)
        // An amount written with its unit is not in doubt.
        let sure = [Self.header, "1,SW-2026-104,测试项目,SW-GX,91440300FP3F3C3QQK,new-energy,12500万,2025-03-14,,,"].joined(separator: "\n")
        #expect(try importProjects(sure).inserted == 1)
    }

    @Test func anAmountTooLargeUnderAYiHeaderStopsTheImport() throws {
        let text = "项目编号,项目名称,所属园区,统一社会信用代码,所属行业,计划总投资（亿元）,签约日期\nSW-2026-105,测试项目,SW-GX,91440300FP3F3C3QQK,new-energy,12500,2025-03-14\n"
        let failure = try #require(throws: ImportFailed.self) { try importProjects(text) }
        #expect(
            failure.report.problems.first?.reason.english.contains("1.00万亿") == true
                || failure.report.problems.first?.reason.english.contains("10,000.00亿元") == true,
            "\(failure.report.problems)")
    }

    @Test func theHeaderRowCanBeNamed() throws {
        // Three filled cells above the header: not recognised as a title row by itself.
        let text = ["汕尾市,2025年,项目台账", Self.header] + Self.rows.map { $0 } + []
        let failure = try #require(throws: ImportFailed.self) { try importProjects(text.joined(separator: "\n"), Importer.Options(unit: .wan)) }
        #expect(failure.report.problems.first?.line == 1)
        let report = try importProjects(text.joined(separator: "\n"), Importer.Options(headerRow: 2, unit: .wan))
        #expect(report.inserted == 3 && report.titleLines == [1] && report.headerLine == 2)
    }

    @Test func aWrongHeaderIsStillReportedAsAHeader() throws {
        let failure = try #require(throws: ImportFailed.self) { try importProjects("编码,名称\nSW-1,x\n") }
        #expect(failure.report.problems.allSatisfy { $0.line == 1 }, "\(failure.report.problems)")
    }

    @Test func excelDayNumbers() {
        #expect(ISODate(excelSerial: 45730)?.description == "2025-03-14")
        #expect(ISODate(excelSerial: 45658)?.description == "2025-01-01")
        #expect(ISODate(excelSerial: 61)?.description == "1900-03-01")
        #expect(ISODate(excelSerial: 60) == nil)
    }
}

/// Project codes are keys (issue 18, second trial): `sw-2025-001` is
/// `SW-2025-001`, never a second project.
@Suite struct ProjectCodeCaseTests {
    let folder: TemporaryDirectory
    let registry: Registry

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        _ = try SeedLoader.load(into: registry, actor: "tester")
    }

    @Test func aCodeInLowerCaseOrFullWidthIsTheSameProject() throws {
        #expect(try ProjectCode.parse("sw-2026-009") == "SW-2026-009")
        #expect(try ProjectCode.parse("ｓｗ－２０２６－００９") == "SW-2026-009")
        #expect(try registry.project(code: "sw-2024-001").project.code == "SW-2024-001")
        let file = folder.path("lower.csv")
        try "code,name,park,enterprise,sector,planned_investment,signed_on\nsw-2024-001,重复录入,SW-GX,91440300FP3F3C3QQK,new-energy,1亿,2024-03-01\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let failure = try #require(throws: ImportFailed.self) {
            try Importer.run(.projects, path: file, into: registry, context: WriteContext(actor: "录入员", command: "import projects"))
        }
        #expect(failure.report.problems.first?.nextStep == .upsert, "\(failure.report.problems)")
        #expect(try registry.projectCodesDifferingInCase().isEmpty)
    }

    @Test func codesThatDifferOnlyInCaseFromBeforeAreReported() throws {
        try registry.db.executeScript(
            "INSERT INTO project (code, name, kind, park_code, enterprise_uscc, sector_key, planned_investment_fen, signed_on, stage) SELECT 'sw-2024-002', name, kind, park_code, enterprise_uscc, sector_key, planned_investment_fen, signed_on, stage FROM project WHERE code = 'SW-2024-002'"
        )
        #expect(try registry.projectCodesDifferingInCase() == [["SW-2024-002", "sw-2024-002"]])
        // The code as typed finds the row stored in that case.
        #expect(try registry.project(code: "sw-2024-002").project.code == "sw-2024-002")
    }
}

/// `--dry-run --upsert` lists each changed field, before → after (issue 18, second trial).
@Suite struct UpsertChangesTests {
    @Test func aDryRunUpsertSaysWhatWouldChange() throws {
        let folder = try TemporaryDirectory()
        let registry = try Registry.create(at: folder.path("registry.db")).registry
        _ = try SeedLoader.load(into: registry, actor: "tester")
        let file = folder.path("up.csv")
        try
            "code,name,park,enterprise,sector,planned_investment（亿元）,signed_on,notes\nSW-2024-001,前海算力科技氢能装备项目,SW-GX,91440300FP3F3C3QQK,new-energy,37.6,2024-01-09,补充说明\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let before = try registry.project(code: "SW-2024-001").project
        let report = try Importer.run(
            .projects, path: file, into: registry, context: WriteContext(actor: "录入员", command: "import projects"),
            options: Importer.Options(dryRun: true, upsert: true))
        #expect(report.updated == 1)
        let change = try #require(report.changes.first)
        #expect(change.line == 2 && change.key == "SW-2024-001")
        let investment = try #require(change.fields.first { $0.column == "planned_investment_fen" })
        #expect(investment.before == before.plannedInvestment.formatted(.yuan) && investment.after == "3,760,000,000.00元", "\(investment)")
        #expect(change.fields.contains { $0.column == "notes" && $0.after == "补充说明" })
        #expect(try registry.project(code: "SW-2024-001").project == before)  // nothing written
    }
}
