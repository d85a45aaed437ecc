import Foundation
import RegistryTestSupport
import Testing

/// Totals at the edge (issue 19, item 5, reached here first): the largest
/// accepted amounts add up exactly in every list, report and audit, and a
/// total that cannot be exact is refused or said so, never printed wrong.
@Suite struct TotalsCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    func park() throws {
        try #require(try registry("init").status == 0)
        try #require(try registry("park", "add", "--code", "P", "--name", "大园区", "--level", "county", "--county", "海丰县").status == 0)
        try #require(try registry("enterprise", "add", "--uscc", "91440300192317458F", "--name", "比亚迪股份有限公司").status == 0)
    }

    func projects(_ count: Int, amount: String) throws -> String {
        let lines =
            ["code,name,park,enterprise,sector,planned_investment,signed_on"]
            + (0..<count).map { "X-\($0),项目\($0),P,91440300192317458F,nev,\(amount),2025-03-01" }
        let path = cli.path("projects-\(count).csv")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theLargestAmountsAddUpExactly() throws {
        try park()
        let refused = try registry(
            "project", "add", "--code", "BIG", "--name", "过大", "--park", "P", "--enterprise", "91440300192317458F",
            "--sector", "nev", "--planned-investment", "10000000000000.01", "--signed-on", "2025-03-01")
        #expect(refused.status == 65 && refused.stderr.contains("the largest amount accepted is 100,000.00亿元"), "\(refused.stderr)")
        #expect(try registry("import", "projects", try projects(3, amount: "100000亿")).status == 0)
        let list = try registry("project", "list", "--format", "table", "--unit", "yi")
        #expect(list.status == 0 && list.stdout.contains("3 project(s), planned investment 300,000.00亿元"), "\(list.stdout)")
        let parks = try registry("park", "list", "--format", "csv")
        #expect(parks.status == 0 && parks.stdout.contains("30000000000000.00"), "\(parks.stdout)")
        let report = try registry("report", "year", "2025", "--format", "json")
        #expect(report.status == 0 && report.stdout.contains("\"planned_investment_fen\": 3000000000000000"))
        for code in ["F1", "F2", "F3"] {
            #expect(
                try registry("fund", "add", "--code", code, "--name", "资金\(code)", "--source", "other", "--year", "2025", "--budget", "100000亿").status == 0)
        }
        let funds = try registry("fund", "list", "--format", "csv")
        #expect(funds.status == 0 && funds.stdout.contains("10000000000000.00"))
        #expect(try registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--fail-on", "never").status == 0)
    }

    @Test func aTotalBeyondInt64IsRefusedOrSaidNeverWrong() throws {
        try park()
        // 9,300 projects of 10万亿元: 9.3 × 10^18 fen, past Int64 (9.22 × 10^18).
        let imported = try registry("import", "projects", try projects(9_300, amount: "100000亿"))
        #expect(imported.status == 0, "\(imported.stderr)")
        let list = try registry("project", "list", "--format", "table")
        #expect(list.status == 0 && list.stdout.contains("9300 project(s), planned investment beyond what can be added up exactly"))
        for command in [["park", "list", "--format", "csv"], ["report", "year", "2025", "--format", "json"]] {
            let result = try registry(command)
            #expect(result.status == 65, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("beyond what registry can add up exactly"), "\(command): \(result.stderr)")
            #expect(!result.stdout.contains("planned_investment"), "no partial figures")
        }
    }
}
