import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// Several staff at once, crashes and faults, through the built binary.
/// Serialized: each test starts many processes of its own, and two such
/// tests at once on a 2-core machine would only measure each other.
@Suite(.serialized) struct ReliabilityTests: CLISuite {
    let cli: CLIHarness

    init() throws {
        cli = try CLIHarness()
    }

    /// Starts the binary (or a shell script running it) without waiting for it.
    func start(_ executable: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = folder.url
        var environment = ProcessInfo.processInfo.environment
        environment["REGISTRY_DB"] = nil
        environment["REGISTRY_ACTOR"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    func count(_ sql: String, in path: String) throws -> Int {
        try Database(path: path).scalar(sql, as: Int.self) ?? -1
    }

    // MARK: Several staff at once

    /// 8 processes of the real binary, each making 250 mixed writes (adds,
    /// updates, stage changes, a small import now and then), while a ninth
    /// keeps reading reports and lists: every write is there once, no process
    /// failed, and the history verifies.
    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func eightWritersAndAReaderAtOnce() throws {
        try #require(try registry("init").status == 0)
        let workers = 8
        let writes = 250
        for worker in 0..<workers {
            for step in stride(from: 25, through: writes, by: 25) {
                let rows = (1...3).map { "I\(worker)-\(step)-\($0),导入园区\(worker)-\(step)-\($0),county,陆丰市" }
                try (["code,name,level,county"] + rows).joined(separator: "\n").write(
                    toFile: folder.path("parks-\(worker)-\(step).csv"), atomically: true, encoding: .utf8)
            }
        }
        let script = """
            R="$0"; DB="$1"; W="$2"; N="$3"; DIR="$4"
            for i in $(seq 1 "$N"); do
              case $((i % 5)) in
                1) "$R" --db "$DB" --actor "staff$W" project add --code "W$W-$i" --kind wellbeing --name "民生项目$W-$i" --planned-investment "$i万" --signed-on 2026-03-01 ;;
                2) "$R" --db "$DB" --actor "staff$W" project update "W$W-$((i - 1))" --notes "改$i" ;;
                3) "$R" --db "$DB" --actor "staff$W" project stage "W$W-$((i - 2))" construction --on 2026-04-01 ;;
                4) "$R" --db "$DB" --actor "staff$W" park add --code "P$W-$i" --name "园区$W-$i" --level county --county 海丰县 ;;
                0) if [ $((i % 25)) = 0 ]; then "$R" --db "$DB" --actor "staff$W" import parks "$DIR/parks-$W-$i.csv"
                   else "$R" --db "$DB" --actor "staff$W" park update "P$W-$((i - 1))" --notes "备注$i"; fi ;;
              esac >/dev/null 2>>"$DIR/errors-$W.log" || { echo "write $i failed with $?" >> "$DIR/errors-$W.log"; exit 1; }
            done
            """
        let started = Date()
        let writers = try (0..<workers).map { worker in
            try start("/bin/bash", ["-c", script, RegistryBinary.url.path, database, String(worker), String(writes), folder.url.path])
        }
        var reads = 0
        var readFailures: [String] = []
        while writers.contains(where: \.isRunning) {
            for arguments in [
                ["report", "year", "2026", "--format", "json"], ["project", "list", "--format", "csv"], ["log", "--limit", "20", "--format", "csv"],
            ] {
                let result = try RegistryBinary.run(["--db", database] + arguments, in: folder.url)
                reads += 1
                if result.status != 0 { readFailures.append("\(arguments): \(result.status) \(result.stderr)") }
            }
        }
        let seconds = Date().timeIntervalSince(started)
        for (worker, process) in writers.enumerated() {
            process.waitUntilExit()
            let errors = (try? String(contentsOfFile: folder.path("errors-\(worker).log"), encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0 && errors.isEmpty, "worker \(worker): \(errors)")
        }
        #expect(readFailures.isEmpty, "\(readFailures.prefix(3))")
        // Each worker: 50 projects, each updated once and moved to construction; 50 parks and 10 imports of 3.
        #expect(try count("SELECT count(*) FROM project", in: database) == workers * 50)
        #expect(try count("SELECT count(*) FROM project WHERE stage = 'construction' AND notes IS NOT NULL", in: database) == workers * 50)
        #expect(try count("SELECT count(*) FROM park", in: database) == workers * (50 + 30))
        #expect(try count("SELECT count(*) FROM park WHERE notes IS NOT NULL", in: database) == workers * 40)
        // Every logged command is one of the 2,000 writes; none was applied twice.
        #expect(try count("SELECT count(DISTINCT actor) FROM change_history WHERE actor GLOB 'staff*'", in: database) == workers)
        let verify = try registry("verify")
        #expect(verify.status == 0, "\(verify.stdout)")
        print(
            "reliability: \(workers * writes) writes by \(workers) processes and \(reads) reads in \(String(format: "%.1f", seconds)) s (\(Int(Double(workers * writes) / seconds)) writes/s)"
        )
    }

    /// A write that finds the database locked by a long writer waits, retries,
    /// then says so and exits 75, writing nothing.
    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func lockedByALongWriterExits75() throws {
        try #require(try registry("init").status == 0)
        let holder = try Database(path: database)
        try holder.executeScript("BEGIN IMMEDIATE")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let started = Date()
        let result = try registry(
            "park", "add", "--code", "X", "--name", "等待园区", "--level", "county", "--county", "海丰县",
            environment: ["REGISTRY_BUSY_TIMEOUT_MS": "200"])
        #expect(result.status == 75)
        #expect(result.stderr.contains("the registry is busy") && result.stderr.contains("nothing was written"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) >= 0.6, "three attempts of 0.2 s")
        // Readers are not blocked by the writer.
        #expect(try registry("park", "list", "--format", "csv").status == 0)
        try holder.executeScript("ROLLBACK")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(try registry("park", "add", "--code", "X", "--name", "等待园区", "--level", "county", "--county", "海丰县").status == 0)
    }

    // MARK: Crashes

    /// Kills `arguments` with SIGKILL at `kills` moments spread over its usual
    /// duration, each time on a fresh copy of `base`, and hands each result to `check`.
    /// Returns how many kills landed while the process was still running.
    func killRepeatedly(
        _ arguments: [String], base: String, kills: Int, seed: UInt64,
        prepare: (String) throws -> Void = { _ in }, check: (String, Int) throws -> Void
    ) throws -> Int {
        // One undisturbed run, to know how long the operation takes.
        let timing = folder.path("timing.db")
        try FileManager.default.copyItem(atPath: base, toPath: timing)
        try prepare(timing)
        let started = Date()
        let full = try RegistryBinary.run(["--db", timing] + arguments, in: folder.url)
        try #require(full.status == 0, "\(arguments): \(full.stderr)")
        let duration = Date().timeIntervalSince(started)
        try FileManager.default.removeItem(atPath: timing)

        var generator = SplitMix64(seed: seed)
        var interrupted = 0
        for kill in 0..<kills {
            let path = folder.path("kill-\(kill).db")
            try FileManager.default.copyItem(atPath: base, toPath: path)
            try prepare(path)
            let process = try start(RegistryBinary.url.path, ["--db", path] + arguments)
            Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * 1.1), using: &generator))
            if process.isRunning { interrupted += 1 }
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try #require(try Database(path: path).integrityCheck() == ["ok"], "kill \(kill)")
            try check(path, kill)
            let verify = try registry("verify", db: path)
            #expect(verify.status == 0, "kill \(kill): \(verify.stdout)")
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        return interrupted
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func killedImportLeavesAllOrNothing() throws {
        let base = folder.path("base.db")
        try #require(try registry("init", db: base).status == 0)
        let rows = 20_000
        let file = folder.path("projects.csv")
        let lines = ["code,name,kind,planned_investment,signed_on"] + (0..<rows).map { "WB-\($0),民生项目\($0),wellbeing,\($0 % 900 + 1)万,2026-03-01" }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let interrupted = try killRepeatedly(["import", "projects", file], base: base, kills: 20, seed: 1) { path, kill in
            let projects = try count("SELECT count(*) FROM project", in: path)
            let entries = try count("SELECT count(*) FROM change_history", in: path)
            #expect(projects == 0 && entries == 13 || projects == rows && entries == 13 + 2 * rows, "kill \(kill): \(projects) projects, \(entries) entries")
        }
        print("reliability: import killed 20 times, \(interrupted) mid-operation")
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func killedDisbursementBatchLeavesAllOrNothing() throws {
        let base = folder.path("base.db")
        try #require(try registry("init", db: base).status == 0)
        try #require(
            try registry(
                "project", "add", "--code", "WB-1", "--name", "医院", "--kind", "wellbeing", "--planned-investment", "100亿",
                "--signed-on", "2026-01-05", db: base
            ).status == 0)
        try #require(
            try registry(
                "fund", "add", "--code", "F-2026", "--name", "2026年帮扶资金", "--source", "shenzhen-assistance",
                "--year", "2026", "--budget", "100亿", db: base
            ).status == 0)
        try #require(try registry("fund", "allocate", "F-2026", "--project", "WB-1", "--amount", "90亿", "--approved-on", "2026-01-10", db: base).status == 0)
        let rows = 8_000
        let file = folder.path("disbursements.csv")
        let lines =
            ["allocation,amount,paid_on,payee,voucher"]
            + (0..<rows).map { "A-HQ-2026-0001,\($0 % 50 + 1).5万,2026-0\($0 % 9 + 1)-15,91440300192317458F,PZ-\($0)" }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let interrupted = try killRepeatedly(["import", "disbursements", file], base: base, kills: 20, seed: 2) { path, kill in
            let paid = try count("SELECT count(*) FROM disbursement", in: path)
            #expect(paid == 0 || paid == rows, "kill \(kill): \(paid) payments")
        }
        print("reliability: disbursement batch killed 20 times, \(interrupted) mid-operation")
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func killedYearCloseLeavesAllOrNothing() throws {
        let base = folder.path("base.db")
        try #require(try registry("init", db: base).status == 0)
        try #require(try registry("seed", db: base).status == 0)
        let interrupted = try killRepeatedly(["year", "close", "2025", "--reason", "年度报告已报送"], base: base, kills: 24, seed: 3) { path, kill in
            let closed = try count("SELECT count(*) FROM year_close WHERE closed = 1", in: path)
            let logged = try count("SELECT count(*) FROM change_history WHERE table_name = 'year_close'", in: path)
            #expect(closed == logged && closed <= 1, "kill \(kill): \(closed) closed, \(logged) logged")
        }
        print("reliability: year close killed 24 times, \(interrupted) mid-operation")
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func killedBackupLeavesNoCopyOrAWholeOne() throws {
        let base = folder.path("base.db")
        try #require(try registry("init", db: base).status == 0)
        let file = folder.path("projects.csv")
        let lines = ["code,name,kind,planned_investment,signed_on"] + (0..<20_000).map { "WB-\($0),民生项目\($0),wellbeing,100万,2026-03-01" }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try #require(try registry("import", "projects", file, db: base).status == 0)
        let target = folder.path("backup.db")
        var whole = 0
        let interrupted = try killRepeatedly(
            ["backup", target], base: base, kills: 20, seed: 4,
            prepare: { _ in
                try? FileManager.default.removeItem(atPath: target)
            }
        ) { _, kill in
            guard FileManager.default.fileExists(atPath: target) else { return }
            whole += 1
            let check = try registry("check", db: target)
            #expect(check.status == 0, "kill \(kill): the backup that exists must be whole: \(check.stdout)")
        }
        print("reliability: backup killed 20 times, \(interrupted) mid-operation, \(whole) finished copies all sound")
    }

    // MARK: Faults

    /// A small tmpfs, where the machine allows mounting one (root in a
    /// container that permits it); nil otherwise.
    final class SmallDisk {
        let path: String
        private init(path: String) { self.path = path }

        static func mount(at path: String, kilobytes: Int) -> SmallDisk? {
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            guard run(["mount", "-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path]) else { return nil }
            return SmallDisk(path: path)
        }

        func remountReadOnly() -> Bool { Self.run(["mount", "-o", "remount,ro", path]) }

        deinit { _ = Self.run(["umount", "-l", path]) }

        @discardableResult
        static func run(_ arguments: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func diskFullRefusesTheImportAndKeepsTheDatabase() throws {
        let file = folder.path("projects.csv")
        let lines = ["code,name,kind,planned_investment,signed_on"] + (0..<20_000).map { "WB-\($0),民生项目\($0),wellbeing,100万,2026-03-01" }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        guard let disk = SmallDisk.mount(at: folder.path("small"), kilobytes: 1024) else {
            // Not allowed to mount here: SQLite's max_page_count makes the same SQLITE_FULL (see RegistryStorageTests).
            print("reliability: no tmpfs allowed; disk full covered by the max_page_count test only")
            return
        }
        let path = disk.path + "/registry.db"
        try #require(try registry("init", db: path).status == 0)
        try #require(try registry("seed", db: path).status == 0)
        let projects = try count("SELECT count(*) FROM project", in: path)
        let result = try registry("import", "projects", file, db: path)
        #expect(result.status == 74)
        #expect(result.stderr.contains("the disk is full; nothing was written"), "\(result.stderr)")
        #expect(try count("SELECT count(*) FROM project", in: path) == projects)
        #expect(try registry("check", db: path).status == 0)
    }

    @Test func readOnlyDatabaseIsRefusedClearly() throws {
        let path: String
        var disk: SmallDisk?
        if getuid() == 0 {
            // root writes through file permissions: only a read-only mount stops it.
            guard let mounted = SmallDisk.mount(at: folder.path("ro"), kilobytes: 4096) else {
                print("reliability: running as root without mount: read-only case not testable here")
                return
            }
            disk = mounted
            path = mounted.path + "/registry.db"
        } else {
            path = folder.path("ro/registry.db")
            try FileManager.default.createDirectory(atPath: folder.path("ro"), withIntermediateDirectories: true)
        }
        try #require(try registry("init", db: path).status == 0)
        try #require(try registry("park", "add", "--code", "P1", "--name", "园区", "--level", "county", "--county", "海丰县", db: path).status == 0)
        if let disk {
            try #require(disk.remountReadOnly())
        } else {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path("ro"))
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path("ro")) }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try registry("park", "add", "--code", "P2", "--name", "园区二", "--level", "county", "--county", "海丰县", db: path)
        #expect(result.status == 77)
        #expect(result.stderr.contains("is read-only here") && result.stderr.contains("nothing was written"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test func missingFolderNewerSchemaAndNotADatabaseHaveTheirOwnCodes() throws {
        let missing = try registry("init", db: folder.path("no/such/folder/registry.db"))
        #expect(missing.status == 66 && missing.stderr.contains("check that the directory exists"), "\(missing.stderr)")

        try #require(try registry("init").status == 0)
        // A newer registry would have applied a migration this one does not know.
        try Database(path: database).execute(
            "INSERT INTO schema_migration (version, name, checksum, applied_at) VALUES (999, 'from_the_future', 'x', '2030-01-01T00:00:00Z')")
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let newer = try registry("park", "add", "--code", "P1", "--name", "园区", "--level", "county", "--county", "海丰县")
        #expect(newer.status == 78 && newer.stderr.contains("999"), "\(newer.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)

        // Another program's SQLite file is refused and left exactly as it was (not even switched to WAL).
        let foreign = folder.path("foreign.db")
        try Database(path: foreign, mode: .create, walJournal: false).executeScript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        let foreignBefore = try Data(contentsOf: URL(fileURLWithPath: foreign))
        let listed = try registry("park", "list", db: foreign)
        #expect(listed.status == 65 && listed.stderr.contains("of another program"), "\(listed.stderr)")
        let initialised = try registry("init", db: foreign)
        #expect(initialised.status == 65 && initialised.stderr.contains("of another program"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == foreignBefore)
        #expect(foreignBefore[18] == 1, "still a rollback-journal file")

        let garbage = folder.path("garbage.db")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: garbage))
        let notADatabase = try registry("park", "list", db: garbage)
        #expect(notADatabase.status == 65 && notADatabase.stderr.contains("not an SQLite database"), "\(notADatabase.stderr)")
    }
}
