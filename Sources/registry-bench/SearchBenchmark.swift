import Foundation
import RegistryDomain

// registry-bench search: `registry search` and `project list --search` on a large registry.
//
//   swift build -c release && .build/release/registry-bench search --rows 1000000 [--runs 21] [--keep DIR]
//
// `rows` projects with names made of words staff use (储能, 光伏, 比亚迪 …),
// imported through the real binary (the search indexes are kept by triggers
// as the rows go in). Then, in this process, `Registry.search` for the
// projects: a three-character term (the trigram index), a longer one, and a
// two-character one (a scan of the names, codes and notes); median of
// `--runs`. Baseline in the same run: the three-character term by the scan
// (what the search would cost without its index).
//
// Goals (issue 18): three characters < 50 ms, two characters < 300 ms.

func searchBenchmark() throws {
    let rows = Int(option("--rows") ?? "1000000") ?? 1_000_000
    let runs = Int(option("--runs") ?? "21") ?? 21
    let folder = try BenchFolder(prefix: "registry-bench-search")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    let registryBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("registry").path
    guard FileManager.default.isExecutableFile(atPath: registryBinary) else {
        throw BenchError("\(registryBinary) is missing: build it with the same configuration first (swift build -c release)")
    }
    var data = SyntheticData(rows: rows)
    data.wordedNames = true
    data.parkCount = 40
    print("registry-bench search: \(rows) projects with worded names; median of \(runs); in \(folder.url.path)")
    let database = path("search.db")
    // `--reuse`: the registry a kept run left in the folder, imported again only if missing.
    let reuse = arguments.contains("--reuse") && FileManager.default.fileExists(atPath: database)
    if !reuse { try folder.writeData(data) }
    for step in reuse ? [] : [["init"], ["import", "parks", path("parks.csv")], ["import", "enterprises", path("enterprises.csv")]] {
        guard try ChildProcess.run([registryBinary] + step + ["--db", database], log: log, output: "/dev/null").status == 0 else {
            throw BenchError("\(step.joined(separator: " ")) failed; see \(log)")
        }
    }
    if !reuse {
        let imported = try ChildProcess.run([registryBinary, "import", "projects", path("projects.csv"), "--db", database], log: log, output: "/dev/null")
        guard imported.status == 0 else { throw BenchError("import projects failed; see \(log)") }
        print(
            String(format: "  import of the projects (indexes kept by the triggers): %.1f s, %.0f MiB", imported.seconds, Double(imported.peakMemoryKiB) / 1024)
        )
    }

    let registry = try Registry.open(at: database, readOnly: true)
    func timed(_ body: () throws -> Int) throws -> (seconds: Double, found: Int) {
        var times: [Double] = []
        var found = 0
        for _ in 0..<runs {
            let started = DispatchTime.now()
            found = try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9)
        }
        return (median(times), found)
    }
    // The baseline: the sqlite3 shell scanning for the three-character term
    // as the short terms are scanned (process start included), same file.
    try
        "SELECT count(*) FROM (SELECT code FROM project WHERE instr(upper(code), '新材料') > 0 OR instr(name, '新材料') > 0 OR instr(coalesce(notes, ''), '新材料') > 0 ORDER BY instr(name, '新材料'), length(name) LIMIT 20);\n"
        .write(toFile: path("scan.sql"), atomically: true, encoding: .utf8)
    var shellTimes: [Double] = []
    for _ in 0..<runs {
        let measured = try ChildProcess.run(["sqlite3", "-readonly", database], input: path("scan.sql"), log: log, output: "/dev/null")
        shellTimes.append(measured.seconds)
    }
    let scan = (seconds: median(shellTimes), found: 20)
    print(String(format: "  baseline: sqlite3 shell, 新材料 by a scan  %8.2f ms", scan.seconds * 1000))
    for (term, goal) in [("新材料", 0.050), ("比亚迪储能", 0.050), ("储能", 0.300), ("光伏", 0.300)] {
        let result = try timed { try registry.read { try registry.search(term, kinds: [.project]).count } }
        print(
            String(
                format: "  search %@ (%d characters)  %8.2f ms (%d found)  %.2f× the baseline  goal < %.0f ms: %@", term as NSString,
                term.count, result.seconds * 1000, result.found, result.seconds / scan.seconds, goal * 1000,
                (result.seconds < goal ? "met" : "NOT MET") as NSString))
    }
    let listed = try timed { try registry.read { try registry.projectPage(ProjectFilter(), search: "新材料", limit: 50).rows.count } }
    print(String(format: "  project list page, search 新材料 (with its count)  %8.2f ms", listed.seconds * 1000))
}
