import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// The year-end report against a real database: the counting rule, the
/// breakdowns, targets, and the seed figures the headquarters published.
@Suite struct YearReportTests {
    let folder: TemporaryDirectory
    let registry: Registry
    let context = WriteContext(actor: "tester", command: "test", time: "2026-01-05T09:00:00Z")

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(context) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "小漠新能源汽车产业园", level: "municipal", county: "深汕特别合作区"))
            try writer.addPark(ParkFields(code: "HF-ST", name: "海丰生态科技城", level: "county", county: "海丰县"))
            try writer.addPark(ParkFields(code: "LH-XH", name: "陆河新河工业园", level: "county", county: "陆河县"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司", city: "深圳"))
        }
    }

    func add(_ code: String, park: String = "SSZ-XM", sector: String = "nev", amount: String = "1亿", signed: String, kind: String? = nil) throws {
        try registry.write(context) {
            try $0.addProject(
                ProjectFields(
                    code: code, name: "项目\(code)", kind: kind, park: park, enterprise: "91440300192317458F",
                    sector: sector, plannedInvestment: amount, signedOn: signed))
        }
    }

    func stage(_ code: String, _ stage: String, on date: String) throws {
        try registry.write(context) { _ = try $0.changeStage(code: code, to: stage, on: date) }
    }

    func report(_ year: Int = 2025, asOf: String? = nil) throws -> YearReport {
        try registry.yearReport(year, asOf: asOf.map { ISODate(iso: $0)! }, today: ISODate(iso: "2026-11-22")!)
    }

    @Test func countingRuleAtTheEdgesOfTheYear() throws {
        try add("DEC31", amount: "2亿", signed: "2025-12-31")
        try add("JAN01", amount: "3亿", signed: "2026-01-01")
        try add("JAN01-2025", amount: "5亿", signed: "2025-01-01")
        try add("DEC31-2024", amount: "7亿", signed: "2024-12-31")
        try add("WELL", amount: "11亿", signed: "2025-06-01", kind: "wellbeing")
        try add("LATE-CANCEL", amount: "13亿", signed: "2025-03-01")
        try stage("LATE-CANCEL", "cancelled", on: "2026-01-15")
        try add("EARLY-CANCEL", amount: "17亿", signed: "2025-03-01")
        try stage("EARLY-CANCEL", "cancelled", on: "2025-10-01")

        let full = try report()
        #expect(full.asOf.description == "2025-12-31")  // today is later: the year's end
        #expect(full.totals == YearReport.Tally(projects: 3, investment: Money(fen: 200_000_000_000)))  // DEC31, JAN01-2025, LATE-CANCEL
        #expect(full.cancelled.map(\.code) == ["EARLY-CANCEL"])
        #expect(full.cancelled.first?.cancelledOn?.description == "2025-10-01")
        #expect(full.previousYear == YearReport.Tally(projects: 1, investment: Money(fen: 70_000_000_000)))

        // As of a date after the year: the later cancellation now counts too.
        let later = try report(asOf: "2026-02-01")
        #expect(later.totals == YearReport.Tally(projects: 2, investment: Money(fen: 70_000_000_000)))
        #expect(later.cancelled.map(\.code) == ["EARLY-CANCEL", "LATE-CANCEL"])
        #expect(later.countedThrough.description == "2025-12-31")

        // Mid-year: only what was signed by then; the autumn cancellation had not happened.
        let midYear = try report(asOf: "2025-06-30")
        #expect(midYear.totals == YearReport.Tally(projects: 3, investment: Money(fen: 350_000_000_000)))
        #expect(midYear.cancelled.isEmpty)
        #expect(!midYear.isFullYear && midYear.daysElapsed == 181)
        #expect(midYear.byMonth.filter(\.reported).count == 6)
    }

    @Test func stagesAreShownAsTheyStoodOnTheAsOfDate() throws {
        try add("A", signed: "2025-02-01")
        try stage("A", "construction", on: "2025-05-01")
        try stage("A", "operating", on: "2025-11-01")
        #expect(try report(asOf: "2025-04-30").byStage.map(\.tally.projects) == [1, 0, 0])
        #expect(try report(asOf: "2025-06-30").byStage.map(\.tally.projects) == [0, 1, 0])
        #expect(try report().byStage.map(\.tally.projects) == [0, 0, 1])
        #expect(try report(asOf: "2025-06-30").topProjects.first?.stage == .construction)
    }

    @Test func everyBreakdownAddsUpToTheHeadline() throws {
        let (demo, _) = try DemoDatabase.create(at: folder.path("demo.db"), actor: "tester")
        for asOf in [nil, "2025-03-31", "2025-08-15"] {
            let report = try demo.yearReport(2025, asOf: asOf.map { ISODate(iso: $0)! }, today: ISODate(iso: "2026-11-22")!)
            for (name, lines) in [
                ("level", report.byParkLevel), ("park", report.byPark), ("county", report.byCounty),
                ("sector", report.bySector), ("quarter", report.byQuarter), ("stage", report.byStage),
            ] {
                var sum = YearReport.Tally()
                for line in lines { try sum.add(line.tally) }
                #expect(sum == report.totals, "\(name) as of \(asOf ?? "year end")")
            }
            var months = YearReport.Tally()
            for month in report.byMonth { try months.add(month.tally) }
            #expect(months == report.totals)
            #expect(report.byMonth.last(where: \.reported)?.cumulative == report.totals)
        }
    }

    @Test func theSeedsReproduceThePublishedFigures() throws {
        let (demo, counts) = try DemoDatabase.create(at: folder.path("demo.db"), actor: "tester")
        #expect(counts.targets > 0)
        let report = try demo.yearReport(2025, today: ISODate(iso: "2026-11-22")!)
        #expect(report.totals.projects == 52)
        #expect(report.totals.investment.fen == 1_315_000_000_000)  // 13.15 billion yuan, to the fen
        #expect(report.totals.investment.formatted(.yi) == "131.50亿元")
        #expect(report.byParkLevel.allSatisfy { $0.tally.projects > 0 })
        #expect(report.targets.count >= 2 && report.targets.allSatisfy(\.met))
        #expect(report.bySector.filter(\.isKeyEmerging).count == 5)
        #expect(report.bySector.filter(\.isKeyEmerging).allSatisfy { $0.tally.projects > 0 })
        #expect(report.cancelled.count == 2)
        #expect(report.topProjects.count == 10)
        #expect(report.topProjects.map(\.investment) == report.topProjects.map(\.investment).sorted(by: >))
        // A second demo at the same path replaces the first; any other file is refused.
        _ = try DemoDatabase.create(at: folder.path("demo.db"), actor: "tester")
        #expect(throws: InvalidValue.self) { try DemoDatabase.create(at: folder.path("registry.db"), actor: "tester") }
    }

    @Test func targetsOfEveryScopeAreMeasuredAgainstTheirOwnFigures() throws {
        try add("M1", park: "SSZ-XM", sector: "nev", amount: "4亿", signed: "2025-02-01")
        try add("C1", park: "HF-ST", sector: "ai", amount: "2亿", signed: "2025-03-01")
        try add("C2", park: "LH-XH", sector: "ai", amount: "1亿", signed: "2025-09-01")
        try registry.write(context) { writer in
            try writer.setTarget(TargetFields(year: "2025", projects: "4", investment: "6亿"))
            try writer.setTarget(TargetFields(year: "2025", scope: "level:county", projects: "2"))
            try writer.setTarget(TargetFields(year: "2025", scope: "park:海丰生态科技城", investment: "1亿"))
            try writer.setTarget(TargetFields(year: "2025", scope: "county:陆河县", projects: "1"))
            try writer.setTarget(TargetFields(year: "2025", scope: "sector:人工智能", investment: "5亿"))
        }
        let results = try report().targets
        func result(_ metric: TargetMetric, _ scope: String) -> YearReport.TargetResult? {
            results.first { $0.target.metric == metric && $0.target.scope.description == scope }
        }
        #expect(result(.projects, "all")?.actual == .count(3) && result(.projects, "all")?.met == false)
        #expect(result(.projects, "all")?.difference == .count(-1))
        #expect(result(.investment, "all")?.actual == .amount(Money(fen: 70_000_000_000)) && result(.investment, "all")?.achievementBasisPoints == 11_667)
        #expect(result(.projects, "level:county")?.actual == .count(2))
        #expect(result(.investment, "park:HF-ST")?.actual == .amount(Money(fen: 20_000_000_000)))  // named by park name, stored by code
        #expect(result(.projects, "county:陆河县")?.actual == .count(1))
        #expect(result(.investment, "sector:ai")?.actual == .amount(Money(fen: 30_000_000_000)) && result(.investment, "sector:ai")?.met == false)
        // Mid-year, the targets are pro rata: 181 of 365 days.
        let midYear = try report(asOf: "2025-06-30")
        let projects = try #require(midYear.targets.first { $0.target.metric == .projects && $0.target.scope == .all })
        #expect(projects.proRataTarget == .count(2) && projects.actual == .count(2))  // 4 × 181 / 365 = 1.98
        let investment = try #require(midYear.targets.first { $0.target.metric == .investment && $0.target.scope == .all })
        #expect(investment.proRataTarget == .amount(Money(fen: 29_753_424_658)))  // 6亿 × 181 / 365, half up, in fen
        #expect(midYear.byMonth[5].proRataInvestmentTarget.map(TargetFigure.amount) == investment.proRataTarget)
    }

    @Test func settingATargetAgainReplacesItAndRecordsWhoAndWhen() throws {
        try registry.write(context) { try $0.setTarget(TargetFields(year: "2025", projects: "50")) }
        let later = WriteContext(actor: "王五", command: "target set", time: "2026-02-01T08:00:00Z")
        try registry.write(later) { try $0.setTarget(TargetFields(year: "2025", projects: "55")) }
        let targets = try registry.targets(year: 2025)
        #expect(targets.count == 1)
        #expect(targets[0].value == 55 && targets[0].setBy == "王五" && targets[0].setAt == "2026-02-01T08:00:00Z")
        try registry.write(context) { _ = try $0.removeTarget(year: "2025", scope: "all", metric: "projects") }
        #expect(try registry.targets().isEmpty)
    }

    @Test(arguments: [
        (TargetFields(year: "2025", scope: "park:NOPE", projects: "5"), "scope"),
        (TargetFields(year: "2025", scope: "county:火星县", projects: "5"), "scope"),
        (TargetFields(year: "2025", scope: "level:province", projects: "5"), "scope"),
        (TargetFields(year: "2025", scope: "everything", projects: "5"), "scope"),
        (TargetFields(year: "2025", scope: "sector:mining", projects: "5"), "scope"),
        (TargetFields(year: "25", projects: "5"), "year"),
        (TargetFields(year: "2025", projects: "0"), "projects"),
        (TargetFields(year: "2025", projects: "4.5"), "projects"),
        (TargetFields(year: "2025", investment: "-3亿"), "investment"),
        (TargetFields(year: "2025", investment: "0"), "investment"),
        (TargetFields(year: "2025"), "projects"),
    ])
    func badTargetsAreRefusedNamingTheField(fields: TargetFields, field: String) throws {
        let error = try #require(throws: InvalidValue.self) { try registry.write(context) { try $0.setTarget(fields) } }
        #expect(error.field == field)
        #expect(try registry.targets().isEmpty)
    }

    @Test func previousYearWithNothingGivesNoGrowthFigure() throws {
        try add("A", signed: "2025-05-01")
        let report = try report()
        #expect(report.previousYear == YearReport.Tally())
        #expect(report.projectGrowthBasisPoints == nil && report.investmentGrowthBasisPoints == nil)
        #expect(report.json().contains("\"projects_growth\": null"))
    }

    @Test func jsonCarriesTheContractFields() throws {
        let (demo, _) = try DemoDatabase.create(at: folder.path("demo.db"), actor: "tester")
        let json = try demo.yearReport(2025, today: ISODate(iso: "2026-11-22")!).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        for key in [
            "year", "as_of", "totals", "targets", "by_park_level", "by_park", "by_county", "by_sector", "by_month",
            "by_stage", "top_projects", "previous_year", "cancelled",
        ] {
            #expect(object[key] != nil, "\(key)")
        }
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["projects"] as? Int == 52 && totals["planned_investment_fen"] as? Int64 == 1_315_000_000_000)
        let targets = try #require(object["targets"] as? [[String: Any]])
        #expect(targets.allSatisfy { ["metric", "scope", "target", "actual", "achievement"].allSatisfy($0.keys.contains) })
        let months = try #require(object["by_month"] as? [[String: Any]])
        #expect(months.count == 12 && months.allSatisfy { $0["month"] != nil && $0["projects"] != nil && $0["planned_investment_fen"] != nil })
    }

    @Test func theReportReadsTheCoveringIndex() throws {
        let plan = try registry.db.rows(
            """
            EXPLAIN QUERY PLAN SELECT rowid, signed_on, park_code, sector_key, stage, planned_investment_fen, code FROM project
            WHERE kind = 'investment' AND signed_on BETWEEN '2025-01-01' AND '2025-12-31'
            """
        ).map { try $0.get("detail", as: String.self) }.joined()
        #expect(plan.contains("COVERING INDEX project_report"))
    }

    @Test func anAsOfDateBeforeTheYearIsRefused() throws {
        let error = try #require(throws: InvalidValue.self) { try report(asOf: "2024-12-31") }
        #expect(error.field == "as-of")
    }

    /// A writer that commits between the report's sections: the report's
    /// figures and its data version still come from the one state it began in.
    @Test func everySectionReadsTheSameSnapshot() throws {
        let seeded = try Registry.create(at: folder.path("seeded.db")).registry
        _ = try SeedLoader.load(into: seeded, actor: "tester")
        let today = ISODate(iso: "2026-11-22")!
        func disbursed(_ report: YearReport) -> Int64 { report.funds!.funds.reduce(0) { $0 + $1.disbursed.fen } }
        let before = try seeded.yearReport(2025, asOf: nil, today: today, betweenSections: nil)
        let writer = try Registry.open(at: seeded.path)
        let during = try seeded.yearReport(2025, asOf: nil, today: today) {
            try writer.write(context) {
                _ = try $0.disburse(
                    DisbursementFields(
                        allocation: "A-HQ-2025-0001", amount: "100万", paidOn: "2025-06-01",
                        payee: "91441500MA55KH0015", voucher: "PZ-SNAPSHOT"))
            }
        }
        #expect(during.logHead == before.logHead)
        #expect(disbursed(during) == disbursed(before))
        #expect(during.funds!.auditResult.findings.count == before.funds!.auditResult.findings.count)
        let after = try seeded.yearReport(2025, asOf: nil, today: today, betweenSections: nil)
        #expect(after.logHead != before.logHead)
        #expect(disbursed(after) == disbursed(before) + 100_000_000)
    }
}
