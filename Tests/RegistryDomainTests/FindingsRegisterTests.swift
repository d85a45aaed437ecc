import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// The findings register (`audit run --record`, `finding …`) on a real file:
/// stable identities across runs, findings no longer found, rectified ones
/// found again, every status change in the log and frozen by year close.
@Suite struct FindingsRegisterTests {
    let folder: TemporaryDirectory
    let registry: Registry
    static let payee = "91440300192317458F"

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(WriteContext(actor: "出纳", command: "setup")) { writer in
            try writer.addEnterprise(EnterpriseFields(uscc: Self.payee, name: "比亚迪股份有限公司", city: "深圳"))
            try writer.addProject(ProjectFields(code: "WB-1", name: "医院", kind: "wellbeing", plannedInvestment: "1亿", signedOn: "2025-01-10"))
            try writer.addFund(FundFields(code: "F-2025", name: "2025年帮扶资金", source: "shenzhen-assistance", year: "2025", budget: "100万"))
            let allocation = try writer.allocate(
                AllocationFields(fund: "F-2025", project: "WB-1", amount: "50万", approvedOn: "2025-03-01", approvalDocument: "深汕指〔2025〕1号"))
            // The same voucher twice: duplicate-payment finds it.
            for (amount, date) in [("10万", "2025-04-01"), ("12万", "2025-05-01")] {
                try writer.disburse(
                    DisbursementFields(allocation: allocation.id, amount: amount, paidOn: date, payee: Self.payee, voucher: "PZ-2025-001"))
            }
        }
    }

    func recordedRun(asOf: String, actor: String = "审计员") throws -> FindingsRecorded {
        let result = try registry.audit(AuditRequest(year: 2025, asOf: ISODate(iso: asOf)))
        return try registry.write(WriteContext(actor: actor, command: "audit run --record")) { try $0.recordFindings(result) }
    }

    func voucherFinding() throws -> Finding {
        try #require(try registry.findings(FindingFilter(year: 2025)).first { $0.reason.contains("PZ-2025-001") })
    }

    func move(_ id: String, to status: FindingStatus, note: String = "核实", doc: String? = nil) throws {
        try registry.write(WriteContext(actor: "审计员", command: "finding")) { _ = try $0.changeFinding(id, to: status, note: note, document: doc) }
    }

    @Test func theSameProblemFoundAgainIsTheSameFinding() throws {
        let first = try recordedRun(asOf: "2025-06-30")
        #expect(first.added >= 1 && first.foundAgain == 0)
        let before = try registry.findings()
        let second = try recordedRun(asOf: "2025-07-31")
        #expect(second.added == 0 && second.foundAgain == first.added)
        let after = try registry.findings()
        #expect(after.map(\.id) == before.map(\.id))
        let finding = try voucherFinding()
        #expect(finding.firstFound.description == "2025-06-30" && finding.lastFound.description == "2025-07-31")
        #expect(finding.status == .open && finding.stillFound)
    }

    @Test func aFindingNoLongerFoundIsMarkedNotDeleted() throws {
        _ = try recordedRun(asOf: "2025-06-30")
        let id = try voucherFinding().id
        // The second payment gets its own voucher: the duplicate is gone.
        let second = try #require(try registry.db.scalar("SELECT id FROM disbursement ORDER BY paid_on DESC LIMIT 1", as: String.self))
        try registry.write(WriteContext(actor: "出纳", command: "fix")) { _ = try $0.updateDisbursement(id: second, DisbursementFields(voucher: "PZ-2025-002")) }
        let run = try recordedRun(asOf: "2025-07-31")
        #expect(run.noLongerFound >= 1)
        let finding = try registry.finding(id: id)
        #expect(!finding.stillFound && finding.lastFound.description == "2025-06-30")
    }

    @Test func aRectifiedFindingFoundAgainIsReopenedAndSaysSo() throws {
        _ = try recordedRun(asOf: "2025-06-30")
        let id = try voucherFinding().id
        try move(id, to: .confirmed, note: "凭证确系重复使用")
        try move(id, to: .rectified, note: "已追回并更正", doc: "深汕整〔2025〕3号")
        #expect(try registry.finding(id: id).status == .rectified)
        let run = try recordedRun(asOf: "2025-07-31")
        #expect(run.reopened == [id])
        let reopened = try registry.finding(id: id)
        #expect(reopened.status == .open && reopened.note?.contains("found again") == true)
        // Every status change is in the log, with who made it.
        let statuses = try registry.changes(LogFilter(table: "finding", key: id)).compactMap { change in
            change.differences.first { $0.column == "status" }?.after
        }
        #expect(statuses == ["\"open\"", "\"confirmed\"", "\"rectified\"", "\"open\""])
        #expect(try registry.verify().isIntact)
    }

    @Test func statusesMoveOnlyForwardAndNeedANote() throws {
        _ = try recordedRun(asOf: "2025-06-30")
        let id = try voucherFinding().id
        #expect(throws: InvalidValue.self) { try move(id, to: .rectified) }  // open → rectified skips the check
        #expect(throws: InvalidValue.self) { try move(id, to: .explained, note: "  ") }
        #expect(throws: InvalidValue.self) { try move("F-000000000000", to: .explained) }
        try move(id, to: .dismissed, note: "系同一笔款项分两次入账")
        #expect(throws: InvalidValue.self) { try move(id, to: .confirmed) }
    }

    @Test func aClosedYearFreezesItsRegister() throws {
        _ = try recordedRun(asOf: "2025-06-30")
        let id = try voucherFinding().id
        try registry.write(WriteContext(actor: "主任", command: "year close")) { _ = try $0.closeYear("2025", reason: "年报已报送") }
        #expect(throws: InvalidValue.self) { try move(id, to: .explained) }
        let head = try registry.logHead()
        let run = try recordedRun(asOf: "2025-12-31")
        #expect(run.closedYears >= 1 && run.added == 0 && run.foundAgain == 0)
        #expect(try registry.logHead() == head, "nothing of the closed year changed")
    }

    @Test func theReportCountsTheRegisterByStatusAndAge() throws {
        _ = try recordedRun(asOf: "2025-05-31")
        let id = try voucherFinding().id
        try move(id, to: .explained, note: "两次支付对应两份合同")
        let report = try registry.yearReport(2025, asOf: ISODate(iso: "2025-12-31")!)
        let register = try #require(report.funds?.register)
        #expect(register.byStatus.first { $0.status == .explained }?.count == 1)
        #expect(register.total == (try registry.findings(FindingFilter(year: 2025))).count)
        // Found on 31 May, open on 31 December: more than 180 days.
        #expect(register.openByAge.last?.count == register.total)
        let document = try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        let funds = try #require(document?["funds"] as? [String: Any])
        let byStatus = try #require((funds["findings_register"] as? [String: Any])?["by_status"] as? [String: Int])
        #expect(byStatus["explained"] == 1 && byStatus["open"] == register.total - 1)
    }
}
