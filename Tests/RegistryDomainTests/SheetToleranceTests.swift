import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// Sheets as Excel writes them (issue 18): trailing columns without a
/// header, rows of commas only, several header problems at once, a misspelt
/// header with its nearest accepted name. Every tolerance is counted.
@Suite struct SheetToleranceTests {
    let folder: TemporaryDirectory
    let registry: Registry

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
    }

    func importParks(_ text: String) throws -> ImportReport {
        let file = folder.path("parks-\(UUID().uuidString).csv")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return try Importer.run(.parks, path: file, into: registry, context: WriteContext(actor: "录入员", command: "import parks"))
    }

    @Test func trailingEmptyColumnsAndEmptyRowsAreSkippedAndCounted() throws {
        let report = try importParks("园区编号,园区名称,级别,县区,,,\nHF-CY,海丰县产业转移工业园,county,海丰县,,,\n,,,,,,\nLF-CY,陆丰产业转移工业园,county,陆丰市,,,\n")
        #expect(report.inserted == 2)
        #expect(report.emptyRows == 1 && report.ignoredColumns == 3)
    }

    @Test func aValueUnderAColumnWithoutAHeaderIsRefused() throws {
        let failure = try #require(throws: ImportFailed.self) { try importParks("园区编号,园区名称,级别,县区,\nHF-CY,海丰县产业转移工业园,county,海丰县,备注写在这里\n") }
        #expect(failure.report.problems.first?.reason.english.contains("without a header") == true)
        #expect(try registry.parks().isEmpty)
    }

    @Test func everyHeaderProblemAtOnceWithTheNearestName() throws {
        let failure = try #require(throws: ImportFailed.self) { try importParks("园区编码,园区名称,等级,县区\nHF-CY,海丰县产业转移工业园,county,海丰县\n") }
        let reasons = failure.report.problems.map(\.reason.english)
        #expect(reasons.count >= 3, "\(reasons)")  // two unknown headers, and the missing required code and level
        #expect(reasons.contains { $0.contains("did you mean 园区编号?") || $0.contains("did you mean 园区代码?") }, "\(reasons)")
        #expect(reasons.contains { $0.contains("lacks the required column code") })
    }
}
