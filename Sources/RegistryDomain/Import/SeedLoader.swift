/// Loads the demonstration data compiled into the binary from `Seeds/`:
/// `parks.csv`, `enterprises.csv`, `projects.csv` and `stages.csv`, with the
/// canonical English headers. Everything goes through `RegistryWriter`, so
/// seeds are validated exactly like staff input.
public enum SeedLoader {
    public struct Counts: Equatable, Sendable {
        public var parks = 0
        public var enterprises = 0
        public var projects = 0
        public var stageChanges = 0
    }

    /// Loads every seed file in one transaction.
    public static func load(into registry: Registry, actor: String) throws -> Counts {
        var counts = Counts()
        try registry.write(WriteContext(actor: actor, command: "demo")) { writer in
            for row in try rows("parks.csv") {
                try writer.addPark(ParkFields(code: row["code"], name: row["name"], level: row["level"], county: row["county"], notes: row["notes"]))
                counts.parks += 1
            }
            for row in try rows("enterprises.csv") {
                try writer.addEnterprise(EnterpriseFields(uscc: row["uscc"], name: row["name"], city: row["city"], notes: row["notes"]))
                counts.enterprises += 1
            }
            for row in try rows("projects.csv") {
                try writer.addProject(ProjectFields(
                    code: row["code"], name: row["name"], kind: row["kind"], park: row["park"],
                    enterprise: row["enterprise"], sector: row["sector"], plannedInvestment: row["planned_investment"],
                    signedOn: row["signed_on"], notes: row["notes"]
                ))
                counts.projects += 1
            }
            for row in try rows("stages.csv") {
                try writer.changeStage(code: row["project"] ?? "", to: row["stage"] ?? "", on: row["entered_on"] ?? "")
                counts.stageChanges += 1
            }
        }
        return counts
    }

    /// A seed file's records as header → value; a seed that does not parse is a
    /// build defect, reported with its file and line.
    private static func rows(_ file: String) throws -> [[String: String]] {
        guard let text = EmbeddedFiles.seeds[file] else { return [] }
        var reader = CSVRecordReader(text: text)
        var records: [CSVRecordReader.Record] = []
        do {
            while let record = try reader.next() { records.append(record) }
        } catch let error as CSVRecordReader.SyntaxError {
            throw ValidationError(field: "Seeds/\(file)", value: "line \(error.line)", reason: error.reason)
        }
        guard let header = records.first?.fields else { return [] }
        return records.dropFirst().map { record in
            Dictionary(zip(header, record.fields).filter { !$0.1.isEmpty }, uniquingKeysWith: { first, _ in first })
        }
    }
}
