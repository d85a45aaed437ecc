import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// The five rules of issue 19, each on both sides of its threshold, on a real file.
@Suite struct SupervisionRulesTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "auditor", command: "test")
    static let payee = "91440300192317458F"
    static let asOf = ISODate(iso: "2025-12-31")!
    /// A resident identity number with a valid check digit (GB 11643-1999).
    static let person = "441521198503120046"

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "小漠园区", level: "municipal", county: "深汕特别合作区"))
            try writer.addEnterprise(EnterpriseFields(uscc: Self.payee, name: "比亚迪股份有限公司", city: "深圳"))
            try writer.addProject(ProjectFields(code: "WB-1", name: "医院", kind: "wellbeing", plannedInvestment: "1亿", signedOn: "2024-01-10"))
            try writer.addFund(FundFields(code: "F-2025", name: "2025年帮扶资金", source: "shenzhen-assistance", year: "2025", budget: "10亿"))
            try writer.addFund(FundFields(code: "S-2025", name: "2025年补助资金", source: "provincial-subsidy", year: "2025", budget: "10亿", isSubsidy: "是"))
        }
    }

    func allocate(_ amount: String, fund: String = "F-2025", on date: String = "2025-02-01") throws -> String {
        try registry.write(context) {
            try $0.allocate(AllocationFields(fund: fund, project: "WB-1", amount: amount, approvedOn: date, approvalDocument: "深汕指〔2025〕1号")).id
        }
    }

    @discardableResult
    func pay(_ allocation: String, _ amount: String, on date: String, payee: String = payee) throws -> String {
        try registry.write(context) {
            try $0.disburse(
                DisbursementFields(allocation: allocation, amount: amount, paidOn: date, payee: payee, voucher: "PZ-\(UUID().uuidString.prefix(8))"))
        }.id
    }

    func findings(_ rule: String, _ parameters: [String] = [], asOf: ISODate = asOf, year: Int? = 2025) throws -> [AuditFinding] {
        try registry.audit(AuditRequest(year: year, asOf: asOf, ruleIDs: [rule], parameters: parameters)).findings
    }

    @Test func residentIdentityNumbersAreCheckedByTheirCheckDigit() {
        #expect(ResidentID.isValid(Self.person))
        #expect(ResidentID.isValid("11010519491231002X"))
        #expect(!ResidentID.isValid("441521198503120047"), "wrong check digit")
        #expect(!ResidentID.isValid("441521198502300046"), "no 30 February")
        #expect(!ResidentID.isValid(Self.payee), "an organisation's code")
        #expect(!ResidentID.isValid("４41521198503120046"), "fullwidth digits are not digits here")
    }

    @Test func payeeIsIndividual() throws {
        let allocation = try allocate("100万")
        try pay(allocation, "5万", on: "2025-03-01", payee: Self.person)
        #expect(try findings("payee-is-individual").isEmpty, "exactly the threshold is not above it")
        let id = try pay(allocation, "5.01万", on: "2025-04-01", payee: Self.person)
        let found = try findings("payee-is-individual")
        #expect(found.map(\.disbursement) == [id] && found.first?.limitFen == 5_000_000)
        #expect(try findings("payee-is-individual", ["individual-threshold=6万"]).isEmpty)
        try pay(allocation, "9万", on: "2025-05-01", payee: "441521198503120047")  // not a valid number: not this rule's
        #expect(try findings("payee-is-individual").count == 1)
    }

    @Test func payeeDeregistered() throws {
        let allocation = try allocate("100万")
        let before = try pay(allocation, "10万", on: "2025-05-31")
        let onTheDay = try pay(allocation, "10万", on: "2025-06-01")
        #expect(try findings("payee-deregistered").isEmpty, "no status recorded")
        try registry.write(context) {
            try $0.setEnterpriseStatus(EnterpriseStatusFields(uscc: "比亚迪股份有限公司", status: "注销", since: "2025-06-01"), replacing: true)
        }
        let found = try findings("payee-deregistered")
        #expect(found.map(\.disbursement) == [onTheDay], "the payment on the day is after it, the one before is not (\(before))")
        try registry.write(context) {
            try $0.setEnterpriseStatus(EnterpriseStatusFields(uscc: Self.payee, status: "active", since: "2025-06-01"), replacing: true)
        }
        #expect(try findings("payee-deregistered").isEmpty)
        // The status is in the change log like any other change.
        #expect(try registry.changes(LogFilter(table: "enterprise_status")).count == 2)
    }

    @Test func enterpriseAnnualCap() throws {
        let subsidy = try allocate("9000万", fund: "S-2025")
        let ordinary = try allocate("9000万")
        try pay(subsidy, "3000万", on: "2025-03-01")
        try pay(subsidy, "2000万", on: "2025-06-01")
        try pay(ordinary, "4000万", on: "2025-07-01")  // not from a subsidy fund
        #expect(try findings("enterprise-annual-cap").isEmpty, "5000万 is the cap itself")
        try pay(subsidy, "3000万", on: "2026-01-10")  // another year
        #expect(try findings("enterprise-annual-cap", asOf: ISODate(iso: "2026-12-31")!, year: nil).isEmpty)
        let crossing = try pay(subsidy, "0.01", on: "2025-09-01")
        let found = try findings("enterprise-annual-cap")
        #expect(found.map(\.disbursement) == [crossing] && found.first?.amountFen == 5_000_000_001)
        #expect(try findings("enterprise-annual-cap", ["enterprise-annual-cap=6000万"]).isEmpty)
    }

    @Test func paymentOutsideAgreement() throws {
        let allocation = try allocate("100万")
        try registry.write(context) {
            try $0.setAllocationPeriod(AllocationPeriodFields(allocation: allocation, startsOn: "2025-03-01", endsOn: "2025-06-30"), replacing: false)
        }
        try pay(allocation, "10万", on: "2025-03-01")
        try pay(allocation, "10万", on: "2025-06-30")
        #expect(try findings("payment-outside-agreement").isEmpty, "both ends are inside")
        let early = try pay(allocation, "10万", on: "2025-02-28")
        let late = try pay(allocation, "10万", on: "2025-07-01")
        #expect(Set(try findings("payment-outside-agreement").compactMap(\.disbursement)) == [early, late])
        #expect(throws: InvalidValue.self) {
            try registry.write(context) {
                try $0.setAllocationPeriod(AllocationPeriodFields(allocation: allocation, startsOn: "2025-07-01", endsOn: "2025-06-30"), replacing: true)
            }
        }
    }

    @Test func staleProject() throws {
        try registry.write(context) { writer in
            for (code, signed) in [("SW-A", "2024-06-01"), ("SW-B", "2024-06-02"), ("SW-C", "2024-01-05")] {
                try writer.addProject(
                    ProjectFields(
                        code: code, name: "项目\(code)", park: "SSZ-XM", enterprise: Self.payee, sector: "nev", plannedInvestment: "1亿", signedOn: signed))
            }
            try writer.changeStage(code: "SW-C", to: "construction", on: "2025-03-01")
        }
        // As of 2025-06-02: SW-A was signed 366 days before, SW-B exactly 365.
        let asOf = ISODate(iso: "2025-06-02")!
        #expect(try findings("stale-project", asOf: asOf).compactMap(\.project) == ["SW-A"])
        #expect(try findings("stale-project", ["stale-days=400"], asOf: asOf).isEmpty)
        // SW-C started, later than a year after signing, but before the as-of date.
        #expect(!(try findings("stale-project", asOf: asOf).contains { $0.project == "SW-C" }))
    }
}
