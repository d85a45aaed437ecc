import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// History, tamper evidence, year close, backup and check through the built binary.
@Suite struct HistoryCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    func seeded() throws {
        try #require(try registry("init").status == 0)
        let seed = try registry("seed")
        try #require(seed.status == 0, "\(seed.stderr)")
    }

    @Test func logAndHistoryShowWhoChangedWhat() throws {
        try seeded()
        let update = try registry("project", "update", "SW-2025-001", "--planned-investment", "3.5亿", actor: "张三")
        #expect(update.status == 0, "\(update.stderr)")
        let history = try registry("history", "project", "SW-2025-001", "--format", "csv")
        #expect(history.status == 0)
        let lines = history.stdout.split(separator: "\r\n")
        #expect(lines.first?.hasPrefix("seq,at,actor,command,table,key,action,change,before,after,hash") == true)
        #expect(
            lines.last?.contains(",张三,project update,project,SW-2025-001,update,planned_investment_fen: 32800000000 → 35000000000,") == true,
            "\(history.stdout)")
        let log = try registry("log", "--by", "张三", "--format", "json")
        #expect(log.status == 0 && log.stdout.contains("\"actor\": \"张三\"") && log.stdout.contains("\"command\": \"project update\""))
        let unknown = try registry("history", "project", "SW-1999-404")
        #expect(unknown.status == 65 && unknown.stderr.contains("no such record"))
        let badTable = try registry("log", "--table", "change_log")
        #expect(badTable.status == 65 && badTable.stderr.contains("is not a recorded table"))
        #expect(try registry("log", "--since", "2025-13-01").status == 64)
    }

    @Test func verifyNamesTamperingAndAnchorsFindTruncation() throws {
        try seeded()
        let clean = try registry("verify")
        #expect(clean.status == 0 && clean.stdout.hasPrefix("intact: "), "\(clean.stdout)\(clean.stderr)")
        let anchor = try registry("anchor").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(anchor.range(of: #"^[0-9]+:[0-9a-f]{64}$"#, options: .regularExpression) != nil)
        #expect(try registry("verify", "--anchor", anchor).status == 0)
        #expect(try registry("verify", "--anchor", "12:xyz").status == 64)

        // The report names the same head as its data version.
        let report = try registry("report", "year", "2025", "--format", "json")
        #expect(report.stdout.contains("\"change_log_head\": \"\(anchor)\""))

        // Remove the newest entry and the row it wrote, as someone covering tracks would.
        let shell = try Database(path: database)
        let last = try #require(try shell.row("SELECT seq, table_name, row_key FROM change_entry ORDER BY seq DESC LIMIT 1"))
        #expect(try last.get("table_name", as: String.self) == "disbursement")
        let key = try last.get("row_key", as: String.self)
        try shell.executeScript(
            """
            DROP TRIGGER change_entry_no_delete;
            DELETE FROM disbursement WHERE json_array(id) = '\(key)';
            DELETE FROM change_entry WHERE seq = \(try last.get("seq", as: Int.self));
            """)
        let tampered = try registry("verify", "--anchor", anchor)
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("TAMPERED schema: trigger change_entry_no_delete is missing"))
        #expect(tampered.stdout.contains("TAMPERED anchor: the published head \(anchor.prefix(while: { $0 != ":" })):"), "\(tampered.stdout)")
        #expect(tampered.stderr.contains("the registry does not match its history"))

        try shell.execute("UPDATE project SET planned_investment_fen = 1 WHERE code = 'SW-2025-002'")
        let check = try registry("check")
        #expect(check.status == 1)
        #expect(
            check.stdout.contains("integrity_check: ok")
                && check.stdout.contains("TAMPERED data: project SW-2025-002: changed outside registry: planned_investment_fen"))
    }

    @Test func closedYearRefusesChangesUntilReopened() throws {
        try seeded()
        let close = try registry("year", "close", "2025", "--reason", "年度报告已报送", actor: "主任")
        #expect(close.status == 0 && close.stdout.hasPrefix("closed 2025 (年度报告已报送); change log head at closing: "), "\(close.stderr)")
        let before = try bytes(database)
        for attempt in [
            ["project", "update", "SW-2025-001", "--name", "改名"],
            ["project", "stage", "SW-2025-002", "construction", "--on", "2025-12-20"],
            ["target", "set", "2025", "--projects", "60"],
            ["fund", "disburse", "A-HQ-2025-0001", "--amount", "1万", "--paid-on", "2025-12-30", "--payee", "91441521MA55HF003T", "--voucher", "PZ-X"],
        ] {
            let refused = try RegistryBinary.run(["--db", database] + attempt, in: folder.url)
            #expect(refused.status == 65, "\(attempt): \(refused.stderr)")
            #expect(refused.stderr.contains("belongs to 2025, which is closed (年度报告已报送)"), "\(refused.stderr)")
        }
        #expect(try bytes(database) == before, "refusals write nothing")
        let list = try registry("year", "list", "--format", "csv")
        #expect(list.stdout.contains("2025,closed 已关账,年度报告已报送,主任,"))
        let reopen = try registry("year", "reopen", "2025", "--reason", "补录项目", actor: "主任")
        #expect(reopen.status == 0)
        #expect(try registry("project", "update", "SW-2025-001", "--name", "比亚迪二期").status == 0)
        let history = try registry("history", "year_close", "2025", "--format", "csv")
        #expect(history.stdout.contains("主任,year close,year_close,2025,insert") && history.stdout.contains("主任,year reopen,year_close,2025,update"))
        #expect(try registry("verify").status == 0)
    }

    @Test func backupRefusesToOverwriteAndRestoreBringsItBack() throws {
        try seeded()
        let target = folder.path("backup.db")
        let backup = try registry("backup", target)
        #expect(backup.status == 0 && backup.stdout.contains("integrity_check ok"), "\(backup.stderr)")
        let head = backup.stdout.split(separator: "\n").last.map { String($0.dropFirst("head: ".count)) } ?? ""
        #expect(head == (try registry("anchor").stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        let again = try registry("backup", target)
        #expect(again.status == 73 && again.stderr.contains("already exists"))
        #expect(try registry("backup", target, "--force").status == 0)

        #expect(try registry("park", "update", "SSZ-XM", "--notes", "备份之后").status == 0)
        let exists = try registry("restore", target)
        #expect(exists.status == 73)
        let restore = try registry("restore", target, "--force")
        #expect(restore.status == 0 && restore.stdout.contains("head: \(head)"), "\(restore.stderr)")
        #expect(try registry("anchor").stdout.trimmingCharacters(in: .whitespacesAndNewlines) == head)
        #expect(try registry("verify", "--anchor", head).status == 0)
    }

    /// Backups taken while other processes keep writing are consistent copies that verify.
    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func backupWhileAnotherProcessWrites() throws {
        try #require(try registry("init").status == 0)
        let script = """
            for i in $(seq 1 120); do
              "$0" --db "$1" park add --code "P-$i" --name "园区$i" --level county --county 海丰县 >/dev/null || exit 1
              "$0" --db "$1" park update "P-$i" --notes "备注$i" >/dev/null || exit 1
            done
            """
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/bash")
        writer.arguments = ["-c", script, RegistryBinary.url.path, database]
        try writer.run()
        var heads: [String] = []
        for index in 0..<6 {
            Thread.sleep(forTimeInterval: 0.3)
            let copy = folder.path("backup-\(index).db")
            let backup = try registry("backup", copy)
            #expect(backup.status == 0, "\(backup.stderr)")
            heads.append(String(backup.stdout.split(separator: "\n").last ?? ""))
            let verify = try registry("check", db: copy)
            #expect(verify.status == 0, "backup \(index): \(verify.stdout)\(verify.stderr)")
        }
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0)
        // How many backups caught the writer mid-way depends on the machine's
        // load: a diagnostic, not an assertion. What must hold is asserted above.
        print("backups while writing: \(Set(heads).count) distinct heads of \(heads.count)")
        let final = try registry("verify")
        #expect(final.status == 0 && final.stdout.contains("rows in"), "\(final.stdout)")
        #expect(try Database(path: database).scalar("SELECT count(*) FROM park", as: Int.self) == 120)
    }
}
