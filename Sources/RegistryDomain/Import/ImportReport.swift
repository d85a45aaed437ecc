/// One problem found in an import file, as staff read it:
/// `line 12, column 计划总投资（万元）: value "abc": is not an amount; ...`
public struct ImportProblem: Equatable, Sendable, MessageDescribed {
    public let line: Int
    public let column: String?
    public let value: String
    public let reason: Message
    /// What to do about it, for the front end to render (see `NextStep`).
    public var nextStep: NextStep?

    public init(line: Int, column: String?, value: String, reason: Message, nextStep: NextStep? = nil) {
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
        self.nextStep = nextStep
    }

    public var message: Message {
        // A problem with the file as a whole (no rows, no header) has no cell value to show.
        if let column {
            return "line \(line), column \(column): value \"\(value)\": \(reason)"
        }
        if value.isEmpty { return "line \(line): \(reason)" }
        return "line \(line): value \"\(value)\": \(reason)"
    }

}

/// What an import did, or would do (`dryRun`), or why it did nothing.
public struct ImportReport: Sendable {
    public var kind: ImportKind
    public var encoding: ImportEncoding = .utf8
    public var dryRun = false
    public var rowsRead = 0
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// The first problems, up to `Importer.Options.problemLimit`.
    public var problems: [ImportProblem] = []
    /// All problems found, including those not kept in `problems`.
    public var problemCount = 0
    /// Rows with no value in any cell (`,,,,,,`): skipped, and counted here.
    public var emptyRows = 0
    /// Columns with an empty header whose cells were all empty: ignored.
    public var ignoredColumns = 0
    /// The sheet row the header was found on (1 unless title rows came first).
    public var headerLine = 1
    /// Title rows above the header, skipped (their lines).
    public var titleLines: [Int] = []
    /// Running-number columns (序号) ignored, by their header.
    public var runningNumberColumns: [String] = []
    /// Total rows (合计, 小计) checked against the rows they cover and not imported (their lines).
    public var totalLines: [Int] = []
    /// The unit bare numbers were read in, for each money column, and where it came from.
    public var columnUnits: [ColumnUnit] = []
    /// The sheet of a workbook that was read (nil for CSV).
    public var sheet: String?
    /// What each updated record changed (the first `problemLimit` of them):
    /// `--dry-run --upsert` lists them before anything is written.
    public var changes: [RecordChange] = []

    public struct RecordChange: Sendable, Equatable {
        public let line: Int
        public let key: String
        public let fields: [FieldChange]
    }

    /// The unit of one money column.
    public struct ColumnUnit: Sendable, Equatable {
        public enum Source: Sendable, Equatable {
            /// In the header: 计划总投资（万元）.
            case header
            /// Given with the import (`--unit`, the web form's unit).
            case option
            /// Read from the title area above the header: 单位：万元, on this line.
            case titleArea(line: Int)
            /// Nowhere: yuan.
            case none
        }
        public let column: String
        public let unit: Money.Unit
        public let source: Source
    }
    public var elapsedSeconds = 0.0
}

/// The file had problems: nothing was written. Carries the full report.
public struct ImportFailed: Error, Sendable, MessageDescribed {
    public let report: ImportReport
    public var message: Message {
        "\(report.problemCount) problem(s) in the file; nothing was imported"
    }
}
