import RegistryStorage

extension Registry {
    /// The report for `year` as it stood on `asOf` (default: `today`, or
    /// 31 December of the year if that is earlier). Every section, the funds
    /// and the audit summary included, reads one snapshot.
    ///
    /// - throws: `InvalidValue` (field `as-of`) for an as-of date before the year began.
    public func yearReport(_ year: Int, asOf: ISODate? = nil, today: ISODate = .today()) throws -> YearReport {
        try yearReport(year, asOf: asOf, today: today, betweenSections: nil)
    }

    /// `betweenSections` runs after the project sections are read and before
    /// the fund sections are (tests: a writer that commits there must not
    /// change the report).
    func yearReport(_ year: Int, asOf: ISODate?, today: ISODate, betweenSections: (() throws -> Void)?) throws -> YearReport {
        // The first accepted year has no previous year to compare with.
        guard year > ISODate.acceptedYears.lowerBound, let yearStart = ISODate(year: year, month: 1, day: 1),
            let yearEnd = ISODate(year: year, month: 12, day: 31)
        else {
            throw InvalidValue(
                field: "year", value: String(year),
                reason: "is not a year; accepted: \(ISODate.acceptedYears.lowerBound + 1)–\(ISODate.acceptedYears.upperBound)")
        }
        let asOf = asOf ?? min(today, yearEnd)
        guard asOf >= yearStart else {
            throw InvalidValue(field: "as-of", value: asOf.description, reason: "is before \(year) began; give a date from \(yearStart) on")
        }
        // One read transaction for every section: the projects, the funds,
        // the idle allocations and the audit summary are all read from the
        // snapshot whose log head the report prints as its data version.
        return try read {
            var report = try YearReportBuilder(db: db, year: year, asOf: asOf).build()
            report.logHead = try ChangeLog.head(in: db)
            report.syncedBundles = try AppliedBundle.newestPerSender(in: db)
            try betweenSections?()
            report.funds = try FundReport.build(on: db, year: year, asOf: asOf)
            return report
        }
    }
}

/// Builds a `YearReport` from one scan of the project_report index per year
/// (this year and the previous one); the breakdowns are rolled up from the
/// scan in memory, so every breakdown adds up to the headline by construction.
struct YearReportBuilder {
    let db: Database
    let year: Int
    let asOf: ISODate

    /// What one scan of a signing-date range gathers.
    struct Scan {
        var totals = YearReport.Tally()
        var byPark: [String: YearReport.Tally] = [:]
        var bySector: [String: YearReport.Tally] = [:]
        var byMonth = Array(repeating: YearReport.Tally(), count: 12)
        var byStage: [ProjectStage: YearReport.Tally] = [:]
        /// The largest projects: (fen, rowid), largest first; ties by rowid.
        var top: [(fen: Int64, rowid: Int64)] = []
        var cancelled: [Int64] = []
        var stagesAsOf: [Int64: ProjectStage] = [:]
    }

    static let topCount = 10

    func build() throws -> YearReport {
        let yearStart = ISODate(year: year, month: 1, day: 1)!
        let yearEnd = ISODate(year: year, month: 12, day: 31)!
        let through = min(asOf, yearEnd)
        let daysInYear = yearEnd.dayOfYear
        let daysElapsed = through.dayOfYear

        let scan = try self.scan(from: yearStart, through: through, stagesAsOf: asOf, detailed: true)
        let previousAsOf = asOf.sameDay(inYear: asOf.year - 1)
        let previous = try self.scan(
            from: ISODate(year: year - 1, month: 1, day: 1)!,
            through: min(previousAsOf, ISODate(year: year - 1, month: 12, day: 31)!),
            stagesAsOf: previousAsOf, detailed: false
        )

        // Labels, and every park and sector, so that a park with no project still shows.
        let parks = try db.rows("SELECT code, name, level, county FROM park ORDER BY code")
        var byPark: [YearReport.Line] = []
        var levelTallies: [ParkLevel: YearReport.Tally] = [:]
        var countyTallies: [String: YearReport.Tally] = [:]
        var parkNames: [String: String] = [:]
        for row in parks {
            let code: String = try row.get("code")
            let level = try ParkLevel.stored(try row.get("level"))
            let county: String = try row.get("county")
            let tally = scan.byPark[code] ?? YearReport.Tally()
            parkNames[code] = try row.get("name")
            byPark.append(YearReport.Line(key: code, label: parkNames[code]!, tally: tally))
            try levelTallies[level, default: YearReport.Tally()].add(tally)
            try countyTallies[county, default: YearReport.Tally()].add(tally)
        }
        let byParkLevel = ParkLevel.allCases.map {
            YearReport.Line(key: $0.rawValue, label: $0.chineseName + "园区", tally: levelTallies[$0] ?? YearReport.Tally())
        }
        let byCounty = countyTallies.map { YearReport.Line(key: $0.key, label: $0.key, tally: $0.value) }.sorted(by: Self.largestFirst)
        var sectorNames: [String: String] = [:]
        let bySector = try db.rows("SELECT key, name_zh, key_emerging FROM sector ORDER BY rowid").map { row in
            let key: String = try row.get("key")
            sectorNames[key] = try row.get("name_zh")
            return YearReport.Line(
                key: key, label: sectorNames[key]!, tally: scan.bySector[key] ?? YearReport.Tally(),
                isKeyEmerging: try row.get("key_emerging", as: Bool.self))
        }.sorted(by: Self.largestFirst)

        var byQuarter: [YearReport.Line] = []
        for quarter in 1...4 {
            var tally = YearReport.Tally()
            for month in (quarter - 1) * 3..<quarter * 3 { try tally.add(scan.byMonth[month]) }
            byQuarter.append(YearReport.Line(key: "Q\(quarter)", label: "第\(["一", "二", "三", "四"][quarter - 1])季度", tally: tally))
        }

        let targets = try Target.stored(year: year, in: db)
        func proRata(_ value: Int64, days: Int) -> Int64 {
            YearReport.scaled(value, by: Int64(days), over: Int64(daysInYear))
        }
        let allScope = Dictionary(targets.filter { $0.scope == .all }.map { ($0.metric, $0.value) }, uniquingKeysWith: { first, _ in first })
        var cumulative = YearReport.Tally()
        var byMonth: [YearReport.Month] = []
        for month in 1...12 {
            let monthEnd = ISODate(year: year, month: month, day: ISODate.daysIn(month: month, year: year))!
            let reported = ISODate(year: year, month: month, day: 1)! <= through
            if reported { try cumulative.add(scan.byMonth[month - 1]) }
            byMonth.append(
                YearReport.Month(
                    month: month, tally: scan.byMonth[month - 1], cumulative: cumulative,
                    proRataProjectsTarget: allScope[.projects].map { proRata($0, days: monthEnd.dayOfYear) },
                    proRataInvestmentTarget: allScope[.investment].map { Money(fen: proRata($0, days: monthEnd.dayOfYear)) },
                    reported: reported
                ))
        }

        func actual(_ target: Target) -> TargetFigure {
            let tally: YearReport.Tally?
            switch target.scope {
            case .all: tally = scan.totals
            case .level(let level): tally = levelTallies[level]
            case .park(let code): tally = scan.byPark[code]
            case .county(let name): tally = countyTallies[name]
            case .sector(let key): tally = scan.bySector[key]
            }
            return target.metric == .projects ? .count(Int64(tally?.projects ?? 0)) : .amount(tally?.investment ?? .zero)
        }
        let results = targets.map {
            YearReport.TargetResult(
                target: $0, actual: actual($0), proRataTarget: TargetFigure($0.metric, proRata($0.value, days: daysElapsed)))
        }

        let byStage = [ProjectStage.signed, .construction, .operating].map {
            YearReport.Line(key: $0.rawValue, label: $0.chineseName, tally: scan.byStage[$0] ?? YearReport.Tally())
        }

        return YearReport(
            year: year, asOf: asOf, countedThrough: through, daysElapsed: daysElapsed, daysInYear: daysInYear,
            totals: scan.totals, targets: results, byParkLevel: byParkLevel,
            byPark: byPark.sorted(by: Self.largestFirst), byCounty: byCounty, bySector: bySector,
            byQuarter: byQuarter, byMonth: byMonth, byStage: byStage,
            topProjects: try projectLines(scan.top.map(\.rowid), scan: scan),
            previousYear: previous.totals, previousAsOf: previousAsOf,
            cancelled: try projectLines(scan.cancelled, scan: scan).sorted { ($0.cancelledOn!, $0.code) < ($1.cancelledOn!, $1.code) }
        )
    }

    /// Largest investment first, then most projects, then by key: a stable order.
    static func largestFirst(_ a: YearReport.Line, _ b: YearReport.Line) -> Bool {
        (a.tally.investment, a.tally.projects, b.key) > (b.tally.investment, b.tally.projects, a.key)
    }

    /// One pass over the investment projects signed in [from, through], with
    /// each project's stage as of `stagesAsOf`.
    ///
    /// A project's current stage is its stage as of the date unless it changed
    /// stage after the date. Those projects are found from the stage index
    /// (their codes), and only the ones met in the scan that are past `signed`
    /// (a signed project has had no change) have their history read, after the
    /// scan. So a past year costs one index range scan plus a look-up per
    /// project that really moved on since.
    func scan(from: ISODate, through: ISODate, stagesAsOf: ISODate, detailed: Bool) throws -> Scan {
        var scan = Scan()
        var changedLater = Set<String>()
        try db.forEachStep("SELECT project_code FROM project_stage WHERE entered_on > ?", [.text(stagesAsOf.description)]) {
            changedLater.insert($0.text(at: 0) ?? "")
        }
        struct Pending { let rowid: Int64; let code: String; let month: Int; let park: String; let sector: String; let fen: Int64 }
        var pending: [Pending] = []
        // Served by the covering index project_report (kind, signed_on, park_code,
        // sector_key, stage, planned_investment_fen, code): the table is not read.
        try db.forEachStep(
            """
            SELECT rowid, signed_on, park_code, sector_key, stage, planned_investment_fen, code FROM project
            WHERE kind = 'investment' AND signed_on BETWEEN ?1 AND ?2
            """, [.text(from.description), .text(through.description)]
        ) { row in
            let rowid = row.int64(at: 0), fen = row.int64(at: 5)
            let month = row.withUTF8(at: 1) { bytes in bytes.count == 10 ? Int(bytes[5] &- 48) * 10 + Int(bytes[6] &- 48) : 0 }
            let stage = try ProjectStage.stored(row.text(at: 4) ?? "")
            if stage != .signed, !changedLater.isEmpty, let code = row.text(at: 6), changedLater.contains(code) {
                pending.append(Pending(rowid: rowid, code: code, month: month, park: row.text(at: 2) ?? "", sector: row.text(at: 3) ?? "", fen: fen))
                return
            }
            try accumulate(
                &scan, rowid: rowid, month: month, park: detailed ? row.text(at: 2) ?? "" : "",
                sector: detailed ? row.text(at: 3) ?? "" : "", stage: stage, fen: fen, detailed: detailed)
        }
        for project in pending {
            let stage = try stage(of: project.code, asOf: stagesAsOf)
            scan.stagesAsOf[project.rowid] = stage
            try accumulate(
                &scan, rowid: project.rowid, month: project.month, park: project.park, sector: project.sector,
                stage: stage, fen: project.fen, detailed: detailed)
        }
        return scan
    }

    private func accumulate(
        _ scan: inout Scan, rowid: Int64, month: Int, park: String, sector: String,
        stage: ProjectStage, fen: Int64, detailed: Bool
    ) throws {
        if stage == .cancelled {
            scan.cancelled.append(rowid)
            return
        }
        let amount = Money(fen: fen)
        try scan.totals.add(amount)
        guard detailed else { return }
        try scan.byPark[park, default: YearReport.Tally()].add(amount)
        try scan.bySector[sector, default: YearReport.Tally()].add(amount)
        if (1...12).contains(month) { try scan.byMonth[month - 1].add(amount) }
        try scan.byStage[stage, default: YearReport.Tally()].add(amount)
        // The ten largest; of equal amounts, the project recorded first (lower rowid) ranks first.
        if let last = scan.top.last, scan.top.count == Self.topCount, (fen, -rowid) <= (last.fen, -last.rowid) { return }
        let position = scan.top.firstIndex { $0.fen < fen || ($0.fen == fen && $0.rowid > rowid) } ?? scan.top.count
        scan.top.insert((fen, rowid), at: position)
        if scan.top.count > Self.topCount { scan.top.removeLast() }
    }

    /// A project's stage as of `date`: its last step on or before the date.
    func stage(of code: String, asOf date: ISODate) throws -> ProjectStage {
        var latest: (on: String, stage: ProjectStage)?
        try db.forEachStep(
            "SELECT stage, entered_on FROM project_stage WHERE project_code = ? AND entered_on <= ?",
            [.text(code), .text(date.description)]
        ) { row in
            let stage = try ProjectStage.stored(row.text(at: 0) ?? "")
            let on = row.text(at: 1) ?? ""
            if let current = latest, (current.on, current.stage.order) >= (on, stage.order) { return }
            latest = (on, stage)
        }
        return latest?.stage ?? .signed
    }

    /// Details of the given projects, in the given order.
    func projectLines(_ rowids: [Int64], scan: Scan) throws -> [YearReport.ProjectLine] {
        try rowids.map { rowid in
            let row = try db.row(
                """
                SELECT p.code, p.name, p.signed_on, p.planned_investment_fen, p.stage, coalesce(k.name, '') AS park_name,
                       coalesce(s.name_zh, '') AS sector_name,
                       (SELECT entered_on FROM project_stage WHERE project_code = p.code AND stage = 'cancelled') AS cancelled_on
                FROM project AS p LEFT JOIN park AS k ON k.code = p.park_code LEFT JOIN sector AS s ON s.key = p.sector_key
                WHERE p.rowid = ?
                """, [.integer(rowid)])!
            let stage = try scan.stagesAsOf[rowid] ?? ProjectStage.stored(try row.get("stage"))
            return YearReport.ProjectLine(
                code: try row.get("code"), name: try row.get("name"), parkName: try row.get("park_name"),
                sectorName: try row.get("sector_name"), signedOn: ISODate(iso: try row.get("signed_on"))!,
                investment: Money(fen: try row.get("planned_investment_fen")), stage: stage,
                cancelledOn: stage == .cancelled ? (try row.get("cancelled_on", as: String?.self)).flatMap { ISODate(iso: $0) } : nil
            )
        }
    }
}

extension ISODate {
    /// 1 for 1 January, up to 365 or 366.
    public var dayOfYear: Int {
        (1..<month).reduce(0) { $0 + Self.daysIn(month: $1, year: year) } + day
    }

    /// The same month and day in `year` (which must be an accepted year);
    /// 29 February becomes the 28th in a common year.
    public func sameDay(inYear year: Int) -> ISODate {
        ISODate(year: year, month: month, day: min(day, Self.daysIn(month: month, year: year)))!
    }
}
