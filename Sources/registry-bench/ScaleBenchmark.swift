import Foundation

// registry-bench scale: the registry at a million projects, as a new user
// would meet it, through the real `registry` binary (built beside this one):
//
//   swift build -c release && .build/release/registry-bench scale --rows 1000000 [--runs 3] [--keep DIR]
//   .build/release/registry-bench scale --demo-only [--runs 9]     (the demo commands alone)
//
// 40 parks, rows/5 enterprises and `rows` projects over 2022–2025 in mixed
// amount forms. Each figure is a median of `--runs`, against a reference
// timed in the same run:
//   import      `registry import enterprises` + `import projects` (full history)
//               vs the sqlite3 shell loading the same rows, pre-normalised, into
//               the registry's own schema (same keys, constraints and indexes; no history)
//   file size   of each database after its import
//   report      `registry report year 2025 --format json` (every section) vs
//               hand-written SQL for the same figures on the same file
//   audit       `registry audit run` (empty fund tables)
//   list/export `project list --format csv`, `export projects`: all rows, through a
//               pipe: first row, total time, peak memory; vs the shell's SELECT
//   verify/check vs the shell's `PRAGMA integrity_check`
//   demo        every read command on the demo database vs the shell's start-up
//
// Goals (issue 15): import ≤ 1.0× the shell and < 64 MiB; file ≤ 2.5×; report
// ≤ 1.2× and < 64 MiB; audit ≤ 0.2 s; list/export < 64 MiB, first row < 100 ms;
// verify and check ≤ 10 s and < 64 MiB; demo commands ≤ 20 ms.

private struct Sample {
    var seconds: [Double] = []
    var peakMiB: [Double] = []

    mutating func add(_ measurement: ChildProcess.Measurement) {
        seconds.append(measurement.seconds)
        peakMiB.append(Double(measurement.peakMemoryKiB) / 1024)
    }

    var time: Double { median(seconds) }
    var peak: Double { median(peakMiB) }
}

private func check(_ measurement: ChildProcess.Measurement, _ what: String, log: String, accept: Set<Int32> = [0]) throws {
    guard accept.contains(measurement.status) else { throw BenchError("\(what) failed (exit \(measurement.status)); see \(log)") }
}

private func fileSize(_ path: String) -> Int64 {
    ["", "-wal"].reduce(0) { total, suffix in
        total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value ?? 0)
    }
}

private func goal(_ met: Bool) -> String { met ? "met" : "NOT MET" }

func scaleBenchmark() throws {
    if arguments.contains("--demo-only") {
        let folder = try BenchFolder(prefix: "registry-bench-demo")
        defer { folder.removeUnlessKept() }
        let registry = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("registry").path
        try demoCommands(registry: registry, folder: folder, runs: Int(option("--runs") ?? "9") ?? 9)
        return
    }
    let rows = Int(option("--rows") ?? "1000000") ?? 1_000_000
    let runs = Int(option("--runs") ?? "3") ?? 3
    let folder = try BenchFolder(prefix: "registry-bench-scale")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    let me = URL(fileURLWithPath: CommandLine.arguments[0])
    let registry = me.deletingLastPathComponent().appendingPathComponent("registry").path
    guard FileManager.default.isExecutableFile(atPath: registry) else {
        throw BenchError("\(registry) is missing: build it with the same configuration first (swift build -c release)")
    }
    func cli(_ arguments: String..., db: String) -> [String] { [registry] + arguments + ["--db", db] }

    var data = SyntheticData(rows: rows)
    data.years = [2022, 2023, 2024, 2025]
    data.parkCount = 40
    data.enterprises = max(100, rows / 5)
    print(
        "registry-bench scale: \(data.parkCount) parks, \(data.enterpriseCount) enterprises, \(rows) projects over 2022–2025; \(runs) run(s); in \(folder.url.path)"
    )
    try folder.writeData(data)

    // The common start: a new registry with its parks, made by the CLI.
    let base = path("base.db")
    try check(ChildProcess.run(cli("init", db: base), log: log), "init", log: log)
    try check(ChildProcess.run(cli("import", "parks", path("parks.csv"), db: base), log: log), "import parks", log: log)
    try """
    PRAGMA foreign_keys = ON;
    PRAGMA synchronous = FULL;
    CREATE TEMP TABLE enterprise_staging (uscc TEXT, name TEXT, city TEXT);
    CREATE TEMP TABLE project_staging (code TEXT, name TEXT, kind TEXT, park TEXT, enterprise TEXT, sector TEXT, fen INTEGER, signed_on TEXT);
    BEGIN;
    .import --csv --skip 1 \(path("enterprises.csv")) enterprise_staging
    INSERT INTO enterprise (uscc, name, city) SELECT uscc, name, city FROM enterprise_staging;
    .import --csv --skip 1 \(path("projects-fen.csv")) project_staging
    INSERT INTO project (code, name, kind, park_code, enterprise_uscc, sector_key, planned_investment_fen, signed_on, stage)
        SELECT code, name, kind, park, enterprise, sector, CAST(fen AS INTEGER), signed_on, 'signed' FROM project_staging;
    INSERT INTO project_stage (project_code, stage, entered_on) SELECT code, 'signed', signed_on FROM project_staging;
    COMMIT;
    """.write(toFile: path("load.sql"), atomically: true, encoding: .utf8)

    // 1. Import, and the file it leaves.
    print("import (enterprises + projects):")
    var registryImport = Sample(), shellImport = Sample()
    var registrySizes: [Double] = [], shellSizes: [Double] = []
    let database = path("scale.db")
    for run in 1...runs {
        try copyDatabase(base, database)
        let enterprises = try ChildProcess.run(cli("import", "enterprises", path("enterprises.csv"), db: database), log: log)
        try check(enterprises, "registry import enterprises", log: log)
        let projects = try ChildProcess.run(cli("import", "projects", path("projects.csv"), db: database), log: log)
        try check(projects, "registry import projects", log: log)
        let both = ChildProcess.Measurement(
            status: 0, seconds: enterprises.seconds + projects.seconds, peakMemoryKiB: max(enterprises.peakMemoryKiB, projects.peakMemoryKiB))
        registryImport.add(both)
        registrySizes.append(Double(fileSize(database)) / 1_048_576)
        try copyDatabase(base, path("shell.db"))
        let shell = try ChildProcess.run(["sqlite3", "-bail", path("shell.db")], input: path("load.sql"), log: log)
        try check(shell, "sqlite3 load", log: log)
        shellImport.add(shell)
        shellSizes.append(Double(fileSize(path("shell.db"))) / 1_048_576)
        print(
            String(
                format: "  run %d: registry %.2f s, %.1f MiB, file %.0f MiB;  sqlite3 shell %.2f s, file %.0f MiB",
                run, both.seconds, Double(both.peakMemoryKiB) / 1024, registrySizes.last!, shell.seconds, shellSizes.last!))
    }
    let importRatio = registryImport.time / shellImport.time
    let sizeRatio = median(registrySizes) / median(shellSizes)
    print(
        String(
            format: "  registry %.2f s (%.0f rows/s), peak %.1f MiB; shell %.2f s; ratio %.2f (goal ≤ 1.00: %@; memory < 64 MiB: %@)",
            registryImport.time, Double(rows + data.enterpriseCount) / registryImport.time, registryImport.peak, shellImport.time,
            importRatio, goal(importRatio <= 1.0), goal(registryImport.peak < 64)))
    print(
        String(
            format: "  file: registry %.0f MiB, shell %.0f MiB, ratio %.2f (goal ≤ 2.50: %@)", median(registrySizes), median(shellSizes), sizeRatio,
            goal(sizeRatio <= 2.5)))

    // Targets for the report, through the CLI.
    try check(
        ChildProcess.run(cli("target", "set", "2025", "--projects", String(rows / 5), "--investment", "\(max(1, rows / 20))亿", db: database), log: log),
        "target set", log: log)

    // 2. The year-end report, every section.
    print("report year 2025 (JSON, every section):")
    try (reportSQL(year: 2025, asOf: "2025-12-31") + "\n" + fundSectionsSQL(year: 2025, asOf: "2025-12-31"))
        .write(toFile: path("report.sql"), atomically: true, encoding: .utf8)
    var registryReport = Sample(), shellReport = Sample()
    for run in 1...runs {
        let json = path("report-\(run).json"), shellOut = path("report-\(run).txt")
        let report = try ChildProcess.run(cli("report", "year", "2025", "--as-of", "2025-12-31", "--format", "json", db: database), log: log, output: json)
        try check(report, "registry report", log: log)
        registryReport.add(report)
        let shell = try ChildProcess.run(["sqlite3", "-bail", "-readonly", database], input: path("report.sql"), log: log, output: shellOut)
        try check(shell, "sqlite3 report", log: log)
        shellReport.add(shell)
        if run == 1 { try checkSameFigures(json: json, shell: shellOut) }
    }
    let reportRatio = registryReport.time / shellReport.time
    print(
        String(
            format: "  registry %.3f s, peak %.1f MiB; hand-written SQL %.3f s; ratio %.2f (goal ≤ 1.20: %@; memory: %@)",
            registryReport.time, registryReport.peak, shellReport.time, reportRatio, goal(reportRatio <= 1.2), goal(registryReport.peak < 64)))

    // 3. The audit (empty fund tables).
    print("audit run:")
    var audit = Sample()
    for _ in 1...runs {
        let run = try ChildProcess.run(cli("audit", "run", "--as-of", "2025-12-31", db: database), log: log, output: path("audit.txt"))
        try check(run, "registry audit run", log: log, accept: [0, 1])
        audit.add(run)
    }
    print(String(format: "  registry %.3f s, peak %.1f MiB (goal ≤ 0.2 s: %@)", audit.time, audit.peak, goal(audit.time <= 0.2)))

    // 4. Listing and exporting every project, through a pipe.
    let listings: [(String, [String])] = [
        ("project list --format csv", cli("project", "list", "--format", "csv", db: database)),
        ("export projects", cli("export", "projects", db: database)),
        ("sqlite3 SELECT (reference)", ["sqlite3", "-csv", "-header", "-readonly", database, "SELECT * FROM project ORDER BY signed_on, code"]),
    ]
    for (name, arguments) in listings {
        var sample = Sample()
        var firstRows: [Double] = []
        var lines = 0
        for _ in 1...runs {
            let streamed = try ChildProcess.stream(arguments, log: log)
            try check(streamed.measurement, name, log: log)
            sample.add(streamed.measurement)
            firstRows.append(streamed.firstRowSeconds ?? .infinity)
            lines = streamed.lines
        }
        guard lines == rows + 1 else { throw BenchError("\(name) wrote \(lines) lines, expected \(rows + 1)") }
        print(
            String(
                format: "%@: %d rows, first row %.0f ms, all %.2f s, peak %.1f MiB (goals < 100 ms: %@, < 64 MiB: %@)",
                name, rows, median(firstRows) * 1000, sample.time, sample.peak, goal(median(firstRows) < 0.1), goal(sample.peak < 64)))
    }

    // 5. verify and check, against SQLite's own integrity check of the file.
    let proofs: [(String, [String])] = [
        ("verify", cli("verify", db: database)),
        ("check", cli("check", db: database)),
        ("sqlite3 PRAGMA integrity_check (reference)", ["sqlite3", "-readonly", database, "PRAGMA integrity_check"]),
    ]
    for (name, arguments) in proofs {
        var sample = Sample()
        for _ in 1...runs {
            let run = try ChildProcess.run(arguments, log: log, output: path("proof.txt"))
            try check(run, name, log: log)
            sample.add(run)
        }
        print(
            String(
                format: "%@: %.2f s, peak %.1f MiB (goals ≤ 10 s: %@, < 64 MiB: %@)", name, sample.time, sample.peak, goal(sample.time <= 10),
                goal(sample.peak < 64)))
    }
    try demoCommands(registry: registry, folder: folder, runs: max(runs, 5))
}

/// The report's other sections by hand: funds (allocated and paid as of the
/// date), idle allocations, and the one audit rule that reads projects.
func fundSectionsSQL(year: Int, asOf: String) -> String {
    """
    SELECT 'funds', f.code, f.budget_fen,
           (SELECT coalesce(sum(amount_fen), 0) FROM allocation WHERE fund_code = f.code AND approved_on <= '\(asOf)'),
           (SELECT coalesce(sum(d.amount_fen), 0) FROM allocation AS a JOIN disbursement AS d ON d.allocation_id = a.id
            WHERE a.fund_code = f.code AND d.paid_on <= '\(asOf)')
    FROM fund AS f WHERE f.year = \(year);
    SELECT 'idle', a.id FROM allocation AS a WHERE a.approved_on <= date('\(asOf)', '-180 days')
        AND NOT EXISTS (SELECT 1 FROM disbursement AS d WHERE d.allocation_id = a.id AND d.paid_on <= '\(asOf)');
    SELECT 'future-dated', count(*) FROM project WHERE signed_on > '\(asOf)' AND signed_on BETWEEN '\(year)-01-01' AND '\(year)-12-31';
    """
}

/// Every read command on the demo database, against the sqlite3 shell's own
/// start-up and one query (what any command costs at least).
private func demoCommands(registry: String, folder: BenchFolder, runs: Int) throws {
    let demo = folder.path("demo.db")
    let log = folder.log
    try check(ChildProcess.run([registry, "demo", "--db", demo], log: log, output: folder.path("demo.txt")), "demo", log: log)
    let commands: [[String]] = [
        ["park", "list"], ["enterprise", "list"], ["project", "list"], ["project", "show", "SW-2025-001"], ["sector", "list"],
        ["target", "list"], ["fund", "list"], ["report", "year", "2025"], ["audit", "run"], ["log", "--limit", "20"],
        ["history", "project", "SW-2025-001"], ["verify"], ["check"], ["anchor"], ["year", "list"], ["export", "projects"],
    ]
    var reference = Sample()
    for _ in 1...runs {
        reference.add(try ChildProcess.run(["sqlite3", "-readonly", demo, "SELECT count(*) FROM project"], log: log, output: folder.path("out.txt")))
    }
    print(String(format: "demo database (median of %d): sqlite3 start-up and one query %.1f ms", runs, reference.time * 1000))
    var slowest = 0.0
    for command in commands {
        var sample = Sample()
        for _ in 1...runs {
            let run = try ChildProcess.run([registry] + command + ["--db", demo], log: log, output: folder.path("out.txt"))
            try check(run, command.joined(separator: " "), log: log, accept: [0, 1])
            sample.add(run)
        }
        slowest = max(slowest, sample.time)
        print(String(format: "  %-28@ %5.1f ms", command.joined(separator: " ") as NSString, sample.time * 1000))
    }
    print(String(format: "  slowest %.1f ms (goal ≤ 20 ms: %@)", slowest * 1000, goal(slowest <= 0.02)))
}
