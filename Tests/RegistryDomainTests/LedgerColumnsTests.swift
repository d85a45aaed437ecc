import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// The columns of a working ledger: a stage with its date (never back-dated
/// to the signing date), and park and enterprise names beside their codes,
/// checked against the records the codes name.
@Suite struct LedgerColumnsTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "tester", command: "import")

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "SW-GX", name: "汕尾高新技术产业开发区", level: "municipal", county: "城区"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司", city: "深圳"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300Y362GH42PA", name: "深圳市云帆新能源科技有限公司", city: "深圳"))
        }
    }

    /// Imports `text` as projects; the problems (field as the file's column, reason) if refused.
    func importing(_ text: String, upsert: Bool = false) throws -> [ImportProblem] {
        let path = folder.path("p-\(UUID().uuidString).csv")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            var options = Importer.Options()
            options.upsert = upsert
            _ = try Importer.run(.projects, path: path, into: registry, context: context, options: options)
            return []
        } catch let failed as ImportFailed {
            return failed.report.problems
        }
    }

    func stages(_ code: String) throws -> [String] {
        try registry.stageHistory(of: code).map { "\($0.stage.rawValue) \($0.enteredOn)" }
    }

    @Test func aStageOtherThanSignedWithoutItsDateIsRefusedNamingTheColumnToAdd() throws {
        let problems = try importing(
            """
            项目编号,项目名称,项目类型,计划总投资（万元）,签约日期,项目状态
            SW-2024-001,储能项目,民生,3000,2024-03-01,终止
            """)
        #expect(problems.count == 1)
        #expect(problems.first?.column == "阶段日期" && problems.first?.reason.english.contains("终止") == true, "\(problems)")
        #expect(try registry.projects().isEmpty)
    }

    @Test func aCancellationIsDatedByItsOwnColumnSoThePastYearKeepsTheProject() throws {
        #expect(
            try importing(
                """
                项目编号,项目名称,园区,统一社会信用代码,行业,计划总投资（万元）,签约日期,项目状态,终止日期
                SW-2024-001,储能项目,SW-GX,91440300192317458F,储能,3000,2024-03-01,终止,2025-05-20
                SW-2024-002,算力项目,SW-GX,91440300192317458F,储能,5000,2024-04-01,签约,
                """
            ).isEmpty)
        #expect(try stages("SW-2024-001") == ["signed 2024-03-01", "cancelled 2025-05-20"])
        #expect(try stages("SW-2024-002") == ["signed 2024-04-01"])
        // The 2024 report still counts the project cancelled in 2025.
        let report = try registry.yearReport(2024, asOf: ISODate(iso: "2024-12-31"))
        #expect(report.totals.projects == 2, "\(report.totals)")
    }

    @Test func aStageDateBeforeSigningOrASignedStageAtAnotherDateIsRefused() throws {
        let problems = try importing(
            """
            项目编号,项目名称,项目类型,计划总投资（万元）,签约日期,阶段,阶段日期
            SW-2024-001,储能项目,民生,3000,2024-03-01,在建,2024-02-01
            SW-2024-002,算力项目,民生,5000,2024-04-01,签约,2024-05-01
            """)
        #expect(problems.map(\.line) == [2, 3] && problems.allSatisfy { $0.column == "阶段日期" }, "\(problems)")
        #expect(try registry.projects().isEmpty)
    }

    @Test func anUpsertMovesTheStageOnlyWithItsDate() throws {
        #expect(try importing("项目编号,项目名称,项目类型,计划总投资（万元）,签约日期\nSW-2024-001,储能项目,民生,3000,2024-03-01\n").isEmpty)
        let refused = try importing("项目编号,项目名称,项目类型,计划总投资（万元）,签约日期,阶段\nSW-2024-001,储能项目,民生,3000,2024-03-01,在建\n", upsert: true)
        #expect(refused.first?.column == "阶段日期", "\(refused)")
        #expect(try stages("SW-2024-001") == ["signed 2024-03-01"])
        #expect(
            try importing("项目编号,项目名称,项目类型,计划总投资（万元）,签约日期,阶段,阶段日期\nSW-2024-001,储能项目,民生,3000,2024-03-01,在建,2024-09-01\n", upsert: true)
                .isEmpty)
        #expect(try stages("SW-2024-001") == ["signed 2024-03-01", "construction 2024-09-01"])
        #expect(try registry.project(code: "SW-2024-001").project.stage == .construction)
        // The same stage at another date is not a rewrite of its history.
        let rewritten = try importing(
            "项目编号,项目名称,项目类型,计划总投资（万元）,签约日期,阶段,阶段日期\nSW-2024-001,储能项目,民生,3000,2024-03-01,在建,2024-10-01\n", upsert: true)
        #expect(rewritten.first?.column == "阶段日期" && rewritten.first?.reason.english.contains("2024-09-01") == true, "\(rewritten)")
    }

    @Test func theCreditCodeIsUsedAndTheEnterpriseNameBesideItIsChecked() throws {
        // Either order of the two columns; the name agrees.
        #expect(
            try importing(
                """
                项目编号,项目名称,项目类型,投资企业,统一社会信用代码,计划总投资（万元）,签约日期
                SW-2024-001,储能项目,民生,比亚迪股份有限公司,91440300192317458F,3000,2024-03-01
                """
            ).isEmpty)
        #expect(try registry.project(code: "SW-2024-001").project.enterpriseUSCC?.value == "91440300192317458F")
        // The name of another enterprise beside the code: refused with both names.
        let problems = try importing(
            """
            项目编号,项目名称,项目类型,统一社会信用代码,投资企业,计划总投资（万元）,签约日期
            SW-2024-002,算力项目,民生,91440300192317458F,深圳市云帆新能源科技有限公司,5000,2024-04-01
            """)
        #expect(problems.count == 1 && problems.first?.column == "投资企业", "\(problems)")
        #expect(problems.first?.reason.english.contains("比亚迪股份有限公司") == true)
        #expect(try registry.projects().count == 1)
    }

    @Test func aLookAlikeNameIsAMismatchButWidthDoesNotMatter() throws {
        // A Cyrillic "а" in place of nothing Chinese would look the same; here a
        // zero-width space hides inside the name: not the same bytes.
        let hidden = try importing(
            "项目编号,项目名称,项目类型,园区,园区名称,计划总投资（万元）,签约日期\nSW-2024-001,储能项目,民生,SW-GX,汕尾高新\u{200B}技术产业开发区,3000,2024-03-01\n")
        #expect(hidden.first?.column == "园区名称", "\(hidden)")
        #expect(
            try importing("项目编号,项目名称,项目类型,园区,园区名称,计划总投资（万元）,签约日期\nSW-2024-001,储能项目,民生,SW-GX,汕尾高新技术产业开发区　,3000,2024-03-01\n")
                .isEmpty)
    }

    @Test func aNameColumnAloneNamesTheRecord() throws {
        #expect(
            try importing("项目编号,项目名称,项目类型,企业名称,园区名称,计划总投资（万元）,签约日期\nSW-2024-001,储能项目,民生,比亚迪股份有限公司,汕尾高新技术产业开发区,3000,2024-03-01\n")
                .isEmpty)
        let project = try registry.project(code: "SW-2024-001").project
        #expect(project.enterpriseUSCC?.value == "91440300192317458F" && project.parkCode == "SW-GX")
    }
}
