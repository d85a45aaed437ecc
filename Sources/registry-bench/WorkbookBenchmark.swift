import Foundation

// registry-bench xlsx: `registry import projects` from a workbook against the same rows as CSV.
//
//   swift build -c release && .build/release/registry-bench xlsx --rows 100000 [--runs 3] [--keep DIR]
//
// `rows` synthetic projects imported once from CSV, exported by the real
// binary as a workbook (`export projects --output projects.xlsx`) and as the
// same ledger in CSV (`export projects --excel`: the same rows and columns,
// names beside codes, values in Chinese), then, alternately `runs` times,
// imported into a copy of the same registry (parks and enterprises only)
// from the ledger CSV (the baseline, same run), from the workbook, and from
// the synthetic CSV (canonical keys, no names: for reference). Median time
// and peak memory of each.
//
// Goals (issue 18): the workbook ≤ 1.5× the CSV's time, peak memory < 64 MiB.

func workbookBenchmark() throws {
    let rows = Int(option("--rows") ?? "100000") ?? 100_000
    let runs = Int(option("--runs") ?? "3") ?? 3
    let folder = try BenchFolder(prefix: "registry-bench-xlsx")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    let registryBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("registry").path
    guard FileManager.default.isExecutableFile(atPath: registryBinary) else {
        throw BenchError("\(registryBinary) is missing: build it with the same configuration first (swift build -c release)")
    }
    print("registry-bench xlsx: \(rows) projects; median of \(runs); in \(folder.url.path)")
    try folder.writeData(SyntheticData(rows: rows))
    func registry(_ arguments: [String], _ database: String) throws -> ChildProcess.Measurement {
        let measured = try ChildProcess.run([registryBinary] + arguments + ["--db", database], log: log, output: "/dev/null")
        guard measured.status == 0 else { throw BenchError("\(arguments.joined(separator: " ")) failed; see \(log)") }
        return measured
    }
    let base = path("base.db")
    for step in [["init"], ["import", "parks", path("parks.csv")], ["import", "enterprises", path("enterprises.csv")]] { _ = try registry(step, base) }
    let source = path("source.db")
    try FileManager.default.copyItem(atPath: base, toPath: source)
    _ = try registry(["import", "projects", path("projects.csv")], source)
    let exported = try registry(["export", "projects", "--output", path("projects.xlsx")], source)
    _ = try registry(["export", "projects", "--excel", "--output", path("ledger.csv")], source)
    let size = { (file: String) in Double((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0) / 1_048_576 }
    print(
        String(
            format: "  export to a workbook: %.2f s, %.0f MiB peak; projects.xlsx %.1f MiB (ledger.csv %.1f MiB, synthetic projects.csv %.1f MiB)",
            exported.seconds, Double(exported.peakMemoryKiB) / 1024, size(path("projects.xlsx")), size(path("ledger.csv")),
            size(path("projects.csv"))))
    var csv: [ChildProcess.Measurement] = [], xlsx: [ChildProcess.Measurement] = [], plain: [ChildProcess.Measurement] = []
    for run in 0..<runs {
        for (file, into) in [("ledger.csv", 0), ("projects.xlsx", 1), ("projects.csv", 2)] {
            let database = path("run\(run)-\(into).db")
            try FileManager.default.copyItem(atPath: base, toPath: database)
            let measured = try registry(["import", "projects", path(file)], database)
            switch into {
            case 0: csv.append(measured)
            case 1: xlsx.append(measured)
            default: plain.append(measured)
            }
            try FileManager.default.removeItem(atPath: database)
        }
    }
    let csvTime = median(csv.map(\.seconds)), xlsxTime = median(xlsx.map(\.seconds))
    let csvMemory = median(csv.map { Double($0.peakMemoryKiB) / 1024 }), xlsxMemory = median(xlsx.map { Double($0.peakMemoryKiB) / 1024 })
    print(
        String(
            format: "  (reference: the synthetic CSV, keys only %7.2f s  %5.0f MiB peak)", median(plain.map(\.seconds)),
            median(plain.map { Double($0.peakMemoryKiB) / 1024 })))
    print(String(format: "  baseline: import from the ledger CSV  %7.2f s  %5.0f MiB peak", csvTime, csvMemory))
    print(
        String(
            format: "  import from the workbook         %7.2f s  %5.0f MiB peak  %.2f× the CSV  goals ≤ 1.5×: %@, < 64 MiB: %@", xlsxTime,
            xlsxMemory, xlsxTime / csvTime, (xlsxTime <= 1.5 * csvTime ? "met" : "NOT MET") as NSString,
            (xlsxMemory < 64 ? "met" : "NOT MET") as NSString))
}
