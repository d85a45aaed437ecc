import Foundation
import RegistryDomain

// registry-bench report: the full year-end report (every breakdown, as JSON)
// over a large registry, against the sqlite3 shell running hand-written SQL
// for the same figures on the same file, with the best index for it (the
// covering index project_report that migration 0003 adds, which both use).

/// The worker: `registry report year` in-process, as the CLI runs it; prints the JSON.
func reportWorker(database: String, year: Int, asOf: String) throws {
    let registry = try Registry.open(at: database)
    let report = try registry.yearReport(year, asOf: ISODate(iso: asOf))
    FileHandle.standardOutput.write(Data(report.json().utf8))
}

/// Hand-written SQL for the same figures. In this data no stage changed after
/// the as-of date (every stage row is dated at signing), so the current stage
/// is the stage as of then; the first query is the check that says so.
func reportSQL(year: Int, asOf: String) -> String {
    /// The counted projects of a date range, for a table named `p` or used bare.
    func counted(_ alias: String = "", from: String, through: String) -> String {
        let column = alias.isEmpty ? "" : "\(alias)."
        return "\(column)kind = 'investment' AND \(column)signed_on BETWEEN '\(from)' AND '\(through)' AND \(column)stage <> 'cancelled'"
    }
    let range = counted(from: "\(year)-01-01", through: asOf)
    let joined = counted("p", from: "\(year)-01-01", through: asOf)
    let previous = counted(from: "\(year - 1)-01-01", through: "\(year - 1)\(asOf.dropFirst(4))")
    return """
        SELECT 'later stage changes', count(*) FROM project_stage WHERE entered_on > '\(asOf)';
        SELECT 'totals', count(*), sum(planned_investment_fen) FROM project WHERE \(range);
        SELECT 'level', k.level, count(*), sum(p.planned_investment_fen) FROM project AS p JOIN park AS k ON k.code = p.park_code WHERE \(joined) GROUP BY k.level;
        SELECT 'park', park_code, count(*), sum(planned_investment_fen) FROM project WHERE \(range) GROUP BY park_code;
        SELECT 'county', k.county, count(*), sum(p.planned_investment_fen) FROM project AS p JOIN park AS k ON k.code = p.park_code WHERE \(joined) GROUP BY k.county;
        SELECT 'sector', sector_key, count(*), sum(planned_investment_fen) FROM project WHERE \(range) GROUP BY sector_key;
        SELECT 'month', substr(signed_on, 1, 7), count(*), sum(planned_investment_fen) FROM project WHERE \(range) GROUP BY 2;
        SELECT 'stage', stage, count(*), sum(planned_investment_fen) FROM project WHERE \(range) GROUP BY stage;
        SELECT 'top', code, name, planned_investment_fen FROM project WHERE rowid IN
            (SELECT rowid FROM project WHERE \(range) ORDER BY planned_investment_fen DESC, rowid LIMIT 10) ORDER BY planned_investment_fen DESC;
        SELECT 'previous', count(*), sum(planned_investment_fen) FROM project WHERE \(previous);
        SELECT 'cancelled', p.code, p.name, s.entered_on FROM project AS p JOIN project_stage AS s ON s.project_code = p.code AND s.stage = 'cancelled'
            WHERE p.kind = 'investment' AND p.signed_on BETWEEN '\(year)-01-01' AND '\(asOf)' AND p.stage = 'cancelled';
        SELECT 'target', metric, scope, value FROM target WHERE year = \(year);
        """
}

func reportBenchmark() throws {
    let rows = Int(option("--rows") ?? "1000000") ?? 1_000_000
    let runs = Int(option("--runs") ?? "5") ?? 5
    let year = 2025, asOf = "2025-12-31"
    let folder = try BenchFolder(prefix: "registry-bench-report")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    let database = path("report.db")

    print("registry-bench report: \(rows) projects over 2022–2025, \(runs) run(s) each, in \(folder.url.path)")
    var data = SyntheticData(rows: rows)
    data.years = [2022, 2023, 2024, 2025]
    try folder.writeData(data)
    do {
        let registry = try folder.createRegistry("report.db")
        let context = WriteContext(actor: "bench", command: "setup")
        _ = try Importer.run(.projects, path: path("projects.csv"), into: registry, context: context)
        try registry.write(context) { writer in
            try writer.setTarget(TargetFields(year: String(year), projects: String(rows / 5), investment: "\(max(1, rows / 20))亿"))
            try writer.setTarget(TargetFields(year: String(year), scope: "level:county", projects: String(rows / 8)))
        }
    }
    // A third of the projects under construction and one in 97 cancelled, dated at signing.
    try """
    BEGIN;
    INSERT INTO project_stage (project_code, stage, entered_on) SELECT code, 'construction', signed_on FROM project WHERE rowid % 3 = 0;
    UPDATE project SET stage = 'construction' WHERE rowid % 3 = 0;
    INSERT INTO project_stage (project_code, stage, entered_on) SELECT code, 'cancelled', signed_on FROM project WHERE rowid % 97 = 0;
    UPDATE project SET stage = 'cancelled' WHERE rowid % 97 = 0;
    COMMIT;
    ANALYZE;
    """.write(toFile: path("stages.sql"), atomically: true, encoding: .utf8)
    guard try ChildProcess.run(["sqlite3", "-bail", database], input: path("stages.sql"), log: log).status == 0 else {
        throw BenchError("setting stages failed; see \(log)")
    }
    try reportSQL(year: year, asOf: asOf).write(toFile: path("report.sql"), atomically: true, encoding: .utf8)

    let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
    var registryTimes: [Double] = [], shellTimes: [Double] = []
    for run in 1...runs {
        let json = path("report-\(run).json"), shellOut = path("report-\(run).txt")
        let registry = try ChildProcess.run([me, "report-worker", database, String(year), asOf], log: log, output: json)
        guard registry.status == 0 else { throw BenchError("registry report failed (exit \(registry.status)); see \(log)") }
        let shell = try ChildProcess.run(["sqlite3", "-bail", "-readonly", database], input: path("report.sql"), log: log, output: shellOut)
        guard shell.status == 0 else { throw BenchError("sqlite3 report failed (exit \(shell.status)); see \(log)") }
        print(String(format: "  run %d: registry %.3f s;  sqlite3 shell %.3f s", run, registry.seconds, shell.seconds))
        registryTimes.append(registry.seconds)
        shellTimes.append(shell.seconds)
        if run == 1 { try checkSameFigures(json: json, shell: shellOut) }
    }
    let registryMedian = median(registryTimes), shellMedian = median(shellTimes)
    print(String(format: "registry report year (JSON, all breakdowns): median %.3f s", registryMedian))
    print(String(format: "sqlite3 shell (hand-written SQL, covering index): median %.3f s", shellMedian))
    print(String(format: "ratio registry / sqlite3: %.2f (goal: at most 1.20)", registryMedian / shellMedian))
}

/// Both sides must have computed the same headline, or the timing means nothing.
func checkSameFigures(json: String, shell: String) throws {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
    let totals = object?["totals"] as? [String: Any]
    let lines = try String(contentsOfFile: shell, encoding: .utf8).split(separator: "\n")
    guard let later = lines.first(where: { $0.hasPrefix("later stage changes|") }), later.hasSuffix("|0") else {
        throw BenchError("the data has stage changes after the as-of date; the hand-written SQL does not handle them")
    }
    let expected = "totals|\(totals?["projects"] as? Int ?? -1)|\(totals?["planned_investment_fen"] as? Int64 ?? -1)"
    guard lines.contains(where: { $0 == expected }) else {
        throw BenchError("registry and the shell disagree: registry \(expected), shell \(lines.first { $0.hasPrefix("totals|") } ?? "none")")
    }
    print("  same figures on both sides: \(expected)")
}
