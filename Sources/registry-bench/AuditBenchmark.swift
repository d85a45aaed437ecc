import Foundation
import RegistryDomain

// registry-bench audit: the whole built-in audit catalogue over a large
// registry (default 1,000,000 disbursements over 100,000 allocations), in a
// child process as `registry audit run` runs it. The baseline, in the same
// run: the sqlite3 shell reading every disbursement once (a full scan that
// adds up amounts, dates and payees), so the ratio says how many full passes
// the whole catalogue costs. Per-rule times come from the median run.

/// The worker: the full catalogue in-process; prints each rule's seconds and findings.
func auditWorker(database: String) throws {
    let registry = try Registry.open(at: database)
    let result = try registry.audit(AuditRequest(asOf: ISODate(iso: "2026-06-30")))
    for rule in result.rules {
        print("rule \(rule.id) \(String(format: "%.3f", result.seconds[rule.id] ?? 0)) \(result.findings(of: rule.id).count)")
    }
}

/// Funds, allocations and disbursements as staff would import them, with a
/// few anomalies of each kind so that every rule has something to find.
struct SyntheticFunds {
    let disbursements: Int
    var allocations: Int { max(10, disbursements / 10) }
    let projects = 10_000
    let funds = 100
    let enterprises: Int

    func projectsCSV() -> String {
        var text = "code,name,kind,planned_investment,signed_on\n"
        for index in 0..<projects { text += "WB-BM-\(index),基准民生项目\(index),wellbeing,1000万,2024-01-\(10 + index % 18)\n" }
        return text
    }

    func fundsCSV() -> String {
        var text = "资金编号,资金名称,资金来源,年度,预算,补助资金\n"
        for index in 0..<funds {
            text +=
                "BM-F-\(index),基准资金\(index),\(index % 2 == 0 ? "shenzhen-assistance" : "provincial-subsidy"),\(index == 0 ? 2024 : 2025),\(2000 + index)亿,\(index % 5 == 0 ? "是" : "否")\n"
        }
        return text
    }

    func write(allocationsTo allocationsFile: String, disbursementsTo disbursementsFile: String) throws {
        var random = SyntheticData.Random(state: 0x2545_F491_4F6C_DD1D)
        var text = "批复编号,资金编号,项目编号,批复金额,批复日期,批复文号\n"
        var approved: [(month: Int, day: Int, fen: Int64)] = []
        for index in 0..<allocations {
            let month = 1 + random.below(6), day = 1 + random.below(28)
            let wan = 1000 + random.below(9000)
            approved.append((month, day, Int64(wan) * 1_000_000))
            let document = index % 997 == 0 ? "" : "深汕指〔2025〕\(index)号"
            text += "BM-A-\(index),BM-F-\(random.below(funds)),WB-BM-\(random.below(projects)),\(wan)万,2025-\(pad(month))-\(pad(day)),\(document)\n"
        }
        try text.write(toFile: allocationsFile, atomically: true, encoding: .utf8)

        FileManager.default.createFile(atPath: disbursementsFile, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: disbursementsFile))
        defer { try? handle.close() }
        text = "批复编号,拨付金额,拨付日期,收款单位,凭证号\n"
        for index in 0..<disbursements {
            let allocation = random.below(allocations)
            let (month, day, fen) = approved[allocation]
            // Mostly paid after approval, in 20ths of the allocation (about ten
            // payments each: a few go over, a few stay idle); one in 5,000 before approval,
            // one in 10,000 a small payment (split-payment candidates).
            let paidMonth = index % 5_000 == 0 ? max(1, month - 1) : min(12, month + random.below(6))
            let payee = index % 20_000 == 0 ? "91441500MA4W1X2Y3Z" : SyntheticData.uscc(random.below(enterprises))
            let yuan = index % 10_000 == 7 ? 200_000 + Int64(random.below(1000)) : fen / 100 / 20 + Int64(random.below(1000))
            text += "BM-A-\(allocation),\(yuan),2025-\(pad(paidMonth))-\(pad(day)),\(payee),PZ-\(index % 300_000 == 0 ? 0 : index)\n"
            if text.utf8.count > 1 << 20 {
                handle.write(Data(text.utf8))
                text = ""
            }
        }
        handle.write(Data(text.utf8))
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

func auditBenchmark() throws {
    let count = Int(option("--disbursements") ?? "1000000") ?? 1_000_000
    let runs = Int(option("--runs") ?? "3") ?? 3
    let folder = try BenchFolder(prefix: "registry-bench-audit")
    defer { folder.removeUnlessKept() }
    let path = folder.path, log = folder.log
    let database = path("audit.db")
    let data = SyntheticData(rows: 100_000)
    let funds = SyntheticFunds(disbursements: count, enterprises: data.enterpriseCount)

    print("registry-bench audit: \(count) disbursements over \(funds.allocations) allocations, \(runs) run(s) each, in \(folder.url.path)")
    try folder.writeData(SyntheticData(rows: 0))
    try data.enterprisesCSV().write(toFile: path("enterprises.csv"), atomically: true, encoding: .utf8)
    try funds.projectsCSV().write(toFile: path("wellbeing.csv"), atomically: true, encoding: .utf8)
    try funds.fundsCSV().write(toFile: path("funds.csv"), atomically: true, encoding: .utf8)
    try funds.write(allocationsTo: path("allocations.csv"), disbursementsTo: path("disbursements.csv"))
    do {
        let registry = try folder.createRegistry("audit.db")
        let context = WriteContext(actor: "bench", command: "setup")
        for (kind, file) in [
            (ImportKind.projects, "wellbeing.csv"), (.funds, "funds.csv"), (.allocations, "allocations.csv"), (.disbursements, "disbursements.csv"),
        ] {
            let report = try Importer.run(kind, path: path(file), into: registry, context: context)
            print(String(format: "  imported %d %@ in %.1f s", report.inserted, kind.rawValue, report.elapsedSeconds))
        }
    }
    try "SELECT count(*), sum(amount_fen), max(paid_on), count(DISTINCT payee_uscc) FROM disbursement NOT INDEXED;\n"
        .write(toFile: path("scan.sql"), atomically: true, encoding: .utf8)

    let me = URL(fileURLWithPath: CommandLine.arguments[0]).path
    var registryTimes: [Double] = [], shellTimes: [Double] = [], outputs: [String] = []
    for run in 1...runs {
        let output = path("audit-\(run).txt")
        let registry = try ChildProcess.run([me, "audit-worker", database], log: log, output: output)
        guard registry.status == 0 else { throw BenchError("registry audit failed (exit \(registry.status)); see \(log)") }
        let shell = try ChildProcess.run(["sqlite3", "-bail", "-readonly", database], input: path("scan.sql"), log: log)
        guard shell.status == 0 else { throw BenchError("sqlite3 scan failed (exit \(shell.status)); see \(log)") }
        print(
            String(
                format: "  run %d: registry audit (12 rules) %.3f s, %.1f MiB;  sqlite3 full scan %.3f s", run, registry.seconds,
                Double(registry.peakMemoryKiB) / 1024, shell.seconds))
        registryTimes.append(registry.seconds)
        shellTimes.append(shell.seconds)
        outputs.append(output)
    }
    let registryMedian = median(registryTimes), shellMedian = median(shellTimes)
    let medianRun = registryTimes.firstIndex(of: registryTimes.sorted()[runs / 2])!
    print("  per rule (median run): seconds, findings")
    for line in try String(contentsOfFile: outputs[medianRun], encoding: .utf8).split(separator: "\n") where line.hasPrefix("rule ") {
        print("    " + line.dropFirst(5))
    }
    print(String(format: "registry audit run (whole catalogue): median %.3f s (goal: under 3 s)", registryMedian))
    print(String(format: "sqlite3 shell (one full scan of disbursement): median %.3f s", shellMedian))
    print(String(format: "ratio audit / full scan: %.2f", registryMedian / shellMedian))
}
