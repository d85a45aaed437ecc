/// The year-end report: what was introduced in a year, against its targets,
/// with the breakdowns behind the headline.
///
/// Counting rule: a project counts for the year in which it was signed, if it
/// is an investment project and is not cancelled as of the report's as-of date.
/// Cancelled projects are listed separately. Every figure is an exact sum in
/// fen; rounding happens only when a renderer shows it.
public struct YearReport: Sendable {
    /// How many projects and how much planned investment.
    public struct Tally: Equatable, Sendable {
        public var projects = 0
        public var fen: Int64 = 0

        public init(projects: Int = 0, fen: Int64 = 0) {
            self.projects = projects
            self.fen = fen
        }

        public var investment: Money { Money(fen: fen) }

        /// Adds one project; refuses a total that no longer fits in Int64 fen
        /// rather than wrap or round.
        mutating func add(_ amount: Int64, count: Int = 1) throws {
            let (sum, overflow) = fen.addingReportingOverflow(amount)
            guard !overflow else {
                throw InvalidValue(
                    field: "planned_investment", value: String(amount),
                    reason: "makes a total beyond what registry can add up exactly (\(Money(fen: .max).formatted(.yi)))")
            }
            fen = sum
            projects += count
        }

        mutating func add(_ other: Tally) throws {
            try add(other.fen, count: other.projects)
        }
    }

    /// One line of a breakdown: a key for programs, a label for people.
    public struct Line: Equatable, Sendable {
        public let key: String
        public let label: String
        public var tally: Tally
        /// For sectors: one of the five key emerging fields.
        public var isKeyEmerging = false
    }

    /// One month, with the running total and the all-scope targets pro rata
    /// at the month's end (nil where no target is set).
    public struct Month: Equatable, Sendable {
        public let month: Int
        public var tally: Tally
        public var cumulative: Tally
        public var proRataProjectsTarget: Int64?
        public var proRataInvestmentTarget: Int64?
        /// False for months after the as-of date: no figures yet.
        public var reported: Bool
    }

    /// A target against the actual figure of its scope.
    public struct TargetResult: Equatable, Sendable {
        public let target: Target
        /// A count for projects, fen for investment.
        public let actual: Int64
        /// The target scaled to the part of the year up to the as-of date
        /// (the whole target at year end), rounded half up.
        public let proRataTarget: Int64
        /// actual ÷ pro-rata target, in basis points (10000 = 100 %).
        public var achievementBasisPoints: Int64 {
            proRataTarget == 0 ? 0 : Self.ratio(actual, proRataTarget)
        }
        /// actual − pro-rata target: positive when exceeded, negative when short.
        public var difference: Int64 { actual - proRataTarget }
        public var met: Bool { actual >= proRataTarget }

        /// numerator ÷ denominator in basis points, rounded half away from zero.
        static func ratio(_ numerator: Int64, _ denominator: Int64) -> Int64 {
            YearReport.scaled(numerator, by: 10_000, over: denominator)
        }
    }

    /// One project, as the top list and the cancelled list show it.
    public struct ProjectLine: Equatable, Sendable {
        public let code: String
        public let name: String
        public let parkName: String
        public let sectorName: String
        public let signedOn: ISODate
        public let fen: Int64
        /// The stage as of the report's date.
        public let stage: ProjectStage
        /// For cancelled projects: when.
        public let cancelledOn: ISODate?
    }

    public let year: Int
    /// Stages and cancellations are as of this date.
    public let asOf: ISODate
    /// The last signing date counted: the as-of date, or 31 December if earlier.
    public let countedThrough: ISODate
    /// Days of the year up to `countedThrough`, and in the whole year: the pro-rata fraction.
    public let daysElapsed: Int
    public let daysInYear: Int

    public let totals: Tally
    public let targets: [TargetResult]
    public let byParkLevel: [Line]
    public let byPark: [Line]
    public let byCounty: [Line]
    public let bySector: [Line]
    public let byQuarter: [Line]
    public let byMonth: [Month]
    public let byStage: [Line]
    public let topProjects: [ProjectLine]
    /// The previous year, counted the same way as of the same day a year before.
    public let previousYear: Tally
    public let previousAsOf: ISODate
    public let cancelled: [ProjectLine]
    /// Funds of the year, and the audit of the year as of the same date.
    public var funds: FundReport?
    /// The change log's head in the snapshot the figures were read from: the
    /// report's data version, which `registry verify --anchor` checks later.
    public var logHead: LogHead?

    /// The footer line that names the data version.
    public var logHeadNoteZh: String? {
        logHead.map { "数据版本（变更日志头）：\($0)（可用 registry verify --anchor 核对）" }
    }

    /// Whether the report covers the whole year.
    public var isFullYear: Bool { daysElapsed == daysInYear }

    /// Growth against the previous year in basis points (nil when it had none).
    public var projectGrowthBasisPoints: Int64? {
        previousYear.projects == 0 ? nil : TargetResult.ratio(Int64(totals.projects - previousYear.projects), Int64(previousYear.projects))
    }

    public var investmentGrowthBasisPoints: Int64? {
        previousYear.fen == 0 ? nil : TargetResult.ratio(totals.fen - previousYear.fen, previousYear.fen)
    }

    /// value × multiplier ÷ divisor, rounded half away from zero, in integers:
    /// the product is taken at full width, so no amount up to Int64.max fen
    /// overflows (a result beyond Int64 is clamped). Ratios and pro-rata
    /// targets both go through here.
    static func scaled(_ value: Int64, by multiplier: Int64, over divisor: Int64) -> Int64 {
        precondition(multiplier >= 0 && divisor > 0)
        let (high, low) = value.magnitude.multipliedFullWidth(by: UInt64(multiplier))
        let denominator = UInt64(divisor)
        guard high < denominator else { return value < 0 ? .min : .max }
        let (quotient, remainder) = denominator.dividingFullWidth((high, low))
        let magnitude = Int64(clamping: remainder >= denominator - remainder ? quotient + 1 : quotient)
        return value < 0 ? -magnitude : magnitude
    }

    /// The counting rule, as the report states it.
    public static let countingRuleZh = "统计口径：按签约日期计入年度；仅统计招商项目（不含民生项目）；截至统计日已终止的项目不计入，单列于后。金额为精确合计，仅在显示时四舍五入。"
    public static let countingRule =
        "A project counts for the year in which it was signed, if it is an investment project and not cancelled as of the report's as-of date. Cancelled projects are listed separately. Totals are exact sums; rounding happens only at display."
}

extension YearReport.TargetResult {
    /// `104.0%`: basis points shown as a percentage with one decimal.
    public var achievementText: String { Percent.text(basisPoints: achievementBasisPoints) }
}

/// Percentages from basis points, rounded half away from zero to one decimal.
public enum Percent {
    public static func text(basisPoints: Int64) -> String {
        let tenths = (basisPoints.magnitude + 5) / 10
        return "\(basisPoints < 0 && tenths > 0 ? "-" : "")\(tenths / 10).\(tenths % 10)%"
    }

    /// part ÷ whole in basis points (a disbursement rate); nil when the whole is zero.
    public static func basisPoints(_ part: Int64, of whole: Int64) -> Int64? {
        whole == 0 ? nil : YearReport.scaled(part, by: 10_000, over: whole)
    }

    /// `1.0412`: basis points as a plain decimal ratio, for JSON.
    public static func ratio(basisPoints: Int64) -> String {
        let magnitude = basisPoints.magnitude
        let fraction = String(magnitude % 10_000)
        return "\(basisPoints < 0 ? "-" : "")\(magnitude / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }
}
