/// Loads the demonstration data compiled into the binary from `Seeds/`:
/// `parks.csv`, `enterprises.csv` and `projects.csv` through the import path
/// (the same header mapping and validation as `registry import`), then
/// `stages.csv` (dated stage changes) and `targets.csv` through the writer,
/// then `funds.csv`, `allocations.csv`, `allocation-periods.csv` and
/// `disbursements.csv` through the import path again (`enterprise-statuses.csv`
/// right after the enterprises). The fund seeds hold one planted anomaly for each audit
/// rule (see Documentation/Usage.md, "Funds and audits"), so that the demo shows real findings.
public enum SeedLoader {
    public struct Counts: Equatable, Sendable {
        public var parks = 0
        public var enterprises = 0
        public var projects = 0
        public var stageChanges = 0
        public var targets = 0
        public var funds = 0
        public var allocations = 0
        public var disbursements = 0
        public var enterpriseStatuses = 0
        public var allocationPeriods = 0
    }

    /// Loads every seed file in one transaction: all of it, or nothing.
    public static func load(into registry: Registry, actor: String, command: String = "seed") throws -> Counts {
        var counts = Counts()
        try registry.write(WriteContext(actor: actor, command: command)) { writer in
            counts.parks = try importSeed(.parks, "parks.csv", registry: registry, writer: writer)
            counts.enterprises = try importSeed(.enterprises, "enterprises.csv", registry: registry, writer: writer)
            counts.enterpriseStatuses = try importSeed(ImportKind(name: "enterprise-statuses"), "enterprise-statuses.csv", registry: registry, writer: writer)
            counts.projects = try importSeed(.projects, "projects.csv", registry: registry, writer: writer)
            for row in try rows("stages.csv") {
                try writer.changeStage(code: row["project"] ?? "", to: row["stage"] ?? "", on: row["entered_on"] ?? "")
                counts.stageChanges += 1
            }
            for row in try rows("targets.csv") {
                let metric = row["metric"] ?? ""
                counts.targets += try writer.setTarget(
                    TargetFields(
                        year: row["year"] ?? "", scope: row["scope"] ?? "all",
                        projects: metric == "projects" ? row["value"] ?? "" : nil,
                        investment: metric == "investment" ? row["value"] ?? "" : nil
                    )
                ).count
            }
            counts.funds = try importSeed(.funds, "funds.csv", registry: registry, writer: writer)
            counts.allocations = try importSeed(.allocations, "allocations.csv", registry: registry, writer: writer)
            counts.allocationPeriods = try importSeed(ImportKind(name: "allocation-periods"), "allocation-periods.csv", registry: registry, writer: writer)
            counts.disbursements = try importSeed(.disbursements, "disbursements.csv", registry: registry, writer: writer)
        }
        return counts
    }

    /// One seed file through `ImportSession`; a problem in a seed is a build
    /// defect, reported with its file, line and column.
    private static func importSeed(_ kind: ImportKind, _ file: String, registry: Registry, writer: RegistryWriter) throws -> Int {
        guard let text = EmbeddedFiles.seeds[file] else { return 0 }
        var reader = ReplayingRecords(CSVRecordReader(text: text))
        var report = ImportReport(kind: kind)
        try ImportSession(kind: kind, registry: registry, options: Importer.Options()).importRecords(from: &reader, writer: writer, report: &report) {}
        if let problem = report.problems.first {
            throw InvalidValue(
                field: "Seeds/\(file)", value: problem.value, reason: "line \(problem.line), column \(problem.column ?? "-"): \(problem.reason)")
        }
        return report.inserted
    }

    /// A seed file's records as header → value (empty cells left out).
    private static func rows(_ file: String) throws -> [[String: String]] {
        guard let text = EmbeddedFiles.seeds[file] else { return [] }
        var reader = ReplayingRecords(CSVRecordReader(text: text))
        var records: [CSVRecordReader.Record] = []
        do {
            while let record = try reader.next() { records.append(record) }
        } catch let error as CSVRecordReader.SyntaxError {
            throw InvalidValue(field: "Seeds/\(file)", value: "line \(error.line)", reason: error.reason)
        }
        guard let header = records.first?.fields else { return [] }
        return records.dropFirst().map { record in
            Dictionary(zip(header, record.fields).filter { !$0.1.isEmpty }, uniquingKeysWith: { first, _ in first })
        }
    }
}
