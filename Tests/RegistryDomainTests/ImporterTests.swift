import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// Imports of real files into a real database.
@Suite struct ImporterTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "tester", command: "import")

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "LH-XH", name: "陆河新河工业园", level: "county", county: "陆河县"))
            try writer.addPark(ParkFields(code: "SW-GX", name: "汕尾高新技术产业开发区", level: "municipal", county: "城区"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司", city: "深圳"))
        }
    }

    func file(_ name: String, _ text: String, encoding: String.Encoding = .utf8, bom: Bool = false) throws -> String {
        let path = folder.path(name)
        var data = bom ? Data([0xEF, 0xBB, 0xBF]) : Data()
        data.append(try #require(text.data(using: encoding)))
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    func importing(_ kind: ImportKind, _ path: String, _ options: Importer.Options = Importer.Options()) throws -> ImportReport {
        try Importer.run(kind, path: path, into: registry, context: context, options: options)
    }

    func projectCount() throws -> Int { try registry.projects().count }

    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)  // kCFStringEncodingGB_18030_2000

    @Test func importsChineseHeadersInAnyOrderWithUnitScaling() throws {
        let path = try file(
            "p.csv",
            """
            签约日期,项目名称,项目编号,计划总投资（万元）,所属园区,投资企业,所属行业,项目状态,阶段日期
            2025/5/1,储能电池生产线,SW-2025-001,3000,陆河新河工业园,比亚迪股份有限公司,储能,在建,2025-07-01
            2025年6月1日,"算力中心,一期",SW-2025-002,2.5亿,SW-GX,91440300192317458F,ai,,
            """)
        let report = try importing(.projects, path)
        #expect(report.rowsRead == 2 && report.inserted == 2 && report.problemCount == 0)
        let first = try registry.project(code: "SW-2025-001").project
        #expect(first.plannedInvestment.fen == 3_000_000_000)  // 3000万 from the header's unit
        #expect(first.stage == .construction)
        #expect(
            try registry.stageHistory(of: "SW-2025-001").map { "\($0.stage.rawValue) \($0.enteredOn)" } == ["signed 2025-05-01", "construction 2025-07-01"])
        #expect(first.parkCode == "LH-XH" && first.sectorKey == "energy-storage")
        let second = try registry.project(code: "SW-2025-002").project
        #expect(second.plannedInvestment.fen == 25_000_000_000)  // its own unit wins
        #expect(second.name == "算力中心,一期")
        #expect(second.signedOn.description == "2025-06-01")
    }

    @Test func halfWidthBracketsAndYiUnitScaleToo() throws {
        let path = try file("p.csv", "code,name,park,enterprise,sector,planned_investment (亿元),signed_on\nA-1,n,SW-GX,比亚迪股份有限公司,nev,13.15,2025-01-02\n")
        _ = try importing(.projects, path)
        #expect(try registry.project(code: "A-1").project.plannedInvestment.fen == 131_500_000_000)
    }

    @Test func byteOrderMarkNeverReachesAColumnName() throws {
        let path = try file("bom.csv", "code,name,level,county\nHF-ST,海丰生态科技城,县级,海丰县\n", bom: true)
        let report = try importing(.parks, path)
        #expect(report.inserted == 1)
        #expect(report.encoding == .utf8)
    }

    @Test func gb18030FilesAsExcelWritesThemAreRead() throws {
        let path = try file("gb.csv", "园区编号,园区名称,级别,所在县区\r\nLF-CY,陆丰产业转移工业园,县级,陆丰市\r\n", encoding: Self.gb18030)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(String(data: data, encoding: .utf8) == nil)  // really not UTF-8
        let report = try importing(.parks, path)
        #expect(report.encoding == .gb18030)
        #expect(try registry.park("LF-CY").park.name == "陆丰产业转移工业园")
        // Told explicitly that it is UTF-8, the same file is refused with a hint.
        let error = try #require(throws: TextEncodingError.self) { try importing(.parks, path, Importer.Options(encoding: .utf8)) }
        #expect(error.otherEncodingMayHelp)
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func largeFilesCrossChunkBoundariesInBothEncodings() throws {
        // More than one 1 MiB chunk of multi-byte text.
        var text = "code,name,level,county\n"
        for index in 0..<30_000 { text += "P\(index),深汕合作园区第\(index)号,县级,海丰县\n" }
        for (name, encoding) in [("big-utf8.csv", String.Encoding.utf8), ("big-gb.csv", Self.gb18030)] {
            let path = try file(name, text, encoding: encoding)
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int > TextSource.chunkSize)
            let report = try importing(.parks, path, Importer.Options(dryRun: true))
            #expect(report.rowsRead == 30_000 && report.inserted == 30_000 && report.problemCount == 0, "\(name)")
        }
        #expect(try registry.parks().count == 2)  // dry runs wrote nothing
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func aLargeImportDefersIndexesAndLeavesTheSchemaAsItWas() throws {
        func schema() throws -> [Row] {
            try registry.db.rows("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name")
        }
        let before = try schema()
        var text = "code,name,park,enterprise,sector,planned_investment,signed_on\n"
        for index in 0..<41_000 { text += "BULK-\(index),大批量导入测试项目第\(index)号,SW-GX,91440300192317458F,nev,\(index + 1)万,2025-01-\(index % 28 + 1)\n" }
        let path = try file("bulk.csv", text)
        #expect(try Importer.worthBulkLoading("project", fileSize: UInt64(text.utf8.count), db: registry.db))
        // One bad row at the end: nothing is written, and the dropped indexes are back.
        let bad = try file("bulk-bad.csv", text + "BULK-X,坏行,SW-GX,91440300192317458F,nev,1万,2025-02-30\n")
        let failure = try #require(throws: ImportFailed.self) { try importing(.projects, bad) }
        #expect(failure.report.problems.map(\.line) == [41_002])
        #expect(try schema() == before)
        #expect(try projectCount() == 0)
        let report = try importing(.projects, path)
        #expect(report.inserted == 41_000)
        #expect(try schema() == before)
        #expect(try registry.db.scalar("PRAGMA integrity_check", as: String.self) == "ok")
        #expect(try registry.projects(ProjectFilter(year: 2025)).count == 41_000)
        // Once the table is large, a small file is inserted row by row.
        #expect(try !Importer.worthBulkLoading("project", fileSize: 1_000_000, db: registry.db))
    }

    @Test func aFileThatIsNeitherUTF8NorGB18030IsRefusedWithAHint() throws {
        let path = folder.path("binary.csv")
        try Data([0x63, 0x6F, 0x64, 0x65, 0x0A, 0xFF, 0xFF, 0x80, 0x0A]).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: TextEncodingError.self) { try importing(.parks, path) }
        #expect(error.detail.english.contains("neither valid UTF-8 nor GB18030"))
        #expect(error.otherEncodingMayHelp)
    }

    @Test func everyProblemIsReportedWithItsLineAndNothingIsWritten() throws {
        let path = try file(
            "bad.csv",
            """
            项目编号,项目名称,所属园区,投资企业,所属行业,计划总投资,签约日期
            OK-1,好项目,SW-GX,91440300192317458F,nev,1亿,2025-01-01
            BAD-1,坏园区,NOPE,91440300192317458F,nev,1亿,2025-01-01
            BAD-2,坏金额和日期,SW-GX,91440300192317458F,nev,-3,2025-02-30
            BAD-3,坏企业,SW-GX,91440300192317458E,mining,1亿,2025-01-01
            "BAD-4","多行
            名称",SW-GX,91440300192317458F,nev,0.001,2025-01-01
            OK-1,重复,SW-GX,91440300192317458F,nev,1亿,2025-01-01
            """)
        let failure = try #require(throws: ImportFailed.self) { try importing(.projects, path) }
        let problems = failure.report.problems.map(\.description)
        #expect(problems.count == 8, "\(problems)")
        #expect(problems[0].hasPrefix("line 3, column 所属园区: value \"NOPE\""))
        #expect(problems[1].hasPrefix("line 4, column 计划总投资: value \"-3\": is negative"))
        #expect(problems[2].hasPrefix("line 4, column 签约日期: value \"2025-02-30\""))
        #expect(problems[3].hasPrefix("line 5, column 投资企业: value \"91440300192317458E\": check character"))
        #expect(problems[4].hasPrefix("line 5, column 所属行业: value \"mining\""))
        // A quoted name may span lines in CSV, but a name may not hold a line break.
        #expect(problems[5].hasPrefix("line 6, column 项目名称: value \"多行\\u{a}名称\": contains a control character"))
        #expect(problems[6].hasPrefix("line 6, column 计划总投资: value \"0.001\""))
        #expect(problems[7].hasPrefix("line 8, column 项目编号: value \"OK-1\": the 项目编号 appears more than once in this file"))
        #expect(try projectCount() == 0)
    }

    @Test func keysAlreadyInTheDatabaseAreRefusedWithoutUpsert() throws {
        let path = try file("p.csv", "code,name,level,county\nLH-XH,陆河新河工业园,county,陆河县\n")
        let failure = try #require(throws: ImportFailed.self) { try importing(.parks, path) }
        #expect(failure.report.problems.first?.reason.english == "this park is already in the database")
        #expect(failure.report.problems.first?.nextStep == .upsert)
    }

    @Test func headerProblemsAreFoundBeforeAnyRow() throws {
        let unknown = try file("u.csv", "code,name,level,county,面积\nX,某园,县级,海丰县,100\n")
        let failure = try #require(throws: ImportFailed.self) { try importing(.parks, unknown) }
        #expect(failure.report.rowsRead == 0)
        #expect(failure.report.problems[0].description.contains("\"面积\""))
        #expect(failure.report.problems[0].description.contains("园区编号"))
        let missing = try file("m.csv", "code,name,county\nX,某园,海丰县\n")
        let missingFailure = try #require(throws: ImportFailed.self) { try importing(.parks, missing) }
        #expect(missingFailure.report.problems[0].reason.english.contains("level (级别"))
        let twice = try file("t.csv", "code,园区编号,name,level,county\n")
        #expect(throws: ImportFailed.self) { try importing(.parks, twice) }
    }

    @Test func headerOnlyAndEmptyFilesAreRefused() throws {
        let header = try file("h.csv", "code,name,level,county\r\n")
        let headerOnly = try #require(throws: ImportFailed.self) { try importing(.parks, header) }
        #expect(headerOnly.report.problems.map(\.description) == ["line 2: the file has a header but no rows; nothing to import"])
        let empty = try file("e.csv", "")
        let nothing = try #require(throws: ImportFailed.self) { try importing(.parks, empty) }
        #expect(nothing.report.problems.first?.reason.english.hasPrefix("the file is empty") == true)
        #expect(try registry.parks().count == 2)
    }

    @Test func dryRunChecksEverythingAndWritesNothing() throws {
        let path = try file("p.csv", "code,name,level,county\nN-1,新园一,县级,海丰县\nLH-XH,陆河新河工业园（改）,县级,陆河县\n")
        let report = try importing(.parks, path, Importer.Options(dryRun: true, upsert: true))
        #expect(report.dryRun && report.inserted == 1 && report.updated == 1)
        #expect(try registry.parks().count == 2)
        #expect(try registry.park("LH-XH").park.name == "陆河新河工业园")
    }

    @Test func upsertUpdatesExistingKeysAndCountsWhatChanged() throws {
        let path = try file(
            "p.csv",
            """
            code,name,level,county
            LH-XH,陆河新河工业园,county,陆河县
            SW-GX,汕尾高新区,municipal,城区
            NEW-1,新园区,county,海丰县
            """)
        let report = try importing(.parks, path, Importer.Options(upsert: true))
        #expect(report.inserted == 1 && report.updated == 1 && report.unchanged == 1)
        #expect(try registry.park("SW-GX").park.name == "汕尾高新区")
        // A key repeated in the file is a problem even with --upsert.
        let repeated = try file("r.csv", "code,name,level,county\nR-1,甲,county,海丰县\nR-1,乙,county,海丰县\n")
        #expect(throws: ImportFailed.self) { try importing(.parks, repeated, Importer.Options(upsert: true)) }
    }

    @Test func rowsWithTooManyFieldsAreRefused() throws {
        let path = try file("p.csv", "code,name,level,county\nX,某园,县级,海丰县,多余\n")
        let failure = try #require(throws: ImportFailed.self) { try importing(.parks, path) }
        #expect(failure.report.problems[0].description.contains("has 5 fields but the header has 4"))
    }

    @Test func problemsBeyondTheLimitAreCounted() throws {
        var text = "code,name,level,county\n"
        for index in 0..<120 { text += "B\(index),园\(index),provincial,海丰县\n" }
        let failure = try #require(throws: ImportFailed.self) { try importing(.parks, try file("many.csv", text)) }
        #expect(failure.report.problems.count == 50)
        #expect(failure.report.problemCount == 120)
    }

    @Test func syntaxErrorsAreReportedWithTheirLine() throws {
        let path = try file("q.csv", "code,name,level,county\nX,\"open,县级,海丰县\n")
        let failure = try #require(throws: ImportFailed.self) { try importing(.parks, path) }
        #expect(failure.report.problems[0].line == 2)
        #expect(failure.report.problems[0].reason.english.contains("unbalanced"))
    }
}
