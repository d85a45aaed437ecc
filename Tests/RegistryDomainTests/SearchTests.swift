import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// `registry search` and `project list --search`: one, two, three and more
/// characters; full-width and half-width; codes; the index kept in the same
/// transaction as the rows; an index edited behind registry's back.
@Suite struct SearchTests {
    let folder: TemporaryDirectory
    let registry: Registry

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(WriteContext(actor: "录入员", command: "setup")) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "深汕特别合作区小漠新能源汽车产业园", level: "municipal", county: "深汕特别合作区"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司", city: "深圳"))
            for (code, name, notes) in [
                ("SW-2025-001", "比亚迪小漠工业园二期", nil), ("SW-2025-002", "储能电站一期", "含光伏"), ("SW-2025-003", "海上风电运维基地", "储能配套"),
            ] {
                try writer.addProject(
                    ProjectFields(
                        code: code, name: name, park: "SSZ-XM", enterprise: "91440300192317458F", sector: "nev", plannedInvestment: "1亿",
                        signedOn: "2025-03-14", notes: notes))
            }
        }
    }

    func keys(_ text: String, _ kinds: [SearchKind] = SearchKind.allCases) throws -> [String] {
        try registry.search(text, kinds: kinds).map(\.key)
    }

    @Test func oneTwoThreeAndMoreCharacters() throws {
        #expect(try keys("储", [.project]).sorted() == ["SW-2025-002", "SW-2025-003"])
        #expect(try keys("储能", [.project]).sorted() == ["SW-2025-002", "SW-2025-003"], "two characters: the scan, names and notes")
        #expect(try keys("储能电站", [.project]) == ["SW-2025-002"], "three and more: the trigram index")
        #expect(try keys("比亚迪") == ["SW-2025-001", "91440300192317458F"])
        #expect(try keys("小漠").contains("SSZ-XM"))
        #expect(try keys("不存在的名字").isEmpty)
        // The matched part is marked, scalar by scalar.
        let hit = try #require(registry.search("储能", kinds: [.project]).first { $0.key == "SW-2025-003" })
        #expect(hit.field == "notes" && hit.marked == "【储能】配套")
    }

    @Test func codesInAnyCaseAndWidth() throws {
        #expect(try keys("sw-2025-002", [.project]) == ["SW-2025-002"])
        #expect(try keys("ＳＷ－２０２５－００２", [.project]) == ["SW-2025-002"], "full-width is the half-width")
        #expect(try keys("ssz", [.park]) == ["SSZ-XM"])
        #expect(try keys("458f", [.enterprise]) == ["91440300192317458F"])
        // The project list's --search is the same search.
        #expect(try registry.projects(ProjectFilter(search: "储能")).map(\.project.code) == ["SW-2025-002", "SW-2025-003"])
        #expect(try registry.projects(ProjectFilter(search: "海上风电")).map(\.project.code) == ["SW-2025-003"])
        #expect(throws: InvalidValue.self) { try registry.search("   ") }
        #expect(throws: InvalidValue.self) { try registry.search(String(repeating: "长", count: 101)) }
    }

    @Test func aChangeOrADeletionShowsInTheSameTransaction() throws {
        try registry.write(WriteContext(actor: "录入员", command: "project update")) { writer in
            _ = try writer.updateProject(code: "SW-2025-002", ProjectFields(name: "抽水蓄能电站"))
            #expect(try keys("储能电站", [.project]).isEmpty, "the old name is gone before the commit")
            #expect(try keys("抽水蓄能", [.project]) == ["SW-2025-002"])
        }
        try registry.db.transaction(.immediate) {
            try registry.db.execute("DELETE FROM project_stage WHERE project_code = 'SW-2025-003'")
            try registry.db.execute("DELETE FROM project WHERE code = 'SW-2025-003'")
            #expect(try keys("海上风电", [.project]).isEmpty)
        }
        #expect(try registry.checkSearchIndexes().isEmpty)
    }

    @Test func theIndexIsNeitherLoggedNorSynced() throws {
        let tables = Set(try registry.changes(LogFilter()).map(\.entry.table))
        #expect(!tables.contains { $0.hasSuffix("_search") })
        #expect(!Ownership.syncedTables.contains { $0.name.hasSuffix("_search") })
        #expect(try registry.verify().isIntact)
    }

    @Test func checkFindsAnIndexEditedBehindRegistrysBack() throws {
        #expect(try registry.checkSearchIndexes().isEmpty)
        let shell = try Database(path: registry.path)
        try shell.executeScript("INSERT INTO project_search (rowid, code, name, notes) VALUES (99999, 'FAKE-1', '伪造的项目', NULL)")
        let problems = try registry.checkSearchIndexes()
        #expect(problems.count == 1 && problems[0].english.contains("project_search"))
        // verify vouches for the records, which are untouched; check is what finds it.
        #expect(try registry.verify().isIntact)
        try registry.rebuildSearchIndexes()
        #expect(try registry.checkSearchIndexes().isEmpty)
        #expect(try keys("伪造的项目").isEmpty)
    }

    /// A large import lifts the insert trigger and indexes its rows at the end
    /// (`SearchIndexes.deferringInserts`): the same index, the same schema.
    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func aBulkImportIndexesItsRowsAndPutsTheTriggerBack() throws {
        var csv = "code,name,kind,park,enterprise,sector,planned_investment,signed_on,notes\n"
        for index in 0..<45_000 {
            csv += "BULK-\(index),批量导入光伏电站项目第\(index)号,investment,SSZ-XM,91440300192317458F,new-energy,1200万,2025-05-01,备注文字用于估算行宽\n"
        }
        let file = folder.path("bulk.csv")
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Importer.worthBulkLoading("project", fileSize: UInt64(csv.utf8.count), db: registry.db))
        let report = try Importer.run(.projects, path: file, into: registry, context: WriteContext(actor: "录入员", command: "import projects"))
        #expect(report.inserted == 45_000)
        #expect(try keys("第44999号", [.project]) == ["BULK-44999"])
        #expect(try registry.search("光伏电站", kinds: [.project], limit: 1000).count == 1000)
        #expect(try registry.checkSearchIndexes().isEmpty)
        #expect(try registry.verify().isIntact, "the trigger is back as the migration made it")
        // And it works again for the next row.
        try registry.write(WriteContext(actor: "录入员", command: "project add")) { writer in
            try writer.addProject(
                ProjectFields(
                    code: "AFTER-1", name: "导入之后的项目", park: "SSZ-XM", enterprise: "91440300192317458F", sector: "nev", plannedInvestment: "1亿",
                    signedOn: "2025-06-01"))
        }
        #expect(try keys("导入之后", [.project]) == ["AFTER-1"])
    }

    @Test func anUpgradedRegistryFindsItsExistingRecords() throws {
        let path = folder.path("old.db")
        let old = try Registry.create(at: path, entities: EntitySet.builtIn.asOf(version: 11)).registry
        try old.write(WriteContext(actor: "录入员", command: "park add")) { writer in
            try writer.addPark(ParkFields(code: "HF-CY", name: "海丰县产业转移工业园", level: "county", county: "海丰县"))
        }
        let upgraded = try Registry.create(at: path)
        #expect(upgraded.applied.map(\.version) == Array(12...Registry.migrator.migrations.last!.version))
        #expect(try upgraded.registry.search("产业转移").map(\.key) == ["HF-CY"])
    }
}
