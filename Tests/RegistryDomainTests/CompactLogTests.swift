import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// Migration 0007 (the compact change log) on a database whose history the
/// previous release wrote: the same code path writes `change_log` entries
/// when the compact tables do not exist yet, so a registry created "as of
/// version 6" keeps its books exactly as that release did.
@Suite struct CompactLogTests {
    let folder: TemporaryDirectory
    let path: String

    init() throws {
        folder = try TemporaryDirectory()
        path = folder.path("registry.db")
    }

    /// Every kind of write: add, update, stage, import, funds, targets, year close and reopen.
    func writeEveryKind(_ registry: Registry, actor: String, suffix: String) throws {
        let context = WriteContext(actor: actor, command: "test \(suffix)", time: "2026-01-05T09:00:00Z")
        let uscc = USCCSamples.make(suffix == "old" ? 1 : 2)
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "P-\(suffix)", name: "园区\(suffix)", level: "municipal", county: "深汕特别合作区"))
            try writer.addEnterprise(EnterpriseFields(uscc: uscc, name: "企业\(suffix)", city: "深圳"))
            try writer.addProject(
                ProjectFields(
                    code: "SW-\(suffix)", name: "项目\(suffix)", park: "P-\(suffix)", enterprise: uscc,
                    sector: "nev", plannedInvestment: "3.28亿", signedOn: "2025-01-03"))
            try writer.updateProject(code: "SW-\(suffix)", ProjectFields(plannedInvestment: "3.5亿", notes: "调整\(suffix)"))
            try writer.changeStage(code: "SW-\(suffix)", to: "construction", on: "2025-06-01")
            try writer.setTarget(TargetFields(year: "2025", scope: "park:P-\(suffix)", projects: "5"))
            try writer.addFund(FundFields(code: "F-\(suffix)", name: "资金\(suffix)", source: "shenzhen-assistance", year: "2025", budget: "1亿"))
            let allocation = try writer.allocate(AllocationFields(fund: "F-\(suffix)", project: "SW-\(suffix)", amount: "500万", approvedOn: "2025-03-01"))
            try writer.disburse(DisbursementFields(allocation: allocation.id, amount: "200万", paidOn: "2025-04-01", payee: uscc, voucher: "PZ-\(suffix)"))
        }
        let file = folder.path("projects-\(suffix).csv")
        try "code,name,kind,planned_investment,signed_on\nWB-\(suffix),学校\(suffix),wellbeing,1000万,2024-09-01\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        _ = try Importer.run(.projects, path: file, into: registry, context: WriteContext(actor: actor, command: "import projects"))
        try registry.write(context) { _ = try $0.removeTarget(year: "2025", scope: "park:P-\(suffix)") }
        try registry.write(context) { try $0.closeYear("2024", reason: "年报\(suffix)") }
        try registry.write(context) { try $0.reopenYear("2024", reason: "补录\(suffix)") }
    }

    func makeOldRegistry() throws -> (anchor: LogHead, log: [LoggedChange]) {
        let old = try Registry.create(at: path, entities: EntitySet.builtIn.asOf(version: 6)).registry
        try writeEveryKind(old, actor: "张三", suffix: "old")
        let report = try old.verify()
        #expect(report.isIntact, "\(report.failures)")
        #expect(try old.db.scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'change_entry'", as: Int.self) == 0)
        return (try old.logHead(), try old.changes(LogFilter()))
    }

    @Test func anUpgradedRegistryKeepsItsHistoryAnchorsAndFacts() throws {
        let (anchor, oldLog) = try makeOldRegistry()
        let (upgraded, applied) = try Registry.create(at: path)
        #expect(applied.map(\.version) == Array(7...Registry.migrator.migrations.last!.version))
        #expect(try upgraded.logHead() == anchor, "the migration writes no entry")
        let report = try upgraded.verify(anchor: anchor)
        #expect(report.isIntact, "\(report.failures)")
        // The same facts, entry for entry: who, when, command, table, key, before → after.
        let sameLog = try upgraded.changes(LogFilter())
        #expect(sameLog.count == oldLog.count)
        for (before, after) in zip(oldLog, sameLog) {
            #expect(before.entry == after.entry)
            #expect(before.differences == after.differences, "entry \(before.entry.seq)")
        }
        // New writes go to the compact log, chained to the old head.
        try writeEveryKind(upgraded, actor: "李四", suffix: "new")
        try upgraded.write(WriteContext(actor: "李四", command: "project update")) {
            try $0.updateProject(code: "SW-OLD", ProjectFields(plannedInvestment: "4亿"))
        }
        let after = try upgraded.verify(anchor: anchor)
        #expect(after.isIntact, "\(after.failures)")
        #expect(after.entries == oldLog.count + (try upgraded.db.scalar("SELECT count(*) FROM change_entry", as: Int.self) ?? -1))
        #expect(try upgraded.verify(anchor: upgraded.logHead()).isIntact)
        // A record's history spans both logs.
        let history = try upgraded.history(table: "project", key: "SW-OLD")
        #expect(history.first?.entry.site == nil && history.last?.entry.site?.utf8.count == 36)
        let last = try #require(history.last)
        #expect(last.entry.actor == "李四" && last.entry.action == .update)
        #expect(last.differences == [LoggedChange.Difference(column: "planned_investment_fen", before: "35000000000", after: "40000000000")])
        // The newest entries (`log --limit`) across the two logs, still oldest first.
        let all = try upgraded.changes(LogFilter())
        let compactCount = try upgraded.db.scalar("SELECT count(*) FROM change_entry", as: Int.self) ?? 0
        let newest = try upgraded.changes(LogFilter(limit: compactCount + 3))
        #expect(newest.map(\.entry.seq) == all.suffix(compactCount + 3).map(\.entry.seq))
        #expect(newest.prefix(3).allSatisfy { $0.entry.site == nil } && newest.dropFirst(3).allSatisfy { $0.entry.site != nil })
        let byActor = try upgraded.changes(LogFilter(actor: "张三"))
        #expect(!byActor.isEmpty && byActor.allSatisfy { $0.entry.actor == "张三" && $0.entry.site == nil })
        let years = try upgraded.yearStatuses()
        #expect(years.map(\.by) == ["李四"] && years.first?.reason == "补录new")
        // The old log takes no new entries, from anyone.
        let shell = try Database(path: path)
        #expect(throws: SQLiteError.self) {
            try shell.execute(
                "INSERT INTO change_log (seq, at, actor, command, table_name, row_key, after, hash) VALUES (999999, '2026-01-01T00:00:00Z', 'x', 'x', 'park', '[]', '{}', ?)",
                [.text(String(repeating: "0", count: 64))])
        }
    }

    @Test func tamperingWithEitherLogIsNamedAfterTheUpgrade() throws {
        _ = try makeOldRegistry()
        let (upgraded, _) = try Registry.create(at: path)
        try writeEveryKind(upgraded, actor: "李四", suffix: "new")
        let shell = try Database(path: path)
        // A row the old log last wrote, and one the new log last wrote.
        try shell.execute("UPDATE project SET planned_investment_fen = 1 WHERE code IN ('SW-OLD', 'SW-NEW')")
        // An entry of the old log, edited with its trigger dropped and put back.
        let legacySeq = try #require(try shell.scalar("SELECT max(seq) FROM change_log WHERE table_name = 'park'", as: Int64.self))
        try shell.executeScript(
            """
            DROP TRIGGER change_log_no_update;
            UPDATE change_log SET actor = 'mallory' WHERE seq = \(legacySeq);
            CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
            BEGIN
                SELECT RAISE(ABORT, 'change_log is append-only: entries cannot be changed');
            END;
            """)
        let failures = try upgraded.verify().failures
        let messages = failures.map(\.description)
        #expect(messages.contains { $0.hasPrefix("data: project SW-OLD: changed outside registry: planned_investment_fen 35000000000 → 1") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("data: project SW-NEW: changed outside registry: planned_investment_fen 35000000000 → 1") })
        #expect(messages.contains { $0.hasPrefix("chain: entry \(legacySeq) (park P-old") && $0.contains("by mallory") })
        #expect(failures.count == 3, "\(messages)")
    }

    /// The compact log: an insert stores its row once as an array, an update
    /// only what changed, a delete the row it removed; one change set per write.
    @Test func entriesStoreOnlyWhatChanged() throws {
        let registry = try Registry.create(at: path).registry
        try writeEveryKind(registry, actor: "李四", suffix: "new")
        let db = try Database(path: path)
        let rows = try db.rows("SELECT before, after FROM change_entry WHERE table_name = 'project' AND row_key = '[\"SW-NEW\"]' ORDER BY seq")
        #expect(rows.count == 3)
        let insert: String? = try rows[0].get("after")
        #expect(insert?.hasPrefix("[\"SW-NEW\",\"项目new\",\"investment\",\"P-new\"") == true)
        #expect(try rows[1].get("before", as: String?.self) == "{\"planned_investment_fen\":32800000000,\"notes\":null}")
        #expect(try rows[1].get("after", as: String?.self) == "{\"planned_investment_fen\":35000000000,\"notes\":\"调整new\"}")
        #expect(try rows[2].get("after", as: String?.self) == "{\"stage\":\"construction\"}")
        let removed = try db.row("SELECT before, after FROM change_entry WHERE table_name = 'target' AND after IS NULL")
        #expect(try removed?.get("before", as: String.self).hasPrefix("[2025,") == true)
        // One change set per write, each with its site.
        let sets = try db.scalar("SELECT count(*) FROM change_set WHERE site = (SELECT id FROM registry_identity)", as: Int.self)
        #expect(sets == 5, "the write, the import, remove target, close and reopen: \(String(describing: sets))")
        // The shell sees both logs as one.
        let viewed = try db.scalar("SELECT count(*) FROM change_history", as: Int.self)
        let total = try db.scalar("SELECT (SELECT count(*) FROM change_log) + (SELECT count(*) FROM change_entry)", as: Int.self)
        #expect(viewed == total)
    }
}
