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
        public var investment = Money.zero

        public init(projects: Int = 0, investment: Money = .zero) {
            self.projects = projects
            self.investment = investment
        }

        /// Adds one project; refuses a total that no longer fits in Int64 fen
        /// rather than wrap or round.
        mutating func add(_ amount: Money, count: Int = 1) throws {
            let (sum, overflow) = investment.fen.addingReportingOverflow(amount.fen)
            guard !overflow else {
                throw InvalidValue(
                    field: "planned_investment", value: amount.plainYuan,
                    reason: "makes a total beyond what registry can add up exactly (\(Money(fen: .max).formatted(.yi)))")
            }
            investment = Money(fen: sum)
            projects += count
        }

        mutating func add(_ other: Tally) throws {
            try add(other.investment, count: other.projects)
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
        public var proRataInvestmentTarget: Money?
        /// False for months after the as-of date: no figures yet.
        public var reported: Bool
    }

    /// A target against the actual figure of its scope.
    public struct TargetResult: Equatable, Sendable {
        public let target: Target
        /// The figure of the target's scope: a count of projects, or an amount.
        public let actual: TargetFigure
        /// The target scaled to the part of the year up to the as-of date
        /// (the whole target at year end), rounded half up.
        public let proRataTarget: TargetFigure
        /// actual ÷ pro-rata target, in basis points (10000 = 100 %).
        public var achievementBasisPoints: Int64 {
            proRataTarget.magnitude == 0 ? 0 : Self.ratio(actual.magnitude, proRataTarget.magnitude)
        }
        /// actual − pro-rata target: positive when exceeded, negative when short.
        public var difference: TargetFigure { actual.minus(proRataTarget) }
        public var met: Bool { actual.magnitude >= proRataTarget.magnitude }

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
        public let investment: Money
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
    /// The newest bundle applied here from each other site: the figures
    /// include the sites' records up to these (empty when this site does not sync).
    public var syncedBundles: [AppliedBundle] = []

    /// Whether the report covers the whole year.
    public var isFullYear: Bool { daysElapsed == daysInYear }

    /// Growth against the previous year in basis points (nil when it had none).
    public var projectGrowthBasisPoints: Int64? {
        previousYear.projects == 0 ? nil : TargetResult.ratio(Int64(totals.projects - previousYear.projects), Int64(previousYear.projects))
    }

    public var investmentGrowthBasisPoints: Int64? {
        previousYear.investment == .zero
            ? nil : TargetResult.ratio(totals.investment.fen - previousYear.investment.fen, previousYear.investment.fen)
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

/// What a target counts: projects, or planned investment. A target's figure
/// is one or the other, never an integer that could be either.
public enum TargetFigure: Equatable, Sendable {
    case count(Int64)
    case amount(Money)

    /// The number itself (projects, or fen), for ratios between figures of one metric.
    var magnitude: Int64 {
        switch self {
        case .count(let count): count
        case .amount(let money): money.fen
        }
    }

    /// `count` or `amount` as the metric says, from its stored integer.
    init(_ metric: TargetMetric, _ value: Int64) {
        self = metric == .projects ? .count(value) : .amount(Money(fen: value))
    }

    func minus(_ other: TargetFigure) -> TargetFigure {
        switch self {
        case .count(let count): .count(count - other.magnitude)
        case .amount(let money): .amount(Money(fen: money.fen - other.magnitude))
        }
    }

    /// The figure without its sign.
    public var absolute: TargetFigure {
        switch self {
        case .count(let count): .count(abs(count))
        case .amount(let money): .amount(Money(fen: abs(money.fen)))
        }
    }

    public var isNegative: Bool { magnitude < 0 }

    /// The integer the JSON contract carries: projects, or fen.
    public var jsonValue: Int64 { magnitude }
}
