import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

// registry-bench web: `registry serve` under load, through the real binary.
//
//   swift build -c release && .build/release/registry-bench web --rows 100000 [--duration 30] [--connections 64] [--keep DIR]
//
// 1. The demo registry: each page fetched `--runs` (21) times one after
//    another; median time against the style sheet (no SQLite), fetched the same way.
// 2. A registry of `--rows` projects: wrk on loopback, `--connections` for
//    `--duration` seconds against the dashboard and a project list page
//    (alternating), while a second client adds a project through the form
//    ten times a second; then every write must be there once and `registry
//    verify` hold. Baseline in the same run: wrk against the style sheet.
//
// Goals (issue 17): 0 errors and p99 < 100 ms under load; a demo page < 20 ms (median).

func webBenchmark() throws {
    let rows = Int(option("--rows") ?? "100000") ?? 100_000
    let duration = Int(option("--duration") ?? "30") ?? 30
    let connections = Int(option("--connections") ?? "64") ?? 64
    let runs = Int(option("--runs") ?? "21") ?? 21
    let folder = try BenchFolder(prefix: "registry-bench-web")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    let registry = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("registry").path
    guard FileManager.default.isExecutableFile(atPath: registry) else {
        throw BenchError("\(registry) is missing: build it with the same configuration first (swift build -c release)")
    }
    try "bench-password-1\n".write(toFile: path("password.txt"), atomically: true, encoding: .utf8)
    func addUser(_ database: String) throws {
        let added = try ChildProcess.run(
            [registry, "user", "add", "基准录入员", "--role", "admin", "--db", database], input: path("password.txt"), log: log)
        guard added.status == 0 else { throw BenchError("user add failed; see \(log)") }
    }

    // 1. Pages of the demo registry, one request at a time.
    let demo = path("demo.db")
    guard try ChildProcess.run([registry, "demo", "--db", demo], log: log, output: "/dev/null").status == 0 else { throw BenchError("demo failed") }
    try addUser(demo)
    do {
        let server = try BenchServer(registry: registry, database: demo, log: log)
        defer { server.stop() }
        let client = try WebClient(base: server.base, user: "基准录入员", password: "bench-password-1")
        print("registry-bench web: pages of the demo registry, \(runs) request(s) each, one at a time (median):")
        let asset = try client.median("/assets/site.css", runs: runs)
        print(String(format: "  %-36@ %7.2f ms  (baseline: no SQLite)", "/assets/site.css" as NSString, asset * 1000))
        for page in ["/?year=2025", "/projects?year=2025", "/projects/SW-2025-001", "/parks", "/funds/SZ-ASSIST-2025", "/report?year=2025", "/history"] {
            let seconds = try client.median(page, runs: runs)
            print(
                String(
                    format: "  %-36@ %7.2f ms  %5.1f× the baseline  goal < 20 ms: %@", page as NSString, seconds * 1000, seconds / asset,
                    (seconds < 0.020 ? "met" : "NOT MET") as NSString))
        }
    }

    // 2. A large registry under load.
    var data = SyntheticData(rows: rows)
    let year = Calendar(identifier: .gregorian).component(.year, from: Date())
    data.years = [year - 3, year - 2, year - 1, year]
    data.parkCount = 40
    data.enterprises = max(100, rows / 5)
    print("registry-bench web: \(rows) projects over \(year - 3)–\(year); wrk -c \(connections) -d \(duration)s; in \(folder.url.path)")
    try folder.writeData(data)
    let database = path("web.db")
    for step in [
        ["init"], ["import", "parks", path("parks.csv")], ["import", "enterprises", path("enterprises.csv")], ["import", "projects", path("projects.csv")],
    ] {
        guard try ChildProcess.run([registry] + step + ["--db", database], log: log, output: "/dev/null").status == 0 else {
            throw BenchError("\(step.joined(separator: " ")) failed; see \(log)")
        }
    }
    try addUser(database)
    let server = try BenchServer(registry: registry, database: database, log: log)
    defer { server.stop() }
    let client = try WebClient(base: server.base, user: "基准录入员", password: "bench-password-1")
    _ = try client.get("/")
    _ = try client.get("/projects")
    let script = path("pages.lua")
    try """
    local paths = { "/", "/projects" }
    local n = 0
    request = function()
        n = n + 1
        return wrk.format("GET", paths[(n % 2) + 1])
    end
    """.write(toFile: script, atomically: true, encoding: .utf8)
    let cookie = "Cookie: \(client.cookieHeader)"
    let baseline = try Wrk.run(["-t2", "-c\(connections)", "-d\(duration)s", "--latency", "-H", cookie, server.base + "/assets/site.css"], log: log)
    print(baseline.line("baseline /assets/site.css"))

    // The second client: a project through the form every 100 ms while wrk runs.
    let writer = try WebClient(base: server.base, user: "基准录入员", password: "bench-password-1")
    let written = WriteLoad(client: writer, year: year)
    let writing = Thread { written.run(seconds: Double(duration) + 1) }
    writing.start()
    let pages = try Wrk.run(["-t2", "-c\(connections)", "-d\(duration)s", "--latency", "-s", script, "-H", cookie, server.base + "/"], log: log)
    while !written.finished { usleep(50_000) }
    print(pages.line("dashboard + /projects, with writes"))
    print(
        String(
            format: "  p99 %.1f× the baseline's; goal 0 errors and p99 < 100 ms: %@", pages.p99 / max(baseline.p99, 0.000_001),
            (pages.errors == 0 && pages.p99 < 0.1 ? "met" : "NOT MET") as NSString))
    print("  writes through the form: \(written.accepted) accepted, \(written.refused) refused, \(String(format: "%.1f", written.rate))/s")
    if let refusal = written.firstRefusal { print("  first refusal: \(refusal)") }

    server.stop()
    // Every write there once, and the history whole.
    var missing = 0
    for code in written.codes {
        let shown = try ChildProcess.run([registry, "project", "show", code, "--db", database], log: log, output: "/dev/null")
        if shown.status != 0 { missing += 1 }
    }
    let listed = try ChildProcess.run(
        [registry, "project", "list", "--year", String(year), "--format", "csv", "--db", database], log: log, output: path("after.csv"))
    let after = try String(contentsOfFile: path("after.csv"), encoding: .utf8)
    let copies = after.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("WEB-") }.count
    let verify = try ChildProcess.run([registry, "verify", "--db", database], log: log, output: "/dev/null")
    print(
        "  afterwards: \(written.codes.count - missing) of \(written.codes.count) writes present, \(copies) WEB- rows listed (exit \(listed.status)); verify exit \(verify.status)"
    )
}

/// `registry serve --listen 127.0.0.1:0` as a child, on the port it reports.
final class BenchServer {
    let process = Process()
    let base: String

    init(registry: String, database: String, log: String) throws {
        process.executableURL = URL(fileURLWithPath: registry)
        process.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try stderr.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
        let text = String(decoding: line, as: UTF8.self)
        guard let start = text.range(of: "http://"), let end = text[start.upperBound...].firstIndex(of: "/") else {
            process.terminate()
            throw BenchError("registry serve did not start: \(text)")
        }
        base = "http://" + text[start.upperBound..<end]
        let logHandle = FileHandle(forWritingAtPath: log)
        logHandle?.seekToEndOfFile()
        DispatchQueue.global().async {
            while let chunk = try? stderr.fileHandleForReading.read(upToCount: 4096), !chunk.isEmpty { logHandle?.write(chunk) }
        }
    }

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }
}
