import Foundation
import RegistryTestSupport
import Testing

/// The findings register through the built binary: record, list, move on, show, and the year close.
@Suite struct FindingsCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
        try cli.seeded()
    }

    @Test func anAuditorTracksAFindingUntilItIsRectified() throws {
        let run = try registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--record", "--fail-on", "never", actor: "审计员")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("register: 19 new"), "\(run.stderr)")
        let list = try registry("finding", "list", "--year", "2025", "--rule", "payee-deregistered")
        #expect(list.status == 0 && list.stdout.contains("待核实 open") && list.stdout.contains("1 finding(s)"))
        let id = try #require(
            list.stdout.split(whereSeparator: \.isNewline).compactMap { line in line.split(separator: " ").first.map(String.init) }
                .first { $0.hasPrefix("F-") })

        let skipped = try registry("finding", "rectify", id, "--note", "跳过核实")
        #expect(skipped.status == 65 && skipped.stderr.contains("open"), "\(skipped.stderr)")
        #expect(try registry("finding", "confirm", id, "--note", "注销后仍付款属实", actor: "审计员").status == 0)
        let rectified = try registry("finding", "rectify", id, "--note", "款项已追回", "--doc", "深汕整〔2026〕3号", actor: "财务科")
        #expect(rectified.status == 0 && rectified.stdout.contains("已整改"), "\(rectified.stderr)")
        let shown = try registry("finding", "show", id)
        for text in ["已整改 rectified", "深汕整〔2026〕3号", "财务科", "\"open\" → \"confirmed\"", "\"confirmed\" → \"rectified\""] {
            #expect(shown.stdout.contains(text), "\(text) in \(shown.stdout)")
        }
        let report = try registry("report", "year", "2025", "--as-of", "2025-12-31")
        #expect(report.stdout.contains("审计问题整改情况") && report.stdout.contains("已整改"))

        // Found again next month: reopened, and the run says so.
        let again = try registry("audit", "run", "--year", "2025", "--as-of", "2026-01-31", "--record", "--fail-on", "never")
        #expect(again.stderr.contains("reopened") && again.stderr.contains(id), "\(again.stderr)")
        #expect(try registry("verify").status == 0)

        // A closed year's register is frozen.
        #expect(try registry("year", "close", "2025", "--reason", "年报已报送").status == 0)
        let frozen = try registry("finding", "confirm", id, "--note", "再次确认")
        #expect(frozen.status == 65 && frozen.stderr.contains("2025"), "\(frozen.stderr)")
    }

    @Test func statusesAndAgreementPeriodsAreRecordedThroughTheirCommands() throws {
        let status = try registry("enterprise", "status", "比亚迪股份有限公司", "--status", "经营异常", "--on", "2025-11-01")
        #expect(status.status == 0 && status.stdout.contains("经营异常"), "\(status.stderr)")
        let bad = try registry("enterprise", "status", "91440300192317458F", "--status", "倒闭", "--on", "2025-11-01")
        #expect(bad.status == 65 && bad.stderr.contains("status"))
        let period = try registry("fund", "period", "A-HQ-2025-0007", "--from", "2025-03-10", "--until", "2025-04-19")
        #expect(period.status == 0, "\(period.stderr)")
        let audit = try registry(
            "audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--rule", "payment-outside-agreement", "--rule", "payee-deregistered", "--format", "csv")
        #expect(audit.stdout.contains("A-HQ-2025-0007") && audit.stdout.contains("2025-11-20"), "\(audit.stdout)")
        #expect(try registry("verify").status == 0)
    }
}
