import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// Issue 13's attacks, each written as the attacker would make it: one CSV
/// row or option value, or the sqlite3 shell (RegistryStorage stands in for
/// it), then the real binary.
@Suite struct SecurityCLITests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// Raw SQL on the file, as `sqlite3 registry.db` would run it.
    func shell(_ sql: String) throws {
        let db = try Database(path: database)
        try db.executeScript(sql)
    }

    // MARK: 1. Script in the HTML report

    @Test func aPrependedFormatCharacterCannotSmuggleMarkupIntoTheReports() throws {
        try cli.seeded()
        let name = "\u{0600}<img src=x onerror=alert(1)//"
        let add = try cli.registry(
            "project", "add", "--code", "SW-2025-900", "--name", "园区项目\(name)", "--kind", "wellbeing",
            "--planned-investment", "100万", "--signed-on", "2025-03-01")
        // The name holds a format character (Cf): refused at the door.
        #expect(add.status == 65 && add.stderr.contains("U+0600"), "\(add.stderr)")
        // Behind registry's back, with the shell: the renderers must still escape it.
        try shell("UPDATE park SET name = '\(name)' WHERE code = 'SW-GX'")
        for format in ["html", "markdown"] {
            let report = try cli.registry("report", "year", "2025", "--format", format)
            #expect(report.status == 0)
            #expect(!report.stdout.contains("<img"), "\(format) report lets <img through")
            #expect(report.stdout.contains("&lt;img"), "\(format) shows the text escaped")
        }
        let table = try cli.registry("park", "list", "--format", "table")
        #expect(table.stdout.contains("\\u{600}<img"), "the terminal table shows the invisible character")
    }

    // MARK: 2. Canonically equivalent edits

    @Test func aLookAlikeEditOfAVoucherIsFoundByVerifyAndCheck() throws {
        try cli.seeded()
        for day in ["2025-06-01", "2025-06-20"] {
            let paid = try cli.registry(
                "fund", "disburse", "A-HQ-2025-0001", "--amount", "1万", "--paid-on", day,
                "--payee", "91441500MA55KH0015", "--voucher", "记2025年K-0777")
            try #require(paid.status == 0, "\(paid.stderr)")
        }
        let audit = try cli.registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--rule", "duplicate-payment", "--format", "csv")
        #expect(audit.stdout.contains("凭证号 记2025年K-0777 已用于"))
        #expect(try cli.registry("verify").status == 0)

        // 年 → U+F98E (a compatibility ideograph), K → U+212A KELVIN SIGN, in the second payment.
        try shell(
            """
            UPDATE disbursement SET voucher = '记2025' || char(63886) || char(8490) || '-0777'
            WHERE rowid = (SELECT max(rowid) FROM disbursement WHERE voucher = '记2025年K-0777')
            """)
        let hidden = try cli.registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--rule", "duplicate-payment", "--format", "csv")
        #expect(!hidden.stdout.contains("凭证号 记2025年K-0777 已用于"), "SQLite compares bytes: the duplicate is hidden")
        let verify = try cli.registry("verify")
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("TAMPERED data: disbursement D-HQ-2025-"), "\(verify.stdout)")
        #expect(verify.stdout.contains("voucher \"记2025年K-0777\" → \"记2025\\u{f98e}\\u{212a}-0777\""), "\(verify.stdout)")
        #expect(try cli.registry("check").status == 1)
    }

    @Test func aCanonicallyEquivalentSchemaOrLogEditIsFound() throws {
        try cli.seeded()
        try shell(
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = replace(sql, 'Kind', 'K' || char(8490) || 'ind') WHERE 0;
            """)
        // A log entry's actor rewritten to a canonically equivalent form ("Å" precomposed → A + U+030A).
        try shell(
            """
            DROP TRIGGER change_log_no_update;
            UPDATE change_log SET actor = 'A' || char(778) WHERE seq = 1;
            UPDATE change_log SET actor = char(197) WHERE seq = 2;
            """)
        let verify = try cli.registry("verify")
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("TAMPERED chain: entry 1"), "\(verify.stdout)")
        #expect(verify.stdout.contains("TAMPERED schema: trigger change_log_no_update is missing"))
    }

    // MARK: 3. Objects named sqlite_…

    @Test func aTriggerNamedSqliteIsFoundAndRestoreRefusesIt() throws {
        try cli.seeded()
        #expect(try cli.registry("backup", cli.path("clean.db")).status == 0)
        try shell(
            """
            PRAGMA writable_schema = ON;
            INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('trigger', 'sqlite_audit_blind', 'disbursement', 0,
              'CREATE TRIGGER sqlite_audit_blind AFTER INSERT ON disbursement BEGIN SELECT 1; END');
            INSERT INTO sqlite_schema (type, name, tbl_name, rootpage, sql) VALUES ('view', 'sqlite_notes', 'sqlite_notes', 0,
              'CREATE VIEW sqlite_notes AS SELECT 1');
            """)
        let verify = try cli.registry("verify")
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("TAMPERED schema: trigger sqlite_audit_blind is not made by any migration"), "\(verify.stdout)")
        #expect(verify.stdout.contains("TAMPERED schema: view sqlite_notes is not made by any migration"))
        #expect(try cli.registry("check").status == 1)
        // A backup of it copies the trigger; restore refuses that backup.
        #expect(try cli.registry("backup", cli.path("blind.db")).status == 0)
        let restore = try cli.registry("restore", cli.path("blind.db"), "--force", db: cli.path("restored.db"))
        #expect(restore.status == 1 && restore.stderr.contains("sqlite_audit_blind"), "\(restore.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.path("restored.db")))
        #expect(try cli.registry("verify", db: cli.path("clean.db")).status == 0)
    }

    @Test func statisticsTablesAreForeignToo() throws {
        try cli.seeded()
        try shell("ANALYZE")
        let verify = try cli.registry("verify")
        #expect(verify.status == 1 && verify.stdout.contains("table sqlite_stat1 is not made by any migration"), "\(verify.stdout)")
    }

    // MARK: 4. Look-alike and invisible characters

    @Test func invisibleCharactersAreRefusedAndFullwidthVouchersAreFolded() throws {
        try cli.seeded()
        let before = try cli.bytes(database)
        let refusals: [([String], String)] = [
            (
                [
                    "fund", "disburse", "A-HQ-2025-0001", "--amount", "1万", "--paid-on", "2025-06-01", "--payee", "91441500MA55KH0015",
                    "--voucher", "PZ-2025-0777\u{200B}",
                ], "U+200B"
            ),
            (["park", "add", "--code", "SW-NEW", "--name", "汕尾\u{200B}高新技术产业开发区", "--level", "municipal", "--county", "城区"], "U+200B"),
            (["park", "add", "--code", "SW-NEW", "--name", "汕尾\u{202E}区发开", "--level", "municipal", "--county", "城区"], "U+202E"),
            (["park", "add", "--code", "SW\u{2060}-NEW", "--name", "新园区", "--level", "municipal", "--county", "城区"], "U+2060"),
            (["enterprise", "add", "--uscc", "91441500MA55KH0015", "--name", "\u{FEFF}某公司"], "U+FEFF"),
        ]
        for (arguments, scalar) in refusals {
            let result = try RegistryBinary.run(["--db", database] + arguments, in: cli.folder.url)
            #expect(result.status == 65 && result.stderr.contains(scalar), "\(arguments): \(result.stderr)")
        }
        #expect(try cli.bytes(database) == before, "nothing was written")

        for voucher in ["PZ-2025-0777", "ＰＺ－２０２５－０７７７", "PZ-2025-0777"] {
            let paid = try cli.registry(
                "fund", "disburse", "A-HQ-2025-0001", "--amount", "1万", "--paid-on", "2025-06-01",
                "--payee", "91441500MA55KH0015", "--voucher", voucher)
            #expect(paid.status == 0, "\(paid.stderr)")
        }
        let audit = try cli.registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--rule", "duplicate-payment", "--format", "csv")
        let reused = audit.stdout.split(separator: "\r\n").filter { $0.contains("凭证号 PZ-2025-0777 已用于") }
        #expect(reused.count == 2, "the fullwidth voucher is the same voucher: \(audit.stdout)")
        // A Kelvin sign in a USCC is the letter K to a reader, and stored as K.
        // (Compared as bytes: Swift's `contains` would call K and U+212A equal.)
        let enterprise = try cli.registry("enterprise", "add", "--uscc", "91441500MA4W1\u{212A}2Y3X", "--name", "测试")
        #expect(enterprise.status == 0 && enterprise.stdout.utf8.elementsEqual("added enterprise 91441500MA4W1K2Y3X 测试\n".utf8), "\(enterprise.stdout)")
    }

    // MARK: 5. An index that no longer matches its table

    @Test func anIndexEditedBehindTheTableIsFoundAndStopsTheAudit() throws {
        try cli.seeded()
        let planted = try cli.registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--rule", "duplicate-payment", "--format", "csv")
        let voucher = try #require(planted.stdout.split(separator: "\r\n").first { $0.contains("已用于") })
        _ = voucher
        // Make the index partial, drop the planted duplicate's entries, put the definition back.
        let db = try Database(path: database)
        let duplicate = try #require(try db.scalar("SELECT voucher FROM disbursement GROUP BY voucher HAVING count(*) > 1", as: String.self))
        try db.executeScript(
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = 'CREATE INDEX disbursement_voucher ON disbursement (voucher, paid_on) WHERE voucher <> ''\(duplicate)'''
              WHERE name = 'disbursement_voucher';
            """)
        let reopened = try Database(path: database)
        try reopened.executeScript("REINDEX disbursement_voucher")
        try reopened.executeScript(
            """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = 'CREATE INDEX disbursement_voucher ON disbursement (voucher, paid_on)' WHERE name = 'disbursement_voucher';
            """)
        let verify = try cli.registry("verify")
        #expect(
            verify.status == 1 && verify.stdout.contains("TAMPERED file: integrity_check:") && verify.stdout.contains("disbursement_voucher"),
            "\(verify.stdout)")
        let audit = try cli.registry("audit", "run", "--year", "2025", "--as-of", "2025-12-31")
        #expect(audit.status == 1 && audit.stderr.contains("integrity check") && audit.stdout.isEmpty, "\(audit.stdout)\(audit.stderr)")
        // Skipping the check (where `check` vouched for the file) audits through the damaged index: the duplicate is hidden.
        let skipped = try cli.registry(
            "audit", "run", "--year", "2025", "--as-of", "2025-12-31", "--rule", "duplicate-payment",
            "--format", "csv", "--no-integrity-check")
        #expect(skipped.stdout.contains("duplicate-payment") && !skipped.stdout.contains("凭证号 \(duplicate) 已用于"), "\(skipped.stdout)")
    }

    // MARK: 6. --output onto the database

    @Test func outputNeverReplacesTheDatabaseAndAnExistingFileOnlyWithForce() throws {
        try cli.seeded()
        let before = try cli.bytes(database)
        try FileManager.default.createSymbolicLink(atPath: cli.path("link.html"), withDestinationPath: database)
        for target in ["registry.db", database, "./registry.db", "registry.db-wal", "registry.db-shm", "link.html"] {
            for force in [false, true] {
                let arguments = ["report", "year", "2025", "--format", "html", "--output", target] + (force ? ["--force"] : [])
                let result = try RegistryBinary.run(["--db", "registry.db"] + arguments, in: cli.folder.url)
                #expect(result.status == 73 && result.stderr.contains("is the registry database"), "\(target) \(force): \(result.stderr)")
            }
            let export = try RegistryBinary.run(["--db", "registry.db", "export", "projects", "--output", target, "--force"], in: cli.folder.url)
            #expect(export.status == 73, "\(target)")
        }
        let backup = try cli.registry("backup", database, "--force")
        #expect(backup.status == 73)
        #expect(try cli.bytes(database) == before, "the database is byte-identical")

        FileManager.default.createFile(atPath: cli.path("old.html"), contents: Data("keep".utf8))
        let refused = try cli.registry("report", "year", "2025", "--format", "html", "--output", cli.path("old.html"))
        #expect(refused.status == 73 && refused.stderr.contains("--force"))
        #expect(try cli.bytes(cli.path("old.html")) == Data("keep".utf8))
        let forced = try cli.registry("report", "year", "2025", "--format", "html", "--output", cli.path("old.html"), "--force")
        let written = String(decoding: try cli.bytes(cli.path("old.html")), as: UTF8.self)
        #expect(forced.status == 0 && written.hasPrefix("<!DOCTYPE html>"))
    }

    // MARK: 7. The audit connection's authorizer

    @Test func customRulesMayNotCallUnsafeFunctionsOrPragmas() throws {
        try cli.seeded()
        let rules = cli.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        let cases = [
            "SELECT hex(fts3_tokenizer('simple')) AS reason",
            "SELECT fts3_tokenizer('evil', x'0000000000000000') AS reason",
            "SELECT load_extension('/tmp/x.so') AS reason",
            "SELECT name AS reason FROM pragma_table_info('disbursement')",
            "SELECT FTS3_TOKENIZER('simple') AS reason",
            "SELECT sqlite_compileoption_get(0) AS reason",
            "ATTACH DATABASE '/tmp/other.db' AS other",
        ]
        for sql in cases {
            try Data(sql.utf8).write(to: URL(fileURLWithPath: rules + "/probe.sql"))
            let result = try cli.registry("audit", "run", "--rules-dir", rules, "--format", "csv")
            #expect(result.status == 65, "\(sql): \(result.status) \(result.stdout)")
            #expect(result.stderr.contains("probe.sql"), "\(sql): \(result.stderr)")
            #expect(!result.stdout.contains("probe"), "no findings of the probe: \(sql)")
        }
        try Data("SELECT id AS disbursement, upper(voucher) || ' ' || money(amount_fen) AS reason FROM disbursement WHERE amount_fen > 1 LIMIT 1".utf8)
            .write(to: URL(fileURLWithPath: rules + "/probe.sql"))
        let allowed = try cli.registry("audit", "run", "--rules-dir", rules, "--rule", "probe", "--format", "csv")
        #expect(allowed.status == 0 && allowed.stdout.contains("万元"), "\(allowed.stderr)")
    }

    // MARK: 8. Read-only commands leave the file's bytes

    @Test func verifyingABackupLeavesItByteIdentical() throws {
        try cli.seeded()
        let copy = cli.path("copy.db")
        #expect(try cli.registry("backup", copy).status == 0)
        let before = try cli.bytes(copy)
        for command in [["verify"], ["check"], ["anchor"]] {
            let result = try RegistryBinary.run(["--db", copy] + command, in: cli.folder.url)
            #expect(result.status == 0, "\(command): \(result.stderr)")
        }
        #expect(try cli.bytes(copy) == before)
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal") && !FileManager.default.fileExists(atPath: copy + "-shm"))
        // On a file nobody may write, they still run.
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: copy)
        #expect(try RegistryBinary.run(["--db", copy, "verify"], in: cli.folder.url).status == 0)
    }

    // MARK: 9. Length in scalars, combining marks

    @Test func namesAreMeasuredInScalarsAndMayNotStackMarks() throws {
        try cli.registry("init")
        let cases: [(String, Bool)] = [
            ("园" + String(repeating: "\u{0301}", count: 50_000), false),
            ("园" + String(repeating: "\u{0301}", count: 4), false),
            ("Nguyễn Trãi 园区", true),
            (String(repeating: "园", count: 200), true),
            (String(repeating: "园", count: 201), false),
        ]
        for (index, (name, accepted)) in cases.enumerated() {
            let result = try cli.registry("park", "add", "--code", "P-\(index)", "--name", name, "--level", "municipal", "--county", "城区")
            #expect((result.status == 0) == accepted, "case \(index): \(result.stderr.prefix(200))")
            if !accepted { #expect(result.status == 65 && result.stderr.utf8.count < 2_000) }
        }
        // A megabyte of marks in one cell of a sheet: refused, with a short message.
        let sheet = cli.path("parks.csv")
        try Data(("code,name,level,county\nP-X,园" + String(repeating: "\u{0301}", count: 500_000) + ",municipal,城区\n").utf8)
            .write(to: URL(fileURLWithPath: sheet))
        let imported = try cli.registry("import", "parks", sheet)
        #expect(
            imported.status == 65 && imported.stderr.contains("500001 characters (Unicode scalars)") && imported.stderr.utf8.count < 2_000,
            "\(imported.stderr.prefix(300))")
    }

    // MARK: 10. Rules folders

    @Test func ruleFilesThatLinkOutOrAreNotUTF8AreRefusedOneByOne() throws {
        try cli.seeded()
        let rules = cli.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: rules + "/shadow.sql", withDestinationPath: "/etc/passwd")
        let listed = try cli.registry("audit", "rules", "--rules-dir", rules, "--sql")
        #expect(listed.status == 65 && listed.stderr.contains("outside the rules folder") && !listed.stdout.contains("root:"), "\(listed.stderr)")
        try FileManager.default.removeItem(atPath: rules + "/shadow.sql")
        // A link inside the folder is fine.
        try Data("SELECT 'inner' AS reason".utf8).write(to: URL(fileURLWithPath: rules + "/inner.sql"))
        try FileManager.default.createSymbolicLink(atPath: rules + "/alias.sql", withDestinationPath: rules + "/inner.sql")
        try FileManager.default.removeItem(atPath: rules + "/alias.sql")

        // A file name that is not UTF-8 (Latin-1 "é" as one byte).
        let name = Array((rules + "/r\u{0}").utf8.dropLast()) + [0xE9] + Array(".sql".utf8) + [0]
        let descriptor = name.withUnsafeBufferPointer { open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644) }
        try #require(descriptor >= 0)
        close(descriptor)
        let audit = try cli.registry("audit", "run", "--rules-dir", rules, "--year", "2025", "--as-of", "2025-12-31", "--format", "csv", "--fail-on", "never")
        #expect(audit.status == 65 && audit.stderr.contains("not UTF-8"), "\(audit.stderr)")
        #expect(audit.stdout.contains("inner") && audit.stdout.contains("duplicate-payment"), "the other rules ran")
    }

    // MARK: 11. Exit 70

    @Test func failuresThatUsedToExit70HaveTheirOwnCodes() throws {
        try cli.seeded()
        let rules = cli.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try Data("SELECT json('not json') AS reason".utf8).write(to: URL(fileURLWithPath: rules + "/broken.sql"))
        let runtime = try cli.registry("audit", "run", "--rules-dir", rules, "--rule", "broken")
        #expect(runtime.status == 65 && runtime.stderr.contains("broken.sql"), "\(runtime.stderr)")
        #expect(mkfifo(cli.path("fifo"), 0o644) == 0)
        let fifo = try cli.registry("project", "list", db: cli.path("fifo"))
        #expect(fifo.status == 74, "\(fifo.stderr)")
    }

    // MARK: 12. Header fields and the demo's marker

    @Test func theDemoMarkerOnARealRegistryIsFoundAndDemoRefusesIt() throws {
        try cli.seeded()
        try #require(try cli.registry("target", "set", "2026", "--projects", "60").status == 0)
        try shell("PRAGMA user_version = \(0x4445_4D4F)")
        let verify = try cli.registry("verify")
        #expect(verify.status == 1 && verify.stdout.contains("TAMPERED header: user_version is the demo's marker"), "\(verify.stdout)")
        let before = try cli.bytes(database)
        let demo = try cli.registry("demo")
        #expect(demo.status == 65 && demo.stderr.contains("not a demo database"), "\(demo.stderr)")
        #expect(try cli.bytes(database) == before)

        try shell("PRAGMA user_version = 7; PRAGMA application_id = 42;")
        try shell("UPDATE schema_migration SET name = 'funds', applied_at = 'yesterday' WHERE version = 4")
        let header = try cli.registry("verify")
        #expect(header.status == 1)
        for expected in ["user_version is 7", "application_id is 42", "version 4 is named \"funds\"", "applied at \"yesterday\""] {
            #expect(header.stdout.contains(expected), "\(expected): \(header.stdout)")
        }
    }

    @Test func aDemoStillReplacesAnEarlierDemoButNotOneWithOtherChanges() throws {
        let path = cli.path("demo.db")
        #expect(try cli.registry("demo", db: path).status == 0)
        #expect(try cli.registry("verify", db: path).status == 0)
        #expect(try cli.registry("demo", db: path).status == 0)
        #expect(try cli.registry("park", "add", "--code", "MINE", "--name", "我的园区", "--level", "municipal", "--county", "城区", db: path).status == 0)
        let refused = try cli.registry("demo", db: path)
        #expect(refused.status == 65, "a demo with the user's own records is not replaced")
    }

    @Test func aValueTheChecksForbidIsNamedWhenRead() throws {
        try cli.seeded()
        try shell("PRAGMA ignore_check_constraints = ON; UPDATE project SET signed_on = '2025-13-45' WHERE code = 'SW-2025-001'")
        let list = try cli.registry("project", "show", "SW-2025-001")
        #expect(list.status == 65, "\(list.stderr)")
        #expect(list.stderr.contains("project.signed_on holds \"2025-13-45\", which is not an ISO date") && list.stderr.contains("registry verify"))
    }

    /// A custom rule that never ends (issue 19, item 3, reached here first).
    @Test func aRunawayRuleIsStoppedAtItsTimeLimitAndTheOthersStillRun() throws {
        try cli.seeded()
        let rules = cli.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try Data("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT 'x' AS reason FROM r WHERE n < 0".utf8)
            .write(to: URL(fileURLWithPath: rules + "/forever.sql"))
        let started = Date()
        let audit = try cli.registry(
            "audit", "run", "--rules-dir", rules, "--year", "2025", "--as-of", "2025-12-31", "--format", "csv", "--fail-on", "never",
            "--rule-timeout", "0.5")
        let elapsed = Date().timeIntervalSince(started)
        #expect(audit.status == 65, "\(audit.stderr)")
        #expect(audit.stderr.contains("rule forever: stopped after the time limit of 0.5 s") && audit.stderr.contains("audit incomplete"))
        #expect(audit.stdout.contains("duplicate-payment"), "the built-in rules ran")
        print("runaway rule stopped; the audit took \(elapsed) s")
        #expect(try cli.registry("audit", "run", "--rule-timeout", "0").status == 64)
    }

    /// Issue 19, item 6, reached here first: restore of another registry's backup.
    @Test func restoreRefusesABackupOfAnotherRegistryUnlessTold() throws {
        try cli.seeded()
        let other = cli.path("other.db")
        #expect(try cli.registry("init", db: other).status == 0)
        #expect(try cli.registry("backup", cli.path("other-backup.db"), db: other).status == 0)
        let ours = try #require(try registry("backup", cli.path("ours.db")).stdout.split(separator: "\n").first { $0.hasPrefix("registry: ") })
        let before = try bytes(database)
        let refused = try registry("restore", cli.path("other-backup.db"), "--force")
        #expect(refused.status == 73 && refused.stderr.contains("is a backup of another registry"), "\(refused.stderr)")
        #expect(refused.stderr.contains(String(ours.dropFirst("registry: ".count))) && refused.stderr.contains("--other-registry"))
        #expect(try bytes(database) == before)
        #expect(try registry("restore", cli.path("ours.db"), "--force").status == 0, "a backup of this registry is restored")
        let allowed = try registry("restore", cli.path("other-backup.db"), "--force", "--other-registry")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try registry("verify").status == 0)
    }

    /// Ctrl-C stops an audit cleanly: the running rule is interrupted, nothing is reported, exit 130.
    @Test func ctrlCStopsAnAuditCleanly() throws {
        try cli.seeded()
        let rules = cli.path("rules")
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        try Data("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT 'x' AS reason FROM r WHERE n < 0".utf8)
            .write(to: URL(fileURLWithPath: rules + "/forever.sql"))
        let process = Process()
        process.executableURL = RegistryBinary.url
        process.arguments = ["--lang", "en", "--db", database, "audit", "run", "--rules-dir", rules, "--rule-timeout", "120"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        let sent = Date()
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        print("audit stopped \(Date().timeIntervalSince(sent)) s after Ctrl-C")
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "\(process.terminationStatus) \(stderr)")
        #expect(stderr.contains("the audit was interrupted before it finished; no findings are reported"))
    }
}
