import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// An investor visit (走访记录), an entity that exists only in this file: a
/// migration, a model with its descriptor, a writer method, and one
/// registration (`EntitySet.adding`). Nothing else in registry knows it, yet
/// it imports, exports, is logged, verified and frozen by year close.
struct InvestorVisit: StoredRecord, Equatable {
    var code: String
    var enterprise: String
    var visitedOn: ISODate
    var notes: String?

    static let table = TableSchema(name: "investor_visit", primaryKey: ["code"], columns: ["code", "enterprise_uscc", "visited_on", "notes"])

    static let migration = Migration(
        fileName: "9001_investor_visit.sql",
        sql: """
            CREATE TABLE investor_visit (
                code            TEXT PRIMARY KEY,
                enterprise_uscc TEXT NOT NULL REFERENCES enterprise (uscc),
                visited_on      TEXT NOT NULL,
                notes           TEXT
            ) STRICT;
            """)!

    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "visits",
            columns: [
                ImportColumn("code", ["走访编号"], required: true),
                ImportColumn("enterprise", ["企业", "统一社会信用代码"], required: true),
                ImportColumn("visited_on", ["走访日期"], required: true),
                ImportColumn("notes", ["备注"]),
            ],
            add: { row, writer in try writer.addVisit(row) },
            update: { key, row, writer in try writer.updateVisit(code: key, row) },
            export: { registry, _, row in
                try registry.db.forEachRow("\(table.selectSQL) ORDER BY code") { stored in
                    let visit = try InvestorVisit(row: stored)
                    try row([.text(visit.code), .text(visit.enterprise), .text(visit.visitedOn.description), .text(visit.notes)])
                }
            }
        )
    )

    var key: [SQLValue] { [.text(code)] }
    var values: [SQLValue] { [.text(code), .text(enterprise), .text(visitedOn.description), notes.sqlValue] }

    init(code: String, enterprise: String, visitedOn: ISODate, notes: String?) {
        self.code = code
        self.enterprise = enterprise
        self.visitedOn = visitedOn
        self.notes = notes
    }

    init(row: Row) throws {
        self.init(
            code: try row.get("code"), enterprise: try row.get("enterprise_uscc"),
            visitedOn: try ISODate.parse(try row.get("visited_on"), field: "visited_on"), notes: try row.get("notes"))
    }

    init(_ row: ImportRow) throws {
        var checks = FieldChecks()
        let code = try checks.check { try RecordKey.parse(row("code") ?? "", field: "code", example: "V-2025-001") }
        let enterprise = try checks.check { try USCC.parse(row("enterprise") ?? "", field: "enterprise").value }
        let visitedOn = try checks.check { try ISODate.parse(row("visited_on") ?? "", field: "visited_on") }
        let notes = try checks.check { try FieldText.notes(row("notes")) }
        try checks.throwIfAny()
        self.init(code: code!, enterprise: enterprise!, visitedOn: visitedOn!, notes: notes!)
    }

    var closingYear: ClosingYear? { ClosingYear(year: visitedOn.year, field: "visited_on", value: visitedOn.description) }
}

extension RegistryWriter {
    /// The writer method: validation, then `RowStore` (closed years, the log).
    func addVisit(_ row: ImportRow) throws {
        let visit = try InvestorVisit(row)
        try insertNew(visit, entity: "visit", keyField: "code", keyValue: visit.code)
    }

    func updateVisit(code: String, _ row: ImportRow) throws -> [FieldChange] {
        guard let before = try store.find(InvestorVisit.self, key: [.text(code)]) else { return [] }
        var after = try InvestorVisit(row)
        after.code = before.code
        return Change(before: before, after: after, changed: try store.update(from: before, to: after)).fieldChanges
    }
}

@Suite struct EntityRegistrationTests {
    let folder: TemporaryDirectory
    let entities = EntitySet.builtIn.adding(InvestorVisit.entity, migration: InvestorVisit.migration)
    let kind = ImportKind(name: "visits")

    init() throws {
        folder = try TemporaryDirectory()
    }

    func file(_ name: String, _ text: String) throws -> String {
        let path = folder.path(name)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aNewEntityRoundTripsThroughImportExportLogVerifyAndYearClose() throws {
        let path = folder.path("registry.db")
        let registry = try Registry.create(at: path, entities: entities).registry
        let context = WriteContext(actor: "测试员", command: "import visits")
        try registry.write(context) { try $0.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司")) }

        let sheet = try file(
            "visits.csv",
            """
            走访编号,企业,走访日期,备注
            V-2025-001,91440300192317458F,2025-03-14,首次走访
            V-2025-002,91440300192317458F,2025年6月1日,
            V-2026-001,91440300192317458F,2026-01-08,回访

            """)
        let report = try Importer.run(kind, path: sheet, into: registry, context: context)
        #expect(report.inserted == 3)

        // A bad row is refused with its line and column, nothing written.
        let bad = try file("bad.csv", "走访编号,企业,走访日期\nV-2025-009,91440300192317458F,2025-02-30\n")
        let failure = try #require(throws: ImportFailed.self) { try Importer.run(kind, path: bad, into: registry, context: context) }
        #expect(failure.report.problems.first?.column == "走访日期")

        // Export writes the import's columns; the export imports into a fresh registry unchanged.
        let exported = try registry.export(kind)
        #expect(exported.columns == ["code", "enterprise", "visited_on", "notes"])
        #expect(exported.rows[1] == [.text("V-2025-002"), .text("91440300192317458F"), .text("2025-06-01"), .text(nil)])

        // The log holds one entry per visit, and verify replays them.
        let changes = try registry.changes(LogFilter(table: "investor_visit"))
        #expect(changes.count == 3 && changes.allSatisfy { $0.entry.command == "import visits" })
        let verified = try registry.verify()
        #expect(verified.isIntact, "\(verified.failures)")
        #expect(verified.tables == EntitySet.builtIn.entities.count + 1)

        // A change behind registry's back is named.
        try registry.db.execute("UPDATE investor_visit SET notes = '改过' WHERE code = 'V-2026-001'")
        let tampered = try registry.verify()
        #expect(tampered.failures.contains { $0.message.english.contains("investor_visit V-2026-001: changed outside registry: notes") })
        try registry.db.execute("UPDATE investor_visit SET notes = '回访' WHERE code = 'V-2026-001'")

        // Year close freezes 2025's visits, not 2026's.
        try registry.write(WriteContext(actor: "测试员", command: "year close")) { _ = try $0.closeYear("2025", reason: "年报已报送") }
        let late = try file("late.csv", "走访编号,企业,走访日期\nV-2025-003,91440300192317458F,2025-12-30\nV-2026-002,91440300192317458F,2026-02-01\n")
        let frozen = try #require(throws: ImportFailed.self) { try Importer.run(kind, path: late, into: registry, context: context) }
        #expect(frozen.report.problems.count == 1 && frozen.report.problems[0].reason.english.contains("2025, which is closed"))
        let update = try file("update.csv", "走访编号,企业,走访日期,备注\nV-2026-001,91440300192317458F,2026-01-08,第二次回访\n")
        let upserted = try Importer.run(kind, path: update, into: registry, context: context, options: Importer.Options(upsert: true))
        #expect(upserted.updated == 1)
        #expect(try registry.verify().isIntact)

        // A registry without the entity registered refuses the file: it holds a migration it does not know.
        #expect(throws: RegistryError.self) { try Registry.open(at: path, readOnly: true, entities: .builtIn) }
    }
}
