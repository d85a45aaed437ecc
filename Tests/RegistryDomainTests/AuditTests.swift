import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// Every built-in rule against a real database: a case that must fire and a
/// near miss exactly at the threshold that must not.
@Suite struct AuditTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "auditor", command: "test")
    static let payee = "91440300192317458F"  // registered below
    static let asOf = ISODate(iso: "2025-12-31")!

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "小漠园区", level: "municipal", county: "深汕特别合作区"))
            try writer.addEnterprise(EnterpriseFields(uscc: Self.payee, name: "比亚迪股份有限公司", city: "深圳"))
            try writer.addProject(ProjectFields(code: "WB-1", name: "医院", kind: "wellbeing", plannedInvestment: "1亿", signedOn: "2024-01-10"))
            try writer.addProject(ProjectFields(code: "WB-2", name: "学校", kind: "wellbeing", plannedInvestment: "1亿", signedOn: "2024-01-10"))
            try writer.addFund(FundFields(code: "F-2025", name: "2025年帮扶资金", source: "shenzhen-assistance", year: "2025", budget: "100万"))
            try writer.addFund(FundFields(code: "S-2025", name: "2025年补助资金", source: "provincial-subsidy", year: "2025", budget: "10亿", isSubsidy: "是"))
        }
    }

    @discardableResult
    func allocate(_ amount: String, fund: String = "F-2025", project: String = "WB-1", on date: String = "2025-03-01", doc: String? = "深汕指〔2025〕1号") throws
        -> String
    {
        try registry.write(context) {
            try $0.allocate(AllocationFields(fund: fund, project: project, amount: amount, approvedOn: date, approvalDocument: doc)).id
        }
    }

    @discardableResult
    func pay(_ allocation: String, _ amount: String, on date: String, payee: String = payee, voucher: String? = nil, carryOver: Bool = false) throws -> String {
        try registry.write(context) {
            try $0.disburse(
                DisbursementFields(
                    allocation: allocation, amount: amount, paidOn: date, payee: payee,
                    voucher: voucher ?? "PZ-\(UUID().uuidString.prefix(8))", carryOver: carryOver ? "yes" : "no"))
        }.id
    }

    func findings(_ rule: String, asOf: ISODate = asOf, year: Int? = nil, _ parameters: [String] = []) throws -> [AuditFinding] {
        try registry.audit(AuditRequest(year: year, asOf: asOf, ruleIDs: [rule], parameters: parameters)).findings
    }

    @Test func overDisbursedAllocation() throws {
        let id = try allocate("100万")
        try pay(id, "60万", on: "2025-04-01")
        try pay(id, "40万", on: "2025-05-01")
        #expect(try findings("over-disbursed-allocation").isEmpty, "exactly the allocation is not over")
        try pay(id, "0.01", on: "2025-06-01")
        let found = try findings("over-disbursed-allocation")
        #expect(found.count == 1)
        #expect(found.first?.allocation == id && found.first?.amountFen == 100_000_001 && found.first?.limitFen == 100_000_000)
        #expect(found.first?.date == "2025-06-01" && found.first?.severity == .error)
        // As of a day before the last payment, it was not over yet.
        #expect(try findings("over-disbursed-allocation", asOf: ISODate(iso: "2025-05-31")!).isEmpty)
    }

    @Test func overAllocatedFund() throws {
        try allocate("60万")
        try allocate("40万", project: "WB-2")
        #expect(try findings("over-allocated-fund").isEmpty)
        try allocate("0.01", on: "2025-07-01")
        let found = try findings("over-allocated-fund")
        #expect(found.map(\.fund) == ["F-2025"] && found.first?.amountFen == 100_000_001)
        #expect(try findings("over-allocated-fund", year: 2024).isEmpty, "the fund is of 2025")
    }

    @Test func paidBeforeApproval() throws {
        let id = try allocate("100万", on: "2025-03-10")
        try pay(id, "10万", on: "2025-03-10")
        #expect(try findings("paid-before-approval").isEmpty, "paid on the day of approval is fine")
        let early = try pay(id, "10万", on: "2025-03-09")
        #expect(try findings("paid-before-approval").map(\.disbursement) == [early])
    }

    @Test func missingApprovalDocument() throws {
        try allocate("10万")
        #expect(try findings("missing-approval-document").isEmpty)
        let id = try allocate("10万", doc: nil)
        try allocate("10万", doc: "   ")  // blank is no document at all
        let found = try findings("missing-approval-document")
        #expect(found.count == 2 && found.first?.allocation == id && found.first?.severity == .warning)
    }

    @Test func duplicatePaymentWithinTheWindowAndVoucherUsedTwice() throws {
        let id = try allocate("100万")
        try pay(id, "5万", on: "2025-04-01")
        try pay(id, "5万", on: "2025-05-02")  // 31 days later: outside the default 30
        #expect(try findings("duplicate-payment").isEmpty)
        let second = try pay(id, "5万", on: "2025-06-01")  // 30 days after 05-02: inside
        let found = try findings("duplicate-payment")
        #expect(found.map(\.disbursement) == [second] && found.first?.severity == .warning)
        // The window is a parameter: 31 days catches the first pair too.
        #expect(try findings("duplicate-payment", ["duplicate-window-days=31"]).count == 2)
        #expect(try findings("duplicate-payment", ["duplicate-window-days=29"]).isEmpty)
        // A voucher number used twice is an error, whatever the amounts.
        try pay(id, "7万", on: "2025-08-01", voucher: "PZ-9")
        let reused = try pay(id, "8万", on: "2025-10-01", voucher: "PZ-9")
        let errors = try findings("duplicate-payment").filter { $0.severity == .error }
        #expect(errors.map(\.disbursement) == [reused])
    }

    @Test func splitPaymentsUnderTheThresholdThatTogetherExceedIt() throws {
        let id = try allocate("100万")
        // Under the threshold (50万) each, together exactly at it: not above.
        try pay(id, "25万", on: "2025-04-01")
        try pay(id, "25万", on: "2025-04-20")
        #expect(try findings("split-payments").isEmpty)
        // A payment of exactly the threshold is not under it, so not part of a split.
        try pay(id, "50万", on: "2025-04-21")
        #expect(try findings("split-payments").isEmpty)
        let crossing = try pay(id, "0.01", on: "2025-05-01")  // 30 days after 04-01: 50万 + 0.01 within the window
        let found = try findings("split-payments")
        #expect(found.map(\.disbursement) == [crossing])
        #expect(found.first?.amountFen == 50_000_001 && found.first?.limitFen == 50_000_000)
        // A narrower window leaves the 04-01 payment out: 25万 + 0.01 is not above.
        #expect(try findings("split-payments", ["split-window-days=29"]).isEmpty)
        // Under a 60万 threshold the 50万 payment counts too: 100万 by 04-21, reported once there.
        #expect(try findings("split-payments", ["split-threshold=60万"]).map(\.date) == ["2025-04-21"])
    }

    @Test func idleAllocationByAgeAndShareDisbursed() throws {
        let exactlyAYear = try allocate("100万", on: "2024-12-31")  // 365 days before 2025-12-31: not more
        let older = try allocate("100万", on: "2024-12-30")  // 366 days
        try pay(exactlyAYear, "1万", on: "2025-01-05")
        try pay(older, "30万", on: "2025-01-05")  // exactly 30%: not less
        #expect(try findings("idle-allocation").isEmpty)
        let idle = try allocate("100万", project: "WB-2", on: "2024-12-30")
        try pay(idle, "29.99万", on: "2025-01-05")
        let found = try findings("idle-allocation")
        #expect(found.map(\.allocation) == [idle] && found.first?.amountFen == 29_990_000)
        // Parameters: a shorter age and a lower share.
        #expect(try findings("idle-allocation", ["idle-days=364"]).compactMap(\.allocation).sorted() == [exactlyAYear, idle].sorted())
        #expect(try findings("idle-allocation", ["idle-min-disbursed-percent=29"]).isEmpty)
    }

    @Test func payeeNotRegisteredOrInvalid() throws {
        let id = try allocate("100万")
        try pay(id, "1万", on: "2025-04-01")
        #expect(try findings("payee-not-registered").isEmpty)
        try pay(id, "1万", on: "2025-04-02", payee: "91441500MA55KH0028")  // valid check character, not registered
        try pay(id, "1万", on: "2025-04-03", payee: "91441500ma4w1x2y3z")  // Z is not in the alphabet
        let found = try findings("payee-not-registered")
        #expect(found.map(\.payee) == ["91441500MA55KH0028", "91441500MA4W1X2Y3Z"])
        #expect(found[0].reason.contains("未在本系统登记") && found[1].reason.contains("无效"))
        // A name of a registered enterprise is stored as its code.
        let byName = try registry.write(context) {
            try $0.disburse(DisbursementFields(allocation: id, amount: "1", paidOn: "2025-04-04", payee: "比亚迪股份有限公司", voucher: "PZ-N"))
        }
        #expect(byName.payeeCode == Self.payee)
    }

    @Test func paymentAfterTheProjectWasCancelled() throws {
        let id = try allocate("100万")
        _ = try registry.write(context) { try $0.changeStage(code: "WB-1", to: "cancelled", on: "2025-06-30") }
        try pay(id, "1万", on: "2025-06-30")
        #expect(try findings("payment-to-cancelled-project").isEmpty, "on the day of cancellation")
        let late = try pay(id, "1万", on: "2025-07-01")
        #expect(try findings("payment-to-cancelled-project").map(\.disbursement) == [late])
        #expect(try findings("payment-to-cancelled-project", asOf: ISODate(iso: "2025-06-30")!).isEmpty)
    }

    @Test func subsidyCapPerProject() throws {
        try allocate("6000万", fund: "S-2025")
        try allocate("4000万", fund: "S-2025", on: "2025-05-01")
        try allocate("5亿", fund: "F-2025", project: "WB-1")  // not a subsidy fund: not counted
        #expect(try findings("subsidy-cap-exceeded").isEmpty, "exactly 1亿 is the cap, not above it")
        try allocate("0.01", fund: "S-2025", on: "2025-06-01")
        let found = try findings("subsidy-cap-exceeded")
        #expect(found.map(\.project) == ["WB-1"] && found.first?.amountFen == 10_000_000_001)
        #expect(try findings("subsidy-cap-exceeded", ["subsidy-cap=2亿"]).isEmpty)
    }

    @Test func futureDatedRecords() throws {
        let id = try allocate("100万", on: "2025-12-31")
        try pay(id, "1万", on: "2025-12-31")
        #expect(try findings("future-dated").isEmpty)
        let typo = try pay(id, "1万", on: "2125-03-01")
        let found = try findings("future-dated")
        #expect(found.map(\.disbursement) == [typo] && found.first?.severity == .error)
        // The other rules leave it out: it is not yet on the books.
        #expect(try findings("fund-year-mismatch").isEmpty)
    }

    @Test func paymentOutsideTheFundYear() throws {
        let id = try allocate("100万")
        try pay(id, "1万", on: "2025-12-31")
        try pay(id, "1万", on: "2026-01-05", carryOver: true)
        #expect(try findings("fund-year-mismatch", asOf: ISODate(iso: "2026-12-31")!).isEmpty)
        let late = try pay(id, "1万", on: "2026-01-06")
        let found = try findings("fund-year-mismatch", asOf: ISODate(iso: "2026-12-31")!)
        #expect(found.map(\.disbursement) == [late] && found.first?.severity == .info)
    }

    @Test func unknownRulesAndParametersAndBadValuesAreRefused() throws {
        #expect(throws: AuditError.unknownRule("no-such-rule", known: BuiltinRules.all.map(\.id))) {
            try findings("no-such-rule")
        }
        #expect(throws: AuditError.self) { try findings("idle-allocation", ["split-threshold=1万"]) }
        #expect(throws: AuditError.malformedParameter("idle-days")) { try findings("idle-allocation", ["idle-days"]) }
        #expect(throws: InvalidValue.self) { try findings("idle-allocation", ["idle-days=abc"]) }
        #expect(throws: InvalidValue.self) { try findings("idle-allocation", ["idle-min-disbursed-percent=101"]) }
    }

    // MARK: Custom rules

    func rulesFolder(_ files: [String: String]) throws -> String {
        let path = folder.path("rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: "\(path)/\(name)", atomically: true, encoding: .utf8) }
        return path
    }

    @Test func customRuleRunsWithItsOwnParameter() throws {
        let id = try allocate("100万")
        try pay(id, "20万", on: "2025-04-01")
        try pay(id, "2万", on: "2025-04-02")
        let rules = try rulesFolder([
            "large.sql": """
            -- id: large-payment
            -- severity: info
            -- title: 大额付款 | Large payment
            -- param: large-amount = 10万
            SELECT d.id AS disbursement, d.amount_fen AS amount_fen, d.paid_on AS date,
                   '单笔付款 ' || money(d.amount_fen) AS reason
            FROM disbursement AS d WHERE d.amount_fen > :large_amount AND d.paid_on <= :as_of;
            -- a trailing comment is fine
            """
        ])
        let result = try registry.audit(AuditRequest(asOf: Self.asOf, ruleIDs: ["large-payment"], rulesDirectory: rules))
        #expect(result.findings.count == 1 && result.findings[0].severity == .info && result.findings[0].reason == "单笔付款 20.00万元")
        let lowered = try registry.audit(AuditRequest(asOf: Self.asOf, ruleIDs: ["large-payment"], parameters: ["large-amount=1万"], rulesDirectory: rules))
        #expect(lowered.findings.count == 2)
        // Without --rule, the custom rule runs after the whole catalogue.
        let all = try registry.audit(AuditRequest(asOf: Self.asOf, rulesDirectory: rules))
        #expect(all.rules.count == BuiltinRules.all.count + 1 && all.rules.last?.id == "large-payment")
    }

    @Test func customRulesThatCannotRunAreRefusedBeforeAnyRuns() throws {
        let id = try allocate("100万")
        try pay(id, "20万", on: "2025-04-01")
        let before = try Data(contentsOf: URL(fileURLWithPath: registry.path))
        let cases: [(String, String)] = [
            ("SELEC id FROM disbursement", "does not run"),
            ("SELECT id AS disbursement, 'x' AS reason FROM no_such_table", "does not run"),
            ("DELETE FROM disbursement", "tries to change the database"),
            ("UPDATE disbursement SET amount_fen = 1 RETURNING id AS disbursement, 'x' AS reason", "tries to change the database"),
            ("SELECT 'x' AS reason; DELETE FROM disbursement", "more than one SQL statement"),
            ("SELECT id FROM disbursement", "no `reason` column"),
            ("SELECT id AS payment, 'x' AS reason FROM disbursement", "not a finding column"),
            ("SELECT 'x' AS reason WHERE :nothing IS NULL", "unknown parameter :nothing"),
        ]
        for (sql, expected) in cases {
            let rules = try rulesFolder(["bad.sql": sql])
            do {
                _ = try registry.audit(AuditRequest(asOf: Self.asOf, rulesDirectory: rules))
                Issue.record("\(sql) was accepted")
            } catch let error as AuditError {
                #expect(error.description.contains(expected), "\(sql): \(error)")
                #expect(!error.isUsage)
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: registry.path)) == before, "nothing was written")
        #expect(try registry.db.scalar("SELECT count(*) FROM disbursement", as: Int.self) == 1)
    }

    // MARK: Recording

    @Test func recordingRefusesWhatCanNeverBeRightAndMintsSiteIDs() throws {
        let first = try allocate("10万")
        let second = try allocate("10万", on: "2025-04-01")
        #expect(first == "A-HQ-2025-0001" && second == "A-HQ-2025-0002")
        #expect(try pay(first, "1万", on: "2024-12-31") == "D-HQ-2024-000001")
        let refusals: [(AllocationFields, String)] = [
            (AllocationFields(fund: "F-2025", project: "WB-1", amount: "0", approvedOn: "2025-01-01"), "amount"),
            (AllocationFields(fund: "F-2025", project: "WB-1", amount: "-5万", approvedOn: "2025-01-01"), "amount"),
            (AllocationFields(fund: "NOPE", project: "WB-1", amount: "5万", approvedOn: "2025-01-01"), "fund"),
            (AllocationFields(fund: "F-2025", project: "NOPE", amount: "5万", approvedOn: "2025-01-01"), "project"),
            (AllocationFields(fund: "F-2025", project: "WB-1", amount: "5万", approvedOn: "2025-02-30"), "approved_on"),
        ]
        for (fields, field) in refusals {
            #expect {
                try registry.write(context) { try $0.allocate(fields) }
            } throws: { ($0 as? InvalidValue)?.field == field }
        }
        #expect {
            try registry.write(context) {
                try $0.disburse(DisbursementFields(allocation: "A-HQ-2025-9999", amount: "1", paidOn: "2025-01-01", payee: Self.payee, voucher: "V"))
            }
        } throws: { ($0 as? InvalidValue)?.field == "allocation" }
        #expect {
            try registry.write(context) {
                try $0.disburse(DisbursementFields(allocation: first, amount: "1", paidOn: "2025-01-01", payee: "某某公司", voucher: "V"))
            }
        } throws: { ($0 as? InvalidValue)?.field == "payee" }
        #expect(try registry.db.scalar("SELECT count(*) FROM allocation", as: Int.self) == 2)
    }

    @Test func fundListTotalsAsOfADate() throws {
        let id = try allocate("60万")
        try pay(id, "15万", on: "2025-04-01")
        try pay(id, "15万", on: "2025-09-01")
        let summary = try #require(registry.funds(year: 2025, asOf: ISODate(iso: "2025-06-30")).first { $0.fund.code == "F-2025" })
        #expect(summary.allocated.fen == 60_000_000 && summary.disbursed.fen == 15_000_000)
        #expect(summary.disbursementRateBasisPoints == 2_500 && summary.remaining.fen == 45_000_000 && summary.unallocated.fen == 40_000_000)
    }
}
