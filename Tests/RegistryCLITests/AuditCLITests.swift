import Foundation
import RegistryTestSupport
import Testing

/// Funds and audits through the built binary: exit codes, output, and the
/// database unchanged after a refusal.
@Suite struct AuditCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// A registry with one fund, one allocation and one payment, and no findings.
    func cleanRegistry() throws {
        try #require(try registry("init").status == 0)
        try #require(
            try registry(
                "project", "add", "--code", "WB-2025-HEALTH", "--name", "汕尾市人民医院帮扶提升项目", "--kind", "wellbeing",
                "--planned-investment", "3000万", "--signed-on", "2025-02-10"
            ).status == 0)
        try #require(try registry("enterprise", "add", "--uscc", "91441500MA55KH0015", "--name", "汕尾市城建工程有限公司").status == 0)
        let fund = try registry(
            "fund", "add", "--code", "SZ-ASSIST-2025", "--name", "2025年深圳对口帮扶资金", "--source", "shenzhen-assistance",
            "--year", "2025", "--budget", "8亿")
        #expect(fund.status == 0, "\(fund.stderr)")
        let allocation = try registry(
            "fund", "allocate", "SZ-ASSIST-2025", "--project", "WB-2025-HEALTH", "--amount", "3000万",
            "--approved-on", "2025-02-10", "--doc", "深汕指〔2025〕12号")
        #expect(allocation.status == 0 && allocation.stdout.hasPrefix("allocation A-HQ-2025-0001:"), "\(allocation.stdout)\(allocation.stderr)")
        let payment = try registry(
            "fund", "disburse", "A-HQ-2025-0001", "--amount", "1200万", "--paid-on", "2025-03-05",
            "--payee", "91441500MA55KH0015", "--voucher", "PZ-2025-0031")
        #expect(payment.status == 0 && payment.stdout.hasPrefix("disbursement D-HQ-2025-000001:"), "\(payment.stderr)")
    }

    @Test func fundListShowsBudgetAllocatedDisbursedAndRate() throws {
        try cleanRegistry()
        let list = try registry("fund", "list", "--year", "2025", "--format", "csv")
        #expect(list.status == 0)
        #expect(
            list.stdout.contains(
                "SZ-ASSIST-2025,2025年深圳对口帮扶资金,shenzhen-assistance,2025,0,800000000.00,30000000.00,12000000.00,18000000.00,770000000.00,0.4000"),
            "\(list.stdout)")
        let show = try registry("fund", "show", "SZ-ASSIST-2025")
        #expect(show.status == 0 && show.stdout.contains("A-HQ-2025-0001") && show.stdout.contains("D-HQ-2025-000001"))
    }

    @Test func refusedRecordsLeaveTheDatabaseUnchangedWithExit65() throws {
        try cleanRegistry()
        let before = try bytes(database)
        let refusals: [[String]] = [
            ["fund", "add", "--code", "X", "--name", "零预算", "--source", "other", "--year", "2025", "--budget", "0"],
            ["fund", "add", "--code", "X", "--name", "坏来源", "--source", "lottery", "--year", "2025", "--budget", "1万"],
            ["fund", "allocate", "NO-SUCH-FUND", "--project", "WB-2025-HEALTH", "--amount", "1万", "--approved-on", "2025-02-10"],
            ["fund", "allocate", "SZ-ASSIST-2025", "--project", "WB-2025-HEALTH", "--amount", "-1万", "--approved-on", "2025-02-10"],
            ["fund", "allocate", "SZ-ASSIST-2025", "--project", "WB-2025-HEALTH", "--amount", "1万", "--approved-on", "2025-02-30"],
            ["fund", "disburse", "A-HQ-2025-9999", "--amount", "1万", "--paid-on", "2025-03-05", "--payee", "91441500MA55KH0015", "--voucher", "V"],
            ["fund", "disburse", "A-HQ-2025-0001", "--amount", "1万", "--paid-on", "2025-03-05", "--payee", "某公司", "--voucher", "V"],
        ]
        for arguments in refusals {
            let result = try RegistryBinary.run(["--db", database] + arguments, in: folder.url)
            #expect(result.status == 65, "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(try bytes(database) == before)
    }

    @Test func failOnDecidesTheExitStatus() throws {
        try cleanRegistry()
        // No findings: every threshold exits 0.
        for failOn in ["error", "warning", "info", "never"] {
            let clean = try registry("audit", "run", "--as-of", "2025-12-31", "--fail-on", failOn)
            #expect(clean.status == 0, "\(failOn): \(clean.stdout)\(clean.stderr)")
        }
        // Only an info finding (a payment in the next year, not carried over).
        try #require(
            try registry(
                "fund", "disburse", "A-HQ-2025-0001", "--amount", "100万", "--paid-on", "2026-01-05",
                "--payee", "91441500MA55KH0015", "--voucher", "PZ-2026-0001"
            ).status == 0)
        let expected = ["error": 0, "warning": 0, "info": 1, "never": 0]
        for (failOn, status) in expected {
            let result = try registry("audit", "run", "--as-of", "2026-03-31", "--fail-on", failOn)
            #expect(result.status == Int32(status), "\(failOn): \(result.stdout)")
        }
        #expect(try registry("audit", "run", "--as-of", "2026-03-31").status == 0, "default --fail-on is error")
        // An error finding: error, warning and info fail; never does not.
        try #require(
            try registry(
                "fund", "disburse", "A-HQ-2025-0001", "--amount", "1万", "--paid-on", "2025-01-05",
                "--payee", "91441500MA55KH0015", "--voucher", "PZ-2025-0002"
            ).status == 0)
        for (failOn, status) in ["error": 1, "warning": 1, "info": 1, "never": 0] {
            let result = try registry("audit", "run", "--as-of", "2026-03-31", "--fail-on", failOn)
            #expect(result.status == Int32(status), "\(failOn)")
            if status == 1 { #expect(result.stderr.contains("finding(s) at or above \(failOn)")) }
        }
    }

    @Test func usageMistakesExit64() throws {
        try cleanRegistry()
        #expect(try registry("audit", "run", "--rule", "no-such-rule").status == 64)
        #expect(try registry("audit", "run", "--param", "no-such-param=1").status == 64)
        #expect(try registry("audit", "run", "--param", "idle-days").status == 64)
        #expect(try registry("audit", "run", "--fail-on", "sometimes").status == 64)
        #expect(try registry("audit", "run", "--rules-dir", folder.path("missing")).status == 64)
        let bad = try registry("audit", "run", "--param", "idle-days=abc")
        #expect(bad.status == 65 && bad.stderr.contains("param idle-days"))
    }

    @Test func customRuleThatWritesIsRefusedAndNothingChanges() throws {
        try cleanRegistry()
        let rules = folder.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try "DELETE FROM disbursement".write(toFile: rules + "/wipe.sql", atomically: true, encoding: .utf8)
        let before = try bytes(database)
        let result = try registry("audit", "run", "--rules-dir", rules)
        #expect(result.status == 65)
        #expect(result.stderr.contains("wipe.sql") && result.stderr.contains("tries to change the database"), "\(result.stderr)")
        #expect(try bytes(database) == before)
    }

    @Test func demoSeedsPlantOneFindingPerRule() throws {
        let demo = try RegistryBinary.run(["demo"], in: folder.url)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("【资金监管审计（按规则）】") && demo.stdout.contains("【审计发现明细】"))
        let demoDB = folder.path("registry-demo.db")
        let year = try registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--format", "json", "--fail-on", "never", db: demoDB)
        #expect(year.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(year.stdout.utf8)) as? [String: Any]
        let findings = object?["findings"] as? [[String: Any]] ?? []
        var byRule: [String: [String]] = [:]
        for finding in findings { byRule[finding["rule"] as! String, default: []].append(finding["severity"] as! String) }
        let expected: [String: [String]] = [
            "over-disbursed-allocation": ["error"], "over-allocated-fund": ["error"], "paid-before-approval": ["error"],
            "missing-approval-document": ["warning"], "duplicate-payment": ["error", "warning"], "split-payments": ["warning"],
            "idle-allocation": ["warning"], "payee-not-registered": ["warning", "warning", "warning"], "payment-to-cancelled-project": ["error"],
            "subsidy-cap-exceeded": ["error"], "fund-year-mismatch": ["info"],
            // Issue 19's rules (the individual's payment is also an unregistered payee).
            "payee-is-individual": ["warning"], "payee-deregistered": ["error"], "enterprise-annual-cap": ["error"],
            "payment-outside-agreement": ["warning"], "stale-project": ["info"],
        ]
        #expect(byRule == expected)
        // The typo'd payment of 2125 is found without --year.
        let all = try registry("audit", "run", "--rule", "future-dated", "--format", "csv", db: demoDB)
        #expect(all.status == 1 && all.stdout.contains("2125-06-18"))
        // The report's JSON carries the funds and the same audit summary.
        let report = try registry("report", "year", "2025", "--format", "json", db: demoDB)
        let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
        let funds = json?["funds"] as? [String: Any]
        #expect((funds?["by_fund"] as? [Any])?.count == 3)
        let audit = funds?["audit"] as? [[String: Any]] ?? []
        #expect(audit.reduce(0) { $0 + ($1["findings"] as? Int ?? 0) } == findings.count)
    }

    @Test func importDisbursementsIsAllOrNothingWithChineseHeaders() throws {
        try cleanRegistry()
        let file = folder.path("payments.csv")
        try """
        批复编号,拨付金额（万元）,拨付日期,收款单位,凭证号
        A-HQ-2025-0001,100,2025-04-01,汕尾市城建工程有限公司,PZ-1
        A-HQ-2025-0001,0,2025-04-02,91441500MA55KH0015,PZ-2
        A-HQ-2025-0404,5,2025-04-03,91441500MA55KH0015,PZ-3
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let before = try bytes(database)
        let refused = try registry("import", "disbursements", file)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("line 3, column 拨付金额（万元）") && refused.stderr.contains("line 4, column 批复编号"), "\(refused.stderr)")
        #expect(try bytes(database) == before)
        try "批复编号,拨付金额（万元）,拨付日期,收款单位,凭证号\nA-HQ-2025-0001,100,2025-04-01,汕尾市城建工程有限公司,PZ-1\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try registry("import", "disbursements", file)
        #expect(imported.status == 0, "\(imported.stderr)")
        let list = try registry("fund", "list", "--format", "csv")
        #expect(list.stdout.contains(",13000000.00,"), "1200万 + 100万 disbursed: \(list.stdout)")
    }

    /// Findings are spooled to disk and written as they are read back: a
    /// rule with 9,000 findings prints them all, most severe first, each
    /// rule's by date, in every format.
    @Test func manyFindingsComeOutAllInOrder() throws {
        try cleanRegistry()
        let rules = folder.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
        SELECT NULL AS fund, NULL AS allocation, NULL AS disbursement, 'P-' || (9001 - i) AS project, NULL AS payee,
               i AS amount_fen, printf('2025-%02d-%02d', 1 + i % 12, 1 + i % 28) AS date,
               CASE WHEN i % 3 = 0 THEN 'error' ELSE 'info' END AS severity, 'generated ' || i AS reason
        FROM n
        """.write(toFile: rules + "/many.sql", atomically: true, encoding: .utf8)
        let csv = try registry("audit", "run", "--as-of", "2025-12-31", "--rules-dir", rules, "--rule", "many", "--format", "csv", "--fail-on", "never")
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(lines.count == 9_000)
        let severities = lines.map { String($0[0]) }
        #expect(severities.firstIndex(of: "info") == 3_000 && severities.prefix(3_000).allSatisfy { $0 == "error" })
        let errorDates = lines.prefix(3_000).map { String($0[10]) }
        #expect(errorDates == errorDates.sorted())
        let json = try registry("audit", "run", "--as-of", "2025-12-31", "--rules-dir", rules, "--rule", "many", "--format", "json", "--fail-on", "never")
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((document?["findings"] as? [[String: Any]])?.count == 9_000)
        let table = try registry("audit", "run", "--as-of", "2025-12-31", "--rules-dir", rules, "--rule", "many", "--fail-on", "never")
        #expect(table.stdout.contains("9000 finding(s): 3000 error, 0 warning, 6000 info"), "\(table.stdout.suffix(300))")
        #expect(table.stdout.split(separator: "\n").count == 9_000 + 3)
    }
}
