import Foundation
import RegistryDomain

// registry-bench: how fast registry imports projects, against SQLite's own shell.
//
//   swift run -c release registry-bench import --rows 1000000 [--runs 3] [--keep DIR]
//   swift run -c release registry-bench report --rows 1000000 [--runs 5] [--keep DIR]  (see ReportBenchmark.swift)
//   swift run -c release registry-bench audit --disbursements 1000000 [--runs 3] [--keep DIR]  (see AuditBenchmark.swift)
//   swift run -c release registry-bench scale --rows 1000000 [--runs 3] [--keep DIR]  (see ScaleBenchmark.swift)
//   swift run -c release registry-bench sync --rows 100000 [--runs 3] [--keep DIR]  (see SyncBenchmark.swift)
//   swift run -c release registry-bench web --rows 100000 [--duration 30] [--keep DIR]  (see WebBenchmark.swift)
//   swift run -c release registry-bench xlsx --rows 100000 [--runs 3] [--keep DIR]  (see WorkbookBenchmark.swift)
//   swift run -c release registry-bench search --rows 1000000 [--runs 21] [--keep DIR [--reuse]]  (see SearchBenchmark.swift)
//
// Generates deterministic parks, enterprises (valid USCCs) and projects with
// mixed amount forms, then alternates, `--runs` times each:
//   registry: the real import path (Importer, with full validation, reference
//             checks and the stage history), in a child process of its own;
//   baseline: the sqlite3 shell `.import`ing the same rows, pre-normalised to
//             fen, into a staging table, then INSERT ... SELECT into the same schema.
// Both start from a copy of the same database (parks and enterprises loaded).
// Prints medians of wall time, rows/s, peak resident memory, and the ratio.

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func copyDatabase(_ from: String, _ to: String) throws {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: to + suffix) }
    try FileManager.default.copyItem(atPath: from, toPath: to)
}

/// The worker: one import through the real path, in this process alone.
func worker(database: String, file: String) throws {
    let registry = try Registry.open(at: database)
    let report = try Importer.run(.projects, path: file, into: registry, context: WriteContext(actor: "bench", command: "import projects"))
    print("inserted \(report.inserted) of \(report.rowsRead) in \(report.elapsedSeconds) s")
}

func benchmark() throws {
    let rows = Int(option("--rows") ?? "100000") ?? 100_000
    let runs = Int(option("--runs") ?? "3") ?? 3
    let folder = try BenchFolder(prefix: "registry-bench")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log

    print("registry-bench: \(rows) projects, \(runs) run(s) each, in \(folder.url.path)")
    try folder.writeData(SyntheticData(rows: rows))

    // The common starting point: schema, parks and enterprises.
    let base = path("base.db")
    _ = try folder.createRegistry("base.db")  // closing the last connection checkpoints the WAL into the file
    try """
    PRAGMA foreign_keys = ON;
    PRAGMA synchronous = FULL;
    CREATE TEMP TABLE staging (code TEXT, name TEXT, kind TEXT, park TEXT, enterprise TEXT, sector TEXT, fen INTEGER, signed_on TEXT);
    BEGIN;
    .import --csv --skip 1 \(path("projects-fen.csv")) staging
    INSERT INTO project (code, name, kind, park_code, enterprise_uscc, sector_key, planned_investment_fen, signed_on, stage)
        SELECT code, name, kind, park, enterprise, sector, CAST(fen AS INTEGER), signed_on, 'signed' FROM staging;
    INSERT INTO project_stage (project_code, stage, entered_on) SELECT code, 'signed', signed_on FROM staging;
    COMMIT;
    SELECT 'inserted ' || count(*) FROM project;
    """.write(toFile: path("baseline.sql"), atomically: true, encoding: .utf8)

    var registryTimes: [Double] = [], shellTimes: [Double] = []
    var registryMemory: [Double] = [], shellMemory: [Double] = []
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
    for run in 1...runs {
        try copyDatabase(base, path("registry.db"))
        let registry = try ChildProcess.run([me, "worker", path("registry.db"), path("projects.csv")], log: log)
        guard registry.status == 0 else { throw BenchError("registry import failed (exit \(registry.status)); see \(log)") }
        try copyDatabase(base, path("shell.db"))
        let shell = try ChildProcess.run(["sqlite3", "-bail", path("shell.db")], input: path("baseline.sql"), log: log)
        guard shell.status == 0 else { throw BenchError("sqlite3 baseline failed (exit \(shell.status)); see \(log)") }
        print(
            String(
                format: "  run %d: registry %.2f s, %.1f MiB;  sqlite3 shell %.2f s, %.1f MiB",
                run, registry.seconds, Double(registry.peakMemoryKiB) / 1024, shell.seconds, Double(shell.peakMemoryKiB) / 1024))
        registryTimes.append(registry.seconds)
        shellTimes.append(shell.seconds)
        registryMemory.append(Double(registry.peakMemoryKiB) / 1024)
        shellMemory.append(Double(shell.peakMemoryKiB) / 1024)
    }
    let registryMedian = median(registryTimes), shellMedian = median(shellTimes)
    print(
        String(
            format: "registry (full validation): median %.2f s, %.0f rows/s, peak memory %.1f MiB",
            registryMedian, Double(rows) / registryMedian, median(registryMemory)))
    print(
        String(
            format: "sqlite3 shell (pre-normalised): median %.2f s, %.0f rows/s, peak memory %.1f MiB",
            shellMedian, Double(rows) / shellMedian, median(shellMemory)))
    print(String(format: "ratio registry / sqlite3: %.2f (goal: at most 0.80)", registryMedian / shellMedian))
}

do {
    switch arguments.first {
    case "import": try benchmark()
    case "report": try reportBenchmark()
    case "audit": try auditBenchmark()
    case "scale": try scaleBenchmark()
    case "sync": try syncBenchmark()
    case "web": try webBenchmark()
    case "search": try searchBenchmark()
    case "xlsx": try workbookBenchmark()
    case "sync-apply-worker" where arguments.count == 3: try syncApplyWorker(database: arguments[1], bundle: arguments[2])
    case "sync-export-worker" where arguments.count == 4: try syncExportWorker(database: arguments[1], key: arguments[2], output: arguments[3])
    case "audit-worker" where arguments.count == 2: try auditWorker(database: arguments[1])
    case "worker" where arguments.count == 3: try worker(database: arguments[1], file: arguments[2])
    case "report-worker" where arguments.count == 4: try reportWorker(database: arguments[1], year: Int(arguments[2]) ?? 0, asOf: arguments[3])
    default:
        print(
            "usage: registry-bench import --rows N [--runs 3] [--keep DIR]\n       registry-bench report --rows N [--runs 5] [--keep DIR]\n       registry-bench audit --disbursements N [--runs 3] [--keep DIR]\n       registry-bench scale --rows N [--runs 3] [--keep DIR]\n       registry-bench sync --rows N [--runs 3] [--keep DIR]\n       registry-bench web --rows N [--duration 30] [--connections 64] [--keep DIR]\n       registry-bench search --rows N [--runs 21] [--keep DIR]\n       registry-bench xlsx --rows N [--runs 3] [--keep DIR]"
        )
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("registry-bench: \(error)\n".utf8))
    exit(1)
}
