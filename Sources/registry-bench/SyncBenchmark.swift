import Foundation
import RegistryDomain

// registry-bench sync: a county bundle of N projects (each with its first
// stage: 2N row changes) applied at headquarters, against importing the same
// rows from CSV there (both with the change history), and the county's export
// of the same bundle. Each in a child process of its own, on a fresh copy of
// the same starting database, `--runs` times; medians and ratios.
//
//   swift run -c release registry-bench sync --rows 100000 [--runs 3] [--keep DIR]

/// The worker: `sync apply` in-process, as the CLI runs it.
func syncApplyWorker(database: String, bundle: String) throws {
    let registry = try Registry.open(at: database)
    let applied = try registry.applySync(file: bundle, actor: "bench")
    print("applied bundle \(applied.number): \(applied.counts.map { "\($0.table) +\($0.inserted)" }.joined(separator: ", "))")
}

/// The worker: `sync export` in-process, as the CLI runs it.
func syncExportWorker(database: String, key: String, output: String) throws {
    let registry = try Registry.open(at: database)
    let bundle = try registry.exportSync(to: nil, resend: false, key: try registry.loadSiteKey(key), actor: "bench") { parts in
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        for part in parts { try part.withUnsafeBytes { try handle.write(contentsOf: $0) } }
        try handle.close()
    }
    print("exported bundle \(bundle.number): \(bundle.changes) changes, \(bundle.bytes) bytes")
}

func syncBenchmark() throws {
    let rows = Int(option("--rows") ?? "100000") ?? 100_000
    let runs = Int(option("--runs") ?? "3") ?? 3
    let folder = try BenchFolder(prefix: "registry-bench-sync")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    print("registry-bench sync: a county bundle of \(rows) projects, \(runs) run(s) each, in \(folder.url.path)")
    var data = SyntheticData(rows: rows)
    data.codePrefix = "HF"
    data.years = [2026]
    try folder.writeData(data)

    // Headquarters as it is before sync (the import baseline), and the same
    // with the county registered and its reference data sent down.
    _ = try folder.createRegistry("hq-plain.db")
    try copyDatabase(path("hq-plain.db"), path("hq.db"))
    let context = WriteContext(actor: "bench", command: "setup")
    do {
        let hq = try Registry.open(at: path("hq.db"))
        let hf = try Registry.create(at: path("hf.db")).registry
        try hq.write(context) { try $0.setLocalSite(code: "HQ", name: "总部") }
        try hf.write(context) { try $0.setLocalSite(code: "HF", name: "海丰县工作组") }
        let hqKey = try hq.makeSiteKey(path: path("hq.key"), replacing: true, actor: "bench")
        let hfKey = try hf.makeSiteKey(path: path("hf.key"), replacing: true, actor: "bench")
        try hq.write(context) { _ = try $0.addSite(code: "HF", name: "海丰县工作组", publicKey: hfKey.publicKey) }
        try hf.write(context) { _ = try $0.addSite(code: "HQ", name: "总部", publicKey: hqKey.publicKey) }
        var down: [UInt8] = []
        _ = try hq.exportSync(to: "HF", resend: false, key: try hq.loadSiteKey(path("hq.key")), actor: "bench") { down = $0.flatMap { $0 } }
        _ = try hf.applySync(down, path: "HQ-to-HF-1.sync", actor: "bench")
        let imported = try Importer.run(.projects, path: path("projects.csv"), into: hf, context: context)
        print("  county: \(imported.inserted) projects imported, \(down.count) bytes of reference data from headquarters")
    }
    try copyDatabase(path("hf.db"), path("hf-once.db"))
    try syncExportWorker(database: path("hf-once.db"), key: path("hf.key"), output: path("HF-0001.sync"))

    let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
    var imports: [ChildProcess.Measurement] = [], applies: [ChildProcess.Measurement] = [], exports: [ChildProcess.Measurement] = []
    func measured(_ arguments: [String], _ what: String) throws -> ChildProcess.Measurement {
        let result = try ChildProcess.run([me] + arguments, log: log)
        guard result.status == 0 else { throw BenchError("\(what) failed (exit \(result.status)); see \(log)") }
        return result
    }
    for run in 1...runs {
        try copyDatabase(path("hq-plain.db"), path("import.db"))
        imports.append(try measured(["worker", path("import.db"), path("projects.csv")], "import"))
        try copyDatabase(path("hq.db"), path("apply.db"))
        applies.append(try measured(["sync-apply-worker", path("apply.db"), path("HF-0001.sync")], "sync apply"))
        try copyDatabase(path("hf.db"), path("export.db"))
        exports.append(try measured(["sync-export-worker", path("export.db"), path("hf.key"), path("export.sync")], "sync export"))
        print(
            String(
                format: "  run %d: import %.2f s, %.1f MiB;  apply %.2f s, %.1f MiB;  export %.2f s, %.1f MiB", run,
                imports.last!.seconds, imports.last!.peakMiB, applies.last!.seconds, applies.last!.peakMiB,
                exports.last!.seconds, exports.last!.peakMiB))
    }
    let importTime = median(imports.map(\.seconds)), applyTime = median(applies.map(\.seconds)), exportTime = median(exports.map(\.seconds))
    let size = (try FileManager.default.attributesOfItem(atPath: path("HF-0001.sync"))[.size] as? Int) ?? 0
    print(String(format: "import at headquarters (CSV, with history): median %.2f s, peak %.1f MiB", importTime, median(imports.map(\.peakMiB))))
    print(String(format: "sync apply of the county's bundle (%d bytes): median %.2f s, peak %.1f MiB", size, applyTime, median(applies.map(\.peakMiB))))
    print(String(format: "sync export at the county: median %.2f s, peak %.1f MiB", exportTime, median(exports.map(\.peakMiB))))
    print(String(format: "ratio apply / import: %.2f (goal: at most 1.5)", applyTime / importTime))
    print(String(format: "ratio export / import: %.2f (goal: at most 0.5)", exportTime / importTime))
}

extension ChildProcess.Measurement {
    var peakMiB: Double { Double(peakMemoryKiB) / 1024 }
}
