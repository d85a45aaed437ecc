import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// The change history and its tamper evidence, against a real database file.
/// Tampering is done the way someone with the sqlite3 shell would: plain SQL
/// on a second connection, behind registry's back.
@Suite struct HistoryTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "张三", command: "test", time: "2026-01-05T09:00:00Z")
    static let payee = "91440300192317458F"

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
    }

    /// A park, an enterprise, two projects (2025 and 2026), a target, a fund, an allocation and two payments.
    func populate() throws {
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "小漠园区", level: "municipal", county: "深汕特别合作区"))
            try writer.addEnterprise(EnterpriseFields(uscc: Self.payee, name: "比亚迪股份有限公司", city: "深圳"))
            try writer.addProject(
                ProjectFields(
                    code: "SW-2025-001", name: "比亚迪二期", park: "SSZ-XM", enterprise: Self.payee,
                    sector: "nev", plannedInvestment: "3.28亿", signedOn: "2025-01-03"))
            try writer.addProject(
                ProjectFields(
                    code: "SW-2026-001", name: "储能基地", park: "SSZ-XM", enterprise: Self.payee,
                    sector: "energy-storage", plannedInvestment: "5亿", signedOn: "2026-02-01"))
            try writer.setTarget(TargetFields(year: "2025", projects: "50", investment: "120亿"))
            try writer.addFund(FundFields(code: "F-2025", name: "2025年帮扶资金", source: "shenzhen-assistance", year: "2025", budget: "1亿"))
            let allocation = try writer.allocate(
                AllocationFields(fund: "F-2025", project: "SW-2025-001", amount: "500万", approvedOn: "2025-03-01", approvalDocument: "深汕指〔2025〕1号"))
            try writer.disburse(DisbursementFields(allocation: allocation.id, amount: "200万", paidOn: "2025-04-01", payee: Self.payee, voucher: "PZ-1"))
            try writer.disburse(DisbursementFields(allocation: allocation.id, amount: "100万", paidOn: "2025-05-01", payee: Self.payee, voucher: "PZ-2"))
        }
    }

    /// A second connection, as the sqlite3 shell would open the file.
    func shell() throws -> Database { try Database(path: registry.path) }

    func failures(anchor: LogHead? = nil) throws -> [VerifyFailure] {
        try registry.verify(anchor: anchor).failures
    }

    // MARK: Recording

    @Test func everyWriteIsRecordedWithWhoWhenAndBeforeAfter() throws {
        let baseline = try registry.logHead()
        #expect(baseline.seq == 13, "a new database's baseline: 11 sectors, the site row and the registry's identity")
        try populate()
        let later = WriteContext(actor: "李四", command: "project update", time: "2026-01-06T10:00:00Z")
        try registry.write(later) { try $0.updateProject(code: "SW-2025-001", ProjectFields(plannedInvestment: "3.5亿")) }
        let changes = try registry.history(table: "project", key: "SW-2025-001")
        #expect(changes.map(\.entry.action) == [.insert, .insert, .update], "project insert, its signed stage, the update")
        let update = try #require(changes.last)
        #expect(update.entry.actor == "李四" && update.entry.at == "2026-01-06T10:00:00Z" && update.entry.command == "project update")
        #expect(update.differences == [LoggedChange.Difference(column: "planned_investment_fen", before: "32800000000", after: "35000000000")])
        #expect(update.entry.before?.contains("\"planned_investment_fen\":32800000000") == true)
        // An update that changes nothing writes no entry.
        let head = try registry.logHead()
        try registry.write(later) { try $0.updateProject(code: "SW-2025-001", ProjectFields(plannedInvestment: "3.5亿")) }
        #expect(try registry.logHead() == head)
        #expect(try registry.verify().isIntact)
    }

    @Test func aRefusedWriteLeavesNoEntry() throws {
        try populate()
        let head = try registry.logHead()
        #expect(throws: (any Error).self) {
            try registry.write(context) { writer in
                try writer.addPark(ParkFields(code: "SSZ-HF", name: "海丰园区", level: "county", county: "海丰县"))
                try writer.addPark(ParkFields(code: "SSZ-HF", name: "海丰园区二", level: "county", county: "海丰县"))
            }
        }
        #expect(try registry.logHead() == head, "the first park's entry went with the rolled-back transaction")
        try registry.write(context) { try $0.addPark(ParkFields(code: "SSZ-HF", name: "海丰园区", level: "county", county: "海丰县")) }
        #expect(try registry.logHead().seq == head.seq + 1, "numbers continue without a gap after a rollback")
        #expect(try registry.verify().isIntact)
    }

    @Test func anImportIsOneCommandWithAnEntryPerRow() throws {
        let file = folder.path("parks.csv")
        try "code,name,level,county\nP-1,一号园区,county,海丰县\nP-2,二号园区,county,陆丰市\nP-3,三号园区,municipal,汕尾市区\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let importing = WriteContext(actor: "王五", command: "import parks")
        _ = try Importer.run(.parks, path: file, into: registry, context: importing)
        let entries = try registry.changes(LogFilter(actor: "王五"))
        #expect(entries.count == 3 && entries.allSatisfy { $0.entry.command == "import parks" && $0.entry.action == .insert })
        // A file with one bad row writes nothing, entries included.
        try "code,name,level,county\nP-4,四号园区,county,海丰县\nP-5,五号园区,province,海丰县\n".write(toFile: file, atomically: true, encoding: .utf8)
        let head = try registry.logHead()
        #expect(throws: ImportFailed.self) { try Importer.run(.parks, path: file, into: registry, context: importing) }
        #expect(try registry.logHead() == head)
    }

    @Test func logFiltersByTableKeyActorAndDay() throws {
        try populate()
        let other = WriteContext(actor: "李四", command: "target set", time: "2026-02-01T08:00:00Z")
        try registry.write(other) { try $0.setTarget(TargetFields(year: "2025", projects: "52")) }
        #expect(try registry.changes(LogFilter(table: "disbursement")).count == 2)
        #expect(try registry.changes(LogFilter(table: "target", key: "2025/projects/all")).map(\.entry.action) == [.insert, .update])
        #expect(try registry.changes(LogFilter(actor: "李四")).count == 1)
        // (The baseline entries carry the time the database was made: today.)
        #expect(try registry.changes(LogFilter(table: "target", since: ISODate(iso: "2026-02-01"))).count == 1)
        #expect(try registry.changes(LogFilter(table: "target", until: ISODate(iso: "2026-01-31"))).count == 2)
        #expect(try registry.changes(LogFilter(since: ISODate(iso: "2026-01-05"), until: ISODate(iso: "2026-01-05"))).count == 12, "what populate wrote")
        #expect(try registry.changes(LogFilter(limit: 2)).map(\.entry.seq) == [try registry.logHead().seq - 1, try registry.logHead().seq])
        #expect(throws: InvalidValue.self) { try registry.changes(LogFilter(table: "change_log")) }
    }

    // MARK: Tamper evidence

    @Test func cleanDatabaseVerifies() throws {
        try populate()
        let report = try registry.verify()
        #expect(report.isIntact, "\(report.failures)")
        #expect(report.entries == Int(report.head.seq) && report.tables == RecordedTables.all.count)
        #expect(report.rows == 13 + 1 + 1 + 2 + 2 + 2 + 1 + 1 + 2, "baseline rows, park, enterprise, projects, stages, targets, fund, allocation, payments")
    }

    @Test func amountUpdatedBehindRegistrysBackIsNamed() throws {
        try populate()
        try shell().execute("UPDATE disbursement SET amount_fen = 900000000 WHERE voucher = 'PZ-2'")
        let found = try failures()
        #expect(found.count == 1)
        #expect(found.first?.check == .data)
        #expect(
            found.first?.message.english.contains("disbursement D-HQ-2025-000002: changed outside registry: amount_fen 100000000 → 900000000") == true,
            "\(found)")
    }

    @Test func projectDeletedBehindRegistrysBackIsNamed() throws {
        try registry.write(context) {
            try $0.addProject(ProjectFields(code: "WB-1", name: "医院", kind: "wellbeing", plannedInvestment: "1亿", signedOn: "2025-01-10"))
        }
        let db = try shell()
        try db.execute("DELETE FROM project_stage WHERE project_code = 'WB-1'")
        try db.execute("DELETE FROM project WHERE code = 'WB-1'")
        let messages = try failures().map(\.message.english)
        #expect(messages.contains { $0.hasPrefix("project WB-1: deleted outside registry") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("project_stage WB-1/signed: deleted outside registry") })
    }

    @Test func disbursementInsertedBehindRegistrysBackIsNamed() throws {
        try populate()
        try shell().execute(
            """
            INSERT INTO disbursement (id, allocation_id, amount_fen, paid_on, payee_uscc, voucher)
            VALUES ('D-HQ-2025-000099', 'A-HQ-2025-0001', 5000000, '2025-06-01', '\(Self.payee)', 'PZ-99')
            """)
        let found = try failures()
        #expect(found.count == 1)
        #expect(found.first?.message.english.hasPrefix("disbursement D-HQ-2025-000099: inserted outside registry") == true, "\(found)")
    }

    @Test func editedLogEntryIsNamed() throws {
        try populate()
        let db = try shell()
        // The append-only trigger stops a plain UPDATE ...
        #expect(throws: SQLiteError.self) { try db.execute("UPDATE change_entry SET table_name = 'park' WHERE seq = 15") }
        // ... so the tamperer drops it, edits, and puts it back.
        try db.executeScript(
            """
            DROP TRIGGER change_entry_no_update;
            UPDATE change_entry SET row_key = '["HQ-X"]' WHERE seq = 15;
            CREATE TRIGGER change_entry_no_update BEFORE UPDATE ON change_entry
            BEGIN
                SELECT RAISE(ABORT, 'change_entry is append-only: entries cannot be changed');
            END;
            """)
        let found = try failures()
        #expect(
            found.contains { $0.check == .chain && $0.message.english.hasPrefix("entry 15 (") && $0.message.english.contains("the hash does not recompute") },
            "\(found)")
        #expect(!found.contains { $0.check == .schema })
    }

    @Test func editedChangeSetIsNamed() throws {
        try populate()
        let db = try shell()
        #expect(throws: SQLiteError.self) { try db.execute("UPDATE change_set SET actor = 'mallory' WHERE id = 1") }
        try db.executeScript(
            """
            DROP TRIGGER change_set_no_update;
            UPDATE change_set SET actor = 'mallory' WHERE id = 1;
            CREATE TRIGGER change_set_no_update BEFORE UPDATE ON change_set
            BEGIN
                SELECT RAISE(ABORT, 'change_set is append-only: sets cannot be changed');
            END;
            """)
        let found = try failures()
        #expect(found.count == 1 && found.first?.check == .chain, "\(found)")
        #expect(found.first?.message.english.hasPrefix("change set 1 (") == true && found.first?.message.english.contains("by mallory") == true)
        #expect(found.first?.message.english.contains("the set (who, when, command or site) was edited") == true)
    }

    @Test func editedRowWithAForgedEntryBreaksTheChain() throws {
        try populate()
        // Change a payment and rewrite its log entry to match, without recomputing the hash.
        let db = try shell()
        let seq = try #require(try db.scalar("SELECT max(seq) FROM change_entry WHERE table_name = 'disbursement'", as: Int64.self))
        try db.executeScript(
            """
            DROP TRIGGER change_entry_no_update;
            UPDATE disbursement SET amount_fen = 1 WHERE voucher = 'PZ-2';
            UPDATE change_entry SET after = replace(after, ',100000000,', ',1,') WHERE seq = \(seq);
            """)
        let found = try failures()
        #expect(found.contains { $0.check == .chain && $0.message.english.hasPrefix("entry \(seq) (disbursement") }, "\(found)")
        #expect(!found.contains { $0.check == .data }, "the forged entry agrees with the row: only the chain can tell")
        #expect(found.contains { $0.check == .schema && $0.message.english.contains("change_entry_no_update is missing") })
    }

    @Test func deletedMiddleEntryIsNamed() throws {
        try populate()
        try shell().executeScript("DROP TRIGGER change_entry_no_delete; DELETE FROM change_entry WHERE seq = 14")
        let found = try failures()
        #expect(
            found.contains { $0.check == .chain && $0.message.english == "entry 14 is missing: the log goes from 13 to 15 (an entry was deleted)" }, "\(found)")
    }

    @Test func truncatedTailIsFoundWithAnAnchor() throws {
        try populate()
        // The last write is a payment, in a change set of its own.
        try registry.write(context) { writer in
            try writer.disburse(DisbursementFields(allocation: "A-HQ-2025-0001", amount: "1万", paidOn: "2025-06-01", payee: Self.payee, voucher: "PZ-3"))
        }
        let anchor = try registry.logHead()
        // The last write was a payment: remove it, its entry and its change set, so rows and log agree again.
        try shell().executeScript(
            """
            DROP TRIGGER change_entry_no_delete;
            DROP TRIGGER change_set_no_delete;
            DELETE FROM disbursement WHERE voucher = 'PZ-3';
            DELETE FROM change_set WHERE id = (SELECT set_id FROM change_entry WHERE seq = \(anchor.seq));
            DELETE FROM change_entry WHERE seq = \(anchor.seq);
            CREATE TRIGGER change_entry_no_delete BEFORE DELETE ON change_entry
            BEGIN
                SELECT RAISE(ABORT, 'change_entry is append-only: entries cannot be deleted');
            END;
            CREATE TRIGGER change_set_no_delete BEFORE DELETE ON change_set
            BEGIN
                SELECT RAISE(ABORT, 'change_set is append-only: sets cannot be deleted');
            END;
            """)
        #expect(try failures().isEmpty, "without an anchor, a consistent truncation cannot be seen (README: limits)")
        let found = try failures(anchor: anchor)
        #expect(found.count == 1 && found.first?.check == .anchor, "\(found)")
        #expect(found.first?.message.english.contains("is not in the log, which ends at entry \(anchor.seq - 1)") == true)
        // An anchor whose entry is still there but with another hash: rewritten history.
        let rewritten = try failures(anchor: LogHead(seq: 5, hash: String(repeating: "a", count: 64)))
        #expect(rewritten.first?.message.english.contains("the history up to the anchor was rewritten") == true)
    }

    @Test func aTruncatedTailThatLeavesItsSetIsFoundWithoutAnAnchor() throws {
        try populate()
        // The last write is a payment, in a change set of its own.
        try registry.write(context) { writer in
            try writer.disburse(DisbursementFields(allocation: "A-HQ-2025-0001", amount: "1万", paidOn: "2025-06-01", payee: Self.payee, voucher: "PZ-3"))
        }
        let head = try registry.logHead()
        try shell().executeScript(
            """
            DROP TRIGGER change_entry_no_delete;
            DELETE FROM disbursement WHERE voucher = 'PZ-3';
            DELETE FROM change_entry WHERE seq = \(head.seq);
            """)
        let found = try failures()
        #expect(found.contains { $0.check == .chain && $0.message.english.contains("has no entries: they were deleted") }, "\(found)")
    }

    @Test func droppedTriggerAndAlteredTableAreNamed() throws {
        try populate()
        try shell().executeScript(
            """
            DROP TRIGGER change_log_no_delete;
            ALTER TABLE disbursement ADD COLUMN approved_by TEXT;
            CREATE INDEX mine ON project (name);
            """)
        let messages = try failures().filter { $0.check == .schema }.map(\.message.english)
        #expect(messages.contains("trigger change_log_no_delete is missing (the migrations create it; it was dropped)"), "\(messages)")
        #expect(messages.contains { $0.hasPrefix("table disbursement differs from what the migrations made") && $0.contains("approved_by") })
        #expect(messages.contains { $0.hasPrefix("index mine is not made by any migration") })
    }

    @Test func hashEncodingSeparatesFieldsAndNulls() {
        let previous = LogHead.genesis.hash
        func hash(_ table: String, _ key: String, before: String? = nil, after: String? = "{}") -> String {
            EntryHash.compute(
                seq: 1, at: "2026-01-05T09:00:00Z", actor: "a", command: "c", table: table, key: key,
                before: before, after: after, previous: previous)
        }
        #expect(hash("ab", "c") != hash("a", "bc"), "length prefixes keep field boundaries")
        #expect(hash("t", "k", before: nil) != hash("t", "k", before: ""), "NULL is not empty text")
        #expect(hash("t", "k") == hash("t", "k"))
        #expect(hash("t", "k").count == 64)
        #expect(LogHead(text: "12:" + String(repeating: "F", count: 64)) == LogHead(seq: 12, hash: String(repeating: "f", count: 64)))
        #expect(LogHead(text: "12:abc") == nil && LogHead(text: "x:" + String(repeating: "0", count: 64)) == nil)
    }

    // MARK: Many operations

    /// Thousands of mixed operations, some refused mid-transaction, in batches:
    /// the log replays to exactly the rows, and the chain holds.
    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func verifiesAfterThousandsOfMixedOperations() throws {
        try populate()
        var generator = SplitMix64(seed: 2025)
        var projects: [String] = []
        var allocations: [String] = []
        var operations = 0
        for batch in 0..<120 {
            let refused = batch % 10 == 7
            do {
                try registry.write(WriteContext(actor: "actor\(batch % 4)", command: "batch \(batch)")) { writer in
                    for step in 0..<20 {
                        operations += 1
                        let n = batch * 20 + step
                        switch Int.random(in: 0..<9, using: &generator) {
                        case 0, 1:
                            let code = "P-\(n)"
                            try writer.addProject(
                                ProjectFields(
                                    code: code, name: "项目\(n)", park: "SSZ-XM", enterprise: Self.payee, sector: "nev",
                                    plannedInvestment: "\(Int.random(in: 1...9000, using: &generator))万",
                                    signedOn: "2026-0\(Int.random(in: 1...9, using: &generator))-1\(step % 10)"))
                            if !refused { projects.append(code) }
                        case 2 where !projects.isEmpty:
                            let code = projects.randomElement(using: &generator)!
                            try writer.updateProject(
                                code: code, ProjectFields(plannedInvestment: "\(Int.random(in: 1...9000, using: &generator)).25万", notes: "改\(n)"))
                        case 3 where !projects.isEmpty:
                            let code = projects.randomElement(using: &generator)!
                            _ = try? writer.changeStage(code: code, to: "construction", on: "2026-10-01")
                        case 4:
                            try writer.setTarget(TargetFields(year: "2026", scope: "all", projects: "\(Int.random(in: 1...99, using: &generator))"))
                        case 5 where !projects.isEmpty:
                            let allocation = try writer.allocate(
                                AllocationFields(
                                    fund: "F-2025", project: projects.randomElement(using: &generator)!,
                                    amount: "\(Int.random(in: 10...99, using: &generator))万", approvedOn: "2025-06-01"))
                            if !refused { allocations.append(allocation.id) }
                        case 6 where !allocations.isEmpty:
                            try writer.disburse(
                                DisbursementFields(
                                    allocation: allocations.randomElement(using: &generator)!, amount: "1.01万",
                                    paidOn: "2025-07-0\(Int.random(in: 1...9, using: &generator))", payee: Self.payee, voucher: "PZ-\(n)"))
                        case 7:
                            try writer.addEnterprise(EnterpriseFields(uscc: USCCSamples.make(n), name: "企业\(n)", city: "汕尾"))
                        default:
                            try writer.updatePark(code: "SSZ-XM", ParkFields(notes: "备注\(n)"))
                        }
                    }
                    if refused { throw CancelBatch() }
                }
            } catch is CancelBatch {}
        }
        #expect(operations == 2_400)
        let report = try registry.verify()
        #expect(report.isIntact, "\(report.failures.prefix(5))")
        #expect(report.entries > 2_000)
    }

    // MARK: Year close

    @Test func closedYearRefusesEveryKindOfWrite() throws {
        try populate()
        try registry.write(context) { try $0.closeYear("2025", reason: "年度报告已报送") }
        let head = try registry.logHead()
        let attempts: [(String, (RegistryWriter) throws -> Void)] = [
            (
                "add project",
                { try $0.addProject(ProjectFields(code: "SW-2025-009", name: "补录", kind: "wellbeing", plannedInvestment: "1亿", signedOn: "2025-06-01")) }
            ),
            ("update project", { try $0.updateProject(code: "SW-2025-001", ProjectFields(plannedInvestment: "4亿")) }),
            ("move a 2026 project into 2025", { try $0.updateProject(code: "SW-2026-001", ProjectFields(signedOn: "2025-12-31")) }),
            ("stage change dated in 2025", { try $0.changeStage(code: "SW-2025-001", to: "construction", on: "2025-12-01") }),
            ("set target", { try $0.setTarget(TargetFields(year: "2025", projects: "60")) }),
            ("remove target", { try $0.removeTarget(year: "2025") }),
            ("add fund", { try $0.addFund(FundFields(code: "F-2025-B", name: "补充资金", source: "other", year: "2025", budget: "1万")) }),
            ("update fund", { try $0.updateFund(code: "F-2025", FundFields(budget: "2亿")) }),
            ("allocate", { try $0.allocate(AllocationFields(fund: "F-2025", project: "SW-2025-001", amount: "1万", approvedOn: "2025-12-01")) }),
            ("update allocation", { try $0.updateAllocation(id: "A-HQ-2025-0001", AllocationFields(amount: "600万")) }),
            (
                "disburse",
                { try $0.disburse(DisbursementFields(allocation: "A-HQ-2025-0001", amount: "1万", paidOn: "2025-12-30", payee: Self.payee, voucher: "PZ-9")) }
            ),
            ("update disbursement", { try $0.updateDisbursement(id: "D-HQ-2025-000001", DisbursementFields(amount: "1万")) }),
        ]
        for (what, attempt) in attempts {
            let error = #expect(throws: InvalidValue.self, "\(what)") { try registry.write(context, attempt) }
            #expect(error?.reason.english.contains("belongs to 2025, which is closed (年度报告已报送)") == true, "\(what): \(String(describing: error))")
        }
        // An import row of a closed year is refused like any other bad cell.
        let file = folder.path("projects.csv")
        try "code,name,kind,planned_investment,signed_on\nWB-9,学校,wellbeing,1000万,2025-09-01\n".write(toFile: file, atomically: true, encoding: .utf8)
        let failed = #expect(throws: ImportFailed.self) { try Importer.run(.projects, path: file, into: registry, context: context) }
        #expect(failed?.report.problems.first?.reason.english.contains("which is closed") == true)
        #expect(try registry.logHead() == head, "nothing was written")
        // Later years stay open: a 2025 project may still move on in 2026.
        try registry.write(context) { writer in
            try writer.changeStage(code: "SW-2025-001", to: "construction", on: "2026-01-10")
            try writer.updateProject(code: "SW-2026-001", ProjectFields(plannedInvestment: "6亿"))
        }
        // Reopen, correct, and both steps are in the history.
        try registry.write(WriteContext(actor: "李四", command: "year reopen")) { try $0.reopenYear("2025", reason: "补录项目") }
        try registry.write(context) { try $0.updateProject(code: "SW-2025-001", ProjectFields(plannedInvestment: "4亿")) }
        let yearLog = try registry.history(table: "year_close", key: "2025")
        #expect(yearLog.map(\.entry.action) == [.insert, .update])
        #expect(yearLog.last?.entry.actor == "李四" && yearLog.last?.differences.contains { $0.column == "reason" && $0.after == "\"补录项目\"" } == true)
        let statuses = try registry.yearStatuses()
        #expect(statuses.count == 1 && statuses[0].closed == false && statuses[0].reason == "补录项目" && statuses[0].by == "李四")
        #expect(throws: InvalidValue.self) { try registry.write(context) { try $0.reopenYear("2025", reason: "again") } }
        #expect(try registry.verify().isIntact)
    }

    @Test func closingRecordsTheHead() throws {
        try populate()
        let head = try registry.logHead()
        let closed = try registry.write(context) { try $0.closeYear("2025", reason: "年度报告已报送") }
        #expect(closed.head == head)
        #expect(throws: InvalidValue.self) { try registry.write(context) { try $0.closeYear("2025", reason: "again") } }
        #expect(throws: InvalidValue.self) { try registry.write(context) { try $0.closeYear("2025", reason: "  ") } }
    }

    // MARK: Upgrade

    /// A database made before the change log existed gets a baseline entry per
    /// row, and verifies from then on.
    /// A database made by the previous schema (0005, with its log) upgrades to
    /// 0006 in place: it verifies before and after, and its published head
    /// still verifies as an anchor.
    @Test func upgradeToTheIdentityKeepsAnchors() throws {
        let path = folder.path("v5.db")
        let head: LogHead
        do {
            let db = try Database(path: path, mode: .create)
            _ = try Registry.migrator.upTo(5).migrate(db)
            head = try ChangeLog.head(in: db)
            #expect(head.seq == 12)
        }
        let (upgraded, applied) = try Registry.create(at: path)
        #expect(applied.map(\.version) == Array(6...Registry.migrator.migrations.last!.version))
        let report = try upgraded.verify(anchor: head)
        #expect(report.isIntact, "\(report.failures)")
        #expect(report.head.seq == 13)
    }

    @Test func upgradeRecordsABaselineOfExistingRows() throws {
        let path = folder.path("old.db")
        do {
            let db = try Database(path: path, mode: .create)
            _ = try Registry.migrator.upTo(4).migrate(db)
            try db.executeScript(
                """
                INSERT INTO park (code, name, level, county) VALUES ('SSZ-XM', '小漠园区', 'municipal', '深汕特别合作区');
                INSERT INTO project (code, name, kind, planned_investment_fen, signed_on) VALUES ('WB-1', '医院', 'wellbeing', 10000000000, '2024-03-01');
                INSERT INTO project_stage (project_code, stage, entered_on) VALUES ('WB-1', 'signed', '2024-03-01');
                """)
        }
        let (upgraded, applied) = try Registry.create(at: path)
        #expect(applied.map(\.version) == Array(5...Registry.migrator.migrations.last!.version))
        let log = try upgraded.changes(LogFilter())
        let baseline = log.filter { $0.entry.command == "baseline (migration 0005)" }
        #expect(baseline.count == 11 + 1 + 1 + 1 + 1, "sectors, site, park, project, stage")
        #expect(baseline.allSatisfy { $0.entry.action == .insert })
        // Migration 0006 mints the registry's identity and logs it after the baseline.
        #expect(log.count == baseline.count + 1 && log.last?.entry.table == "registry_identity")
        #expect(try upgraded.identity()?.id.count == 36)
        #expect(try upgraded.verify().isIntact)
        try upgraded.write(context) { try $0.updateProject(code: "WB-1", ProjectFields(notes: "升级后")) }
        #expect(try upgraded.history(table: "project", key: "WB-1").map(\.entry.command) == ["baseline (migration 0005)", "baseline (migration 0005)", "test"])
        #expect(try upgraded.verify().isIntact)
    }

    // MARK: Backup and restore

    @Test func backupIsACheckedCopyThatVerifies() throws {
        try populate()
        let target = folder.path("backup.db")
        let result = try registry.backup(to: target)
        #expect(result.head == (try registry.logHead()) && result.bytes > 0)
        let copy = try Registry.open(at: target)
        #expect(try copy.verify(anchor: result.head).isIntact)
        let walBytes = (try? Data(contentsOf: URL(fileURLWithPath: target + "-wal")))?.count ?? 0
        #expect(walBytes == 0, "a backup is one self-contained file")
        #expect(throws: RegistryError.self) { try registry.backup(to: target) }
        try registry.write(context) { try $0.updatePark(code: "SSZ-XM", ParkFields(notes: "备份后")) }
        let second = try registry.backup(to: target, force: true)
        #expect(second.head.seq == result.head.seq + 1)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty)
    }

    @Test func restoreReplacesTheDatabaseWithAVerifiedBackup() throws {
        try populate()
        let backup = folder.path("backup.db")
        let saved = try registry.backup(to: backup).head
        try registry.write(context) { try $0.updatePark(code: "SSZ-XM", ParkFields(notes: "备份后的改动")) }
        #expect(throws: RegistryError.self) { try Registry.restore(from: backup, to: registry.path) }
        let restored = try Registry.restore(from: backup, to: registry.path, force: true)
        #expect(restored.head == saved)
        #expect(try registry.logHead() == saved, "the open connection sees the restored database")
        #expect(try registry.verify().isIntact)
        // Into a new file.
        let fresh = try Registry.restore(from: backup, to: folder.path("fresh.db"))
        #expect(fresh.head == saved)
        // A tampered backup is refused.
        try Database(path: backup).execute("UPDATE park SET name = '改名' WHERE code = 'SSZ-XM'")
        let refused = #expect(throws: RestoreRefused.self) { try Registry.restore(from: backup, to: folder.path("other.db")) }
        #expect(refused?.problems.first?.contains("park SSZ-XM: changed outside registry") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.path("other.db")))
    }

    @Test func checkRunsSQLiteChecksAndVerify() throws {
        try populate()
        let report = try registry.check()
        #expect(report.isSound && report.integrity == ["ok"] && report.foreignKeys.isEmpty)
        try shell().executeScript("PRAGMA foreign_keys = OFF; DELETE FROM fund WHERE code = 'F-2025';")
        let broken = try registry.check()
        #expect(!broken.isSound && broken.foreignKeys.count == 1 && !broken.verify.isIntact)
    }
}

private struct CancelBatch: Error {}

/// Valid unified social credit codes, made from a number.
enum USCCSamples {
    static func make(_ n: Int) -> String {
        var values = Array("91441500MA").map { USCC.alphabet.firstIndex(of: $0)! }
        var rest = n
        for _ in 0..<7 {
            values.append(rest % 31)
            rest /= 31
        }
        return String(values.map { USCC.alphabet[$0] }) + String(USCC.checkCharacter(values[...]))
    }
}
