import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// The write path against a real database file: validation, references, rules.
@Suite struct RegistryWriterTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "tester", command: "test")

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "深汕特别合作区小漠新能源汽车产业园", level: "municipal", county: "深汕特别合作区"))
            try writer.addPark(ParkFields(code: "LH-XH", name: "陆河新河工业园", level: "县级", county: "陆河县"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司", city: "深圳"))
        }
    }

    func addSampleProject(_ code: String = "SW-2025-001", planned: String = "25亿", signedOn: String = "2025-03-14") throws -> Project {
        try registry.write(context) {
            try $0.addProject(
                ProjectFields(
                    code: code, name: "比亚迪小漠工业园二期", park: "SSZ-XM", enterprise: "91440300192317458F",
                    sector: "nev", plannedInvestment: planned, signedOn: signedOn))
        }
    }

    func count(_ table: String) throws -> Int {
        try registry.db.scalar("SELECT count(*) FROM \(table)", as: Int.self) ?? -1
    }

    @Test func addsAProjectWithExactMoneyAndItsFirstStage() throws {
        let project = try addSampleProject()
        #expect(project.plannedInvestment.fen == 250_000_000_000)
        #expect(project.stage == .signed)
        let stored = try registry.project(code: "SW-2025-001")
        #expect(stored.project == project)
        #expect(stored.parkLevel == .municipal)
        #expect(stored.enterpriseName == "比亚迪股份有限公司")
        #expect(try registry.stageHistory(of: "SW-2025-001").map(\.stage) == [.signed])
        #expect(try registry.db.scalar("SELECT planned_investment_fen FROM project", as: Int64.self) == 250_000_000_000)
    }

    @Test func referencesResolveByKeyOrExactName() throws {
        let project = try registry.write(context) {
            try $0.addProject(
                ProjectFields(
                    code: "SW-2025-002", name: "储能项目", park: "陆河新河工业园", enterprise: "比亚迪股份有限公司",
                    sector: "储能", plannedInvestment: "3000万", signedOn: "2025年4月1日"))
        }
        #expect(project.parkCode == "LH-XH")
        #expect(project.enterpriseUSCC?.value == "91440300192317458F")
        #expect(project.sectorKey == "energy-storage")
    }

    @Test func unknownReferencesNameTheMissingKeyAndWriteNothing() throws {
        let park = try #require(throws: InvalidValue.self) {
            try registry.write(context) {
                try $0.addProject(
                    ProjectFields(
                        code: "X-1", name: "n", park: "NOPE", enterprise: "91440300192317458F",
                        sector: "nev", plannedInvestment: "1", signedOn: "2025-01-01"))
            }
        }
        #expect(park.field == "park" && park.value == "NOPE")
        let enterprise = try #require(throws: InvalidValue.self) {
            try registry.write(context) {
                try $0.addProject(
                    ProjectFields(
                        code: "X-1", name: "n", park: "SSZ-XM", enterprise: "91440300708461136T",
                        sector: "nev", plannedInvestment: "1", signedOn: "2025-01-01"))
            }
        }
        #expect(enterprise.field == "enterprise" && enterprise.value == "91440300708461136T")
        let sector = try #require(throws: InvalidValue.self) {
            try registry.write(context) {
                try $0.addProject(
                    ProjectFields(
                        code: "X-1", name: "n", park: "SSZ-XM", enterprise: "91440300192317458F",
                        sector: "mining", plannedInvestment: "1", signedOn: "2025-01-01"))
            }
        }
        #expect(sector.field == "sector" && sector.reason.english.contains("low-altitude"))
        #expect(try count("project") == 0)
        #expect(try count("project_stage") == 0)
    }

    @Test func duplicateKeysAndNamesAreRefused() throws {
        _ = try addSampleProject()
        #expect(throws: DuplicateKeyError(entity: "project", field: "code", key: "SW-2025-001")) { try addSampleProject() }
        let park = try #require(throws: InvalidValue.self) {
            try registry.write(context) { try $0.addPark(ParkFields(code: "OTHER", name: "陆河新河工业园", level: "county", county: "陆河县")) }
        }
        #expect(park.field == "name" && park.reason.english.contains("LH-XH"))
        let enterprise = try #require(throws: DuplicateKeyError.self) {
            try registry.write(context) { try $0.addEnterprise(EnterpriseFields(uscc: "91440300192317458f", name: "另一家")) }
        }
        #expect(enterprise.key == "91440300192317458F")
    }

    @Test func investmentProjectsNeedParkEnterpriseAndSector() throws {
        let error = try #require(throws: InvalidValue.self) {
            try registry.write(context) {
                try $0.addProject(ProjectFields(code: "X-2", name: "n", park: "SSZ-XM", sector: "nev", plannedInvestment: "1", signedOn: "2025-01-01"))
            }
        }
        #expect(error.field == "enterprise")
        // A wellbeing programme needs none of them.
        let wellbeing = try registry.write(context) {
            try $0.addProject(ProjectFields(code: "WB-2025-HEALTH", name: "医院帮扶", kind: "民生", plannedInvestment: "3000万", signedOn: "2025-02-10"))
        }
        #expect(wellbeing.kind == .wellbeing && wellbeing.parkCode == nil)
    }

    @Test func stagesMoveForwardInTimeAndCancelledIsFinal() throws {
        _ = try addSampleProject()
        try registry.write(context) { _ = try $0.changeStage(code: "SW-2025-001", to: "construction", on: "2025-06-01") }
        // Back in time.
        let early = try #require(throws: InvalidValue.self) {
            try registry.write(context) { _ = try $0.changeStage(code: "SW-2025-001", to: "operating", on: "2025-05-31") }
        }
        #expect(early.field == "on" && early.reason.english.contains("2025-06-01"))
        // Backwards in order.
        #expect(throws: InvalidValue.self) {
            try registry.write(context) { _ = try $0.changeStage(code: "SW-2025-001", to: "signed", on: "2025-07-01") }
        }
        try registry.write(context) { _ = try $0.changeStage(code: "SW-2025-001", to: "终止", on: "2025-08-01") }
        let final = try #require(throws: InvalidValue.self) {
            try registry.write(context) { _ = try $0.changeStage(code: "SW-2025-001", to: "operating", on: "2025-09-01") }
        }
        #expect(final.reason.english.contains("cancelled"))
        #expect(try registry.stageHistory(of: "SW-2025-001").map(\.stage) == [.signed, .construction, .cancelled])
        #expect(try registry.project(code: "SW-2025-001").project.stage == .cancelled)
    }

    @Test func updatesChangeOnlyTheGivenFieldsAndKeepHistoryConsistent() throws {
        _ = try addSampleProject()
        let change = try registry.write(context) {
            try $0.updateProject(code: "SW-2025-001", ProjectFields(plannedInvestment: "26.5亿", signedOn: "2025-03-10"))
        }
        #expect(change.changed)
        #expect(change.after.plannedInvestment.fen == 265_000_000_000)
        #expect(change.after.name == change.before.name)
        #expect(try registry.stageHistory(of: "SW-2025-001").first?.enteredOn.description == "2025-03-10")
        // Signing after construction began is refused.
        try registry.write(context) { _ = try $0.changeStage(code: "SW-2025-001", to: "construction", on: "2025-06-01") }
        #expect(throws: InvalidValue.self) {
            try registry.write(context) { _ = try $0.updateProject(code: "SW-2025-001", ProjectFields(signedOn: "2025-07-01")) }
        }
        // The stage is not an update field.
        #expect(throws: InvalidValue.self) {
            try registry.write(context) { _ = try $0.updateProject(code: "SW-2025-001", ProjectFields(stage: "operating")) }
        }
        let same = try registry.write(context) { try $0.updateProject(code: "SW-2025-001", ProjectFields(name: "比亚迪小漠工业园二期")) }
        #expect(!same.changed)
    }

    @Test func aFailureLateInAWriteUndoesEverythingBeforeIt() throws {
        #expect(throws: InvalidValue.self) {
            try registry.write(context) { writer in
                try writer.addPark(ParkFields(code: "NEW", name: "新园区", level: "county", county: "海丰县"))
                try writer.addPark(ParkFields(code: "BAD", name: "坏园区", level: "provincial", county: "海丰县"))
            }
        }
        #expect(try count("park") == 2)
    }

    @Test func listsFilterByYearParkLevelCountySectorStageAndKind() throws {
        _ = try addSampleProject()
        _ = try addSampleProject("SW-2024-009", planned: "1亿", signedOn: "2024-05-05")
        try registry.write(context) {
            _ = try $0.addProject(
                ProjectFields(
                    code: "SW-2025-003", name: "县级项目", park: "LH-XH", enterprise: "91440300192317458F",
                    sector: "ai", plannedInvestment: "5000万", signedOn: "2025-09-09"))
        }
        #expect(try registry.projects(ProjectFilter(year: 2025)).map(\.project.code) == ["SW-2025-001", "SW-2025-003"])
        #expect(try registry.projects(ProjectFilter(level: "county")).map(\.project.code) == ["SW-2025-003"])
        #expect(try registry.projects(ProjectFilter(park: "深汕特别合作区小漠新能源汽车产业园")).count == 2)
        #expect(try registry.projects(ProjectFilter(county: "陆河县")).count == 1)
        #expect(try registry.projects(ProjectFilter(sector: "人工智能")).count == 1)
        #expect(try registry.projects(ProjectFilter(stage: "signed", kind: "investment")).count == 3)
        #expect(throws: InvalidValue.self) { try registry.projects(ProjectFilter(stage: "finished")) }
        let parks = try registry.parks()
        #expect(parks.first { $0.park.code == "SSZ-XM" }?.plannedInvestment.fen == 260_000_000_000)
    }

    @Test func sectorCatalogueHasTheStableKeys() throws {
        let sectors = try registry.sectors()
        #expect(
            Set(sectors.map(\.key)) == [
                "new-energy", "low-altitude", "agri-tech", "domestic-os", "ai", "nev", "energy-storage",
                "materials", "smart-manufacturing", "logistics", "other",
            ])
        #expect(sectors.filter(\.isKeyEmerging).map(\.key) == ["new-energy", "low-altitude", "agri-tech", "domestic-os", "ai"])
    }

    @Test func sqlTextIsStoredLiterally() throws {
        let name = "'); DROP TABLE project;--"
        try registry.write(context) { _ = try $0.addPark(ParkFields(code: "SQL", name: name, level: "county", county: "城区")) }
        #expect(try registry.park("SQL").park.name == name)
        #expect(try count("project") == 0)
    }
}

@Suite struct RegistryOpeningTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory() }

    @Test func missingDatabaseSaysToRunInit() throws {
        let error = try #require(throws: RegistryError.self) { try Registry.open(at: folder.path("none.db")) }
        #expect(error.nextStep == .initialize)
        #expect(!FileManager.default.fileExists(atPath: folder.path("none.db")))
    }

    @Test func createIsIdempotentAndAppliesEveryEmbeddedMigration() throws {
        let path = folder.path("r.db")
        let first = try Registry.create(at: path)
        #expect(first.applied.map(\.version) == Registry.migrator.migrations.map(\.version))
        #expect(!first.applied.isEmpty)
        #expect(try Registry.create(at: path).applied.isEmpty)
        #expect(try Registry.migrationStatus(at: path).pending.isEmpty)
    }

    @Test func databaseOfTheFirstReleaseUpgradesWithItsDataIntact() throws {
        // A database made by migration 0001 alone, with projects and stages in it.
        let path = folder.path("old.db")
        do {
            let db = try Database(path: path, mode: .create)
            _ = try Migrator(migrations: Registry.migrator.migrations.filter { $0.version == 1 }).migrate(db)
            try db.executeScript(
                """
                INSERT INTO park VALUES ('P', '园区', 'county', '海丰县', NULL);
                INSERT INTO enterprise VALUES ('91440300192317458F', '比亚迪股份有限公司', '深圳', NULL);
                INSERT INTO project VALUES ('A', '项目甲', 'investment', 'P', '91440300192317458F', 'nev', 2500000000, '2025-03-14', 'construction', '备注');
                INSERT INTO project VALUES ('W', '民生项目', 'wellbeing', NULL, NULL, NULL, 0, '2025-01-02', 'signed', NULL);
                INSERT INTO project_stage VALUES ('A', 'signed', '2025-03-14'), ('A', 'construction', '2025-05-01'), ('W', 'signed', '2025-01-02');
                """)
        }
        func contents() throws -> [Row] {
            let db = try Database(path: path, mode: .readOnly)
            return try db.rows("SELECT * FROM project ORDER BY code") + db.rows("SELECT * FROM project_stage ORDER BY project_code, stage")
        }
        let before = try contents()
        let upgraded = try Registry.create(at: path)
        #expect(upgraded.applied.map(\.version) == Registry.migrator.migrations.map(\.version).filter { $0 > 1 })
        #expect(try contents() == before)
        let project = try #require(try upgraded.registry.project(code: "A"))
        #expect(project.project.stage == .construction)
        // The rewritten CHECKs still hold the line, and the indexes are back.
        let db = try Database(path: path)
        #expect(throws: SQLiteError.self) { try db.execute("UPDATE project SET stage = 'paused' WHERE code = 'A'") }
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO project_stage VALUES ('A', 'paused', '2025-06-01')") }
        #expect(throws: SQLiteError.self) { try db.execute("INSERT INTO project_stage VALUES ('X', 'signed', '2025-06-01')") }
        let indexes = try db.rows("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'project' AND sql IS NOT NULL ORDER BY name")
        #expect(try indexes.map { try $0.get("name", as: String.self) } == ["project_enterprise", "project_park", "project_report", "project_signed_on"])
    }

    @Test func editedMigrationInTheDatabaseIsRefused() throws {
        let path = folder.path("r.db")
        _ = try Registry.create(at: path)
        let db = try Database(path: path)
        try db.execute("UPDATE schema_migration SET checksum = 'edited' WHERE version = 1")
        let error = try #require(throws: RegistryError.self) { try Registry.open(at: path) }
        guard case .incompatibleSchema(_, .edited(version: 1, _)) = error else {
            Issue.record("unexpected \(error)")
            return
        }
    }

    @Test func databaseFromANewerRegistryIsRefused() throws {
        let path = folder.path("r.db")
        _ = try Registry.create(at: path)
        let db = try Database(path: path)
        try db.execute("INSERT INTO schema_migration VALUES (9999, 'from_the_future', 'x', '2030-01-01T00:00:00Z')")
        let error = try #require(throws: RegistryError.self) { try Registry.open(at: path) }
        #expect(error.description.contains("newer registry"))
        #expect(throws: RegistryError.self) { try Registry.create(at: path) }
    }

    @Test func foreignSQLiteFileIsNotTakenOver() throws {
        let path = folder.path("other.db")
        let db = try Database(path: path, mode: .create)
        try db.executeScript("CREATE TABLE customers (id TEXT PRIMARY KEY) STRICT")
        let error = try #require(throws: RegistryError.self) { try Registry.create(at: path) }
        guard case .notARegistryDatabase = error else { Issue.record("unexpected \(error)"); return }
        #expect(try db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'project'", as: Int.self) == 0)
    }

    @Test func demoSeedsLoadThroughTheWritePath() throws {
        let registry = try Registry.create(at: folder.path("demo.db")).registry
        let counts = try SeedLoader.load(into: registry, actor: "tester")
        #expect(counts.projects > 52)
        let counted = try registry.projects(ProjectFilter(year: 2025, kind: "investment")).filter { $0.project.stage != .cancelled }
        // The seeds reproduce the headquarters' 2025 summary: 52 projects, 131.5亿元.
        #expect(counted.count == 52)
        #expect(Money.sum(counted.map(\.project.plannedInvestment))?.fen == 1_315_000_000_000)
    }
}

/// Domain messages name no command or option of any front end; the next step
/// is a value the CLI (and the web pages) render.
@Suite struct FrontEndNeutralMessagesTests {
    @Test func noDomainMessageSpellsACommand() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/RegistryDomain")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
            // The message catalogue holds the front ends' wording too (one table for both languages).
            .filter { !$0.lastPathComponent.hasPrefix("MessageCatalogue") }
        #expect(files.count > 40)
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
            for (number, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//"), code.contains("\"") else { continue }
                #expect(!code.contains("`registry ") && !code.contains("registry verify --"), "\(file.lastPathComponent):\(number + 1): \(code)")
                #expect(code.range(of: #""[^"]*\B--[a-z][a-z-]+"#, options: .regularExpression) == nil, "\(file.lastPathComponent):\(number + 1): \(code)")
            }
        }
    }
}
