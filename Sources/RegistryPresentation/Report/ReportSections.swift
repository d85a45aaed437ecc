import RegistryDomain

/// The year-end report as titled tables: one description that the text,
/// Markdown, CSV and HTML renderings all print, so they cannot drift apart.
package struct ReportSection {
    /// A column is a list field: machine key, Chinese title, alignment.
    package typealias Column = Listing.Field

    /// A cell: what a person reads, and what a program reads (CSV).
    package struct Cell {
        package let display: String
        package let exact: String
        /// The amount, when the cell is one (a workbook writes it as a number).
        package var money: Money?
        /// The whole number, when the cell is a count.
        package var number: Int?
        package init(_ display: String, exact: String? = nil) {
            self.display = display
            self.exact = exact ?? display
        }
    }

    package let key: String
    package let title: String
    package let columns: [Column]
    package var rows: [[Cell]]
    package var note: String?
}

/// Builds the sections from a report, with amounts in the chosen unit.
package struct ReportLayout {
    package let report: YearReport
    package let unit: Money.Unit

    package init(report: YearReport, unit: Money.Unit) {
        self.report = report
        self.unit = unit
    }

    package var unitName: String { unit.chineseSuffix }

    package func amount(_ money: Money) -> ReportSection.Cell {
        var cell = ReportSection.Cell(money.hundredthsString(of: unit), exact: money.plainYuan)
        cell.money = money
        return cell
    }

    package func count(_ value: Int) -> ReportSection.Cell {
        var cell = ReportSection.Cell(String(value))
        cell.number = value
        return cell
    }

    package func targetValue(_ figure: TargetFigure) -> ReportSection.Cell {
        switch figure {
        case .count(let count): self.count(Int(count))
        case .amount(let money): amount(money)
        }
    }

    /// `2个` or `11.50亿元`, for the headline.
    package func headlineText(_ figure: TargetFigure) -> String {
        switch figure {
        case .count(let count): "\(count)个"
        case .amount(let money): money.formatted(.yi)
        }
    }

    package var title: String { "\(report.year)年度招商引资报告" }

    /// The footer line that names the data version, and how to check it.
    package var logHeadNote: String? {
        report.logHead.map { head in
            let bundles =
                report.syncedBundles.isEmpty
                ? ""
                : "；含各县区数据包："
                    + report.syncedBundles.map { "\($0.sender) 第\($0.number)号（至其变更\($0.toSeq)）" }.joined(separator: "、")
            return "数据版本（变更日志头）：\(head)（可用 registry verify --anchor 核对）\(bundles)"
        }
    }

    package var subtitle: String {
        report.isFullYear
            ? "统计截至 \(report.asOf)（全年）"
            : "统计截至 \(report.asOf)（第\(report.daysElapsed)天，共\(report.daysInYear)天；目标按进度折算）"
    }

    /// The headline as the headquarters writes it.
    package var headline: String {
        var text =
            "\(report.year)年\(report.isFullYear ? "" : "截至\(report.countedThrough)")共引进招商项目\(report.totals.projects)个，计划总投资\(report.totals.investment.formatted(.yi))"
        let all = report.targets.filter { $0.target.scope == .all }
        for result in all {
            let what = result.target.metric == .projects ? "项目数" : "投资额"
            let targetText = headlineText(result.proRataTarget)
            let gap = headlineText(result.difference.absolute)
            text += "；\(what)\(report.isFullYear ? "年度" : "进度")目标\(targetText)，完成\(result.achievementText)，" + (result.met ? "超出\(gap)" : "差\(gap)")
        }
        if !all.isEmpty {
            if report.isFullYear {
                text += all.allSatisfy(\.met) ? "，超额完成年度目标" : "，未完成年度目标"
            } else {
                text += all.allSatisfy(\.met) ? "，快于进度目标" : "，落后于进度目标"
            }
        }
        return text + "。"
    }

    package func tallyRows(_ lines: [YearReport.Line], label: (YearReport.Line) -> [ReportSection.Cell]) -> [[ReportSection.Cell]] {
        lines.map { label($0) + [count($0.tally.projects), amount($0.tally.investment)] }
    }

    package var tallyColumns: [ReportSection.Column] {
        [.init("projects", "项目数", .right), .init("planned_investment_yuan", "计划总投资（\(unitName)）", .right)]
    }

    package var sections: [ReportSection] {
        var sections: [ReportSection] = []
        var totals = ReportSection(
            key: "totals", title: "总体情况", columns: [.init("item", "项目"), .init("value", "数值", .right)],
            rows: [
                [ReportSection.Cell("引进招商项目（个）", exact: "projects"), count(report.totals.projects)],
                [ReportSection.Cell("计划总投资（\(unitName)）", exact: "planned_investment_yuan"), amount(report.totals.investment)],
                [ReportSection.Cell("上年同期项目（个）", exact: "previous_year_projects"), count(report.previousYear.projects)],
                [ReportSection.Cell("上年同期计划总投资（\(unitName)）", exact: "previous_year_planned_investment_yuan"), amount(report.previousYear.investment)],
                [ReportSection.Cell("项目数同比", exact: "projects_growth"), growth(report.projectGrowthBasisPoints)],
                [ReportSection.Cell("计划总投资同比", exact: "investment_growth"), growth(report.investmentGrowthBasisPoints)],
                [ReportSection.Cell("已终止项目（个，不计入）", exact: "cancelled_projects"), count(report.cancelled.count)],
            ])
        totals.note = "上年同期：\(report.year - 1)年，截至\(report.previousAsOf)。"
        sections.append(totals)

        var targets = ReportSection(
            key: "targets", title: "目标完成情况",
            columns: [
                .init("metric", "指标"), .init("scope", "范围"), .init("target", "全年目标", .right),
                .init("pro_rata_target", "进度目标", .right), .init("actual", "实际", .right),
                .init("achievement", "完成率", .right), .init("difference", "超出（+）/差额（−）", .right),
            ],
            rows: report.targets.map { result in
                let metric = result.target.metric
                let unitLabel = metric == .investment ? "（\(unitName)）" : "（个）"
                let difference = targetValue(result.difference.absolute)
                return [
                    ReportSection.Cell(metric.chineseName + unitLabel, exact: metric.rawValue),
                    ReportSection.Cell(scopeLabel(result.target.scope), exact: result.target.scope.description),
                    targetValue(result.target.figure), targetValue(result.proRataTarget),
                    targetValue(result.actual),
                    ReportSection.Cell(result.achievementText, exact: Percent.ratio(basisPoints: result.achievementBasisPoints)),
                    ReportSection.Cell(
                        (result.difference.isNegative ? "−" : "+") + difference.display,
                        exact: (result.difference.isNegative ? "-" : "") + difference.exact),
                ]
            })
        if report.targets.isEmpty { targets.note = "本年度未设定目标（registry target set \(report.year) ...）。" }
        sections.append(targets)

        sections.append(
            ReportSection(
                key: "by_park_level", title: "按园区级别", columns: [.init("level", "园区级别")] + tallyColumns,
                rows: tallyRows(report.byParkLevel) { [ReportSection.Cell($0.label, exact: $0.key)] }))
        sections.append(
            ReportSection(
                key: "by_park", title: "按园区", columns: [.init("park", "园区编号"), .init("name", "园区名称")] + tallyColumns,
                rows: tallyRows(report.byPark) { [ReportSection.Cell($0.key), ReportSection.Cell($0.label)] }))
        sections.append(
            ReportSection(
                key: "by_county", title: "按县（市、区）", columns: [.init("county", "县（市、区）")] + tallyColumns,
                rows: tallyRows(report.byCounty) { [ReportSection.Cell($0.label)] }))
        var sectors = ReportSection(
            key: "by_sector", title: "按产业", columns: [.init("sector", "产业"), .init("key_emerging", "重点新兴")] + tallyColumns,
            rows: tallyRows(report.bySector) {
                [ReportSection.Cell($0.label, exact: $0.key), ReportSection.Cell($0.isKeyEmerging ? "★" : "", exact: $0.isKeyEmerging ? "1" : "0")]
            })
        sectors.note = "★ 五大重点新兴领域。"
        sections.append(sectors)
        sections.append(
            ReportSection(
                key: "by_quarter", title: "按季度", columns: [.init("quarter", "季度")] + tallyColumns,
                rows: tallyRows(report.byQuarter) { [ReportSection.Cell($0.label, exact: $0.key)] }))
        let hasProjectTarget = report.byMonth.contains { $0.proRataProjectsTarget != nil }
        let hasInvestmentTarget = report.byMonth.contains { $0.proRataInvestmentTarget != nil }
        var monthColumns: [ReportSection.Column] =
            [.init("month", "月份")] + tallyColumns + [
                .init("cumulative_projects", "累计项目数", .right), .init("cumulative_planned_investment_yuan", "累计投资（\(unitName)）", .right),
            ]
        if hasProjectTarget { monthColumns.append(.init("pro_rata_target_projects", "进度目标（个）", .right)) }
        if hasInvestmentTarget { monthColumns.append(.init("pro_rata_target_investment_yuan", "进度目标（\(unitName)）", .right)) }
        sections.append(
            ReportSection(
                key: "by_month", title: "按月（含累计与进度目标）", columns: monthColumns,
                rows: report.byMonth.filter(\.reported).map { month in
                    var row = [
                        ReportSection.Cell("\(month.month)月", exact: "\(report.year)-\(month.month < 10 ? "0" : "")\(month.month)"),
                        count(month.tally.projects), amount(month.tally.investment), count(month.cumulative.projects), amount(month.cumulative.investment),
                    ]
                    if hasProjectTarget { row.append(ReportSection.Cell(month.proRataProjectsTarget.map(String.init) ?? "")) }
                    if hasInvestmentTarget { row.append(month.proRataInvestmentTarget.map(amount) ?? ReportSection.Cell("")) }
                    return row
                }))
        sections.append(
            ReportSection(
                key: "by_stage", title: "按项目阶段", columns: [.init("stage", "阶段")] + tallyColumns,
                rows: tallyRows(report.byStage) { [ReportSection.Cell($0.label, exact: $0.key)] }))
        sections.append(
            ReportSection(
                key: "top_projects", title: "投资额前十项目", columns: projectColumns,
                rows: report.topProjects.enumerated().map { projectRow($0.element, rank: $0.offset + 1) }))
        var cancelled = ReportSection(
            key: "cancelled", title: "已终止项目（不计入）", columns: projectColumns + [.init("cancelled_on", "终止日期")],
            rows: report.cancelled.enumerated().map {
                projectRow($0.element, rank: $0.offset + 1) + [ReportSection.Cell($0.element.cancelledOn?.description ?? "")]
            })
        if report.cancelled.isEmpty { cancelled.note = "无。" }
        sections.append(cancelled)
        if let funds = report.funds { sections += fundSections(funds) }
        return sections
    }

    /// Funds of the year as of the report's date, idle allocations, and the audit summary.
    package func fundSections(_ funds: FundReport) -> [ReportSection] {
        let moneyColumns: [ReportSection.Column] = [
            .init("budget_yuan", "预算（\(unitName)）", .right), .init("allocated_yuan", "已批复（\(unitName)）", .right),
            .init("disbursed_yuan", "已拨付（\(unitName)）", .right), .init("disbursement_rate", "拨付率", .right),
        ]
        func rate(_ basisPoints: Int64?) -> ReportSection.Cell {
            basisPoints.map { ReportSection.Cell(Percent.text(basisPoints: $0), exact: Percent.ratio(basisPoints: $0)) } ?? ReportSection.Cell("—", exact: "")
        }
        var byFund = ReportSection(
            key: "funds", title: "资金使用情况（按资金）", columns: [.init("fund", "资金编号"), .init("name", "资金名称")] + moneyColumns,
            rows: funds.funds.map { summary in
                [
                    ReportSection.Cell(summary.fund.code), ReportSection.Cell(summary.fund.name + (summary.fund.isSubsidy ? "（补助）" : "")),
                    amount(summary.fund.budget), amount(summary.allocated), amount(summary.disbursed), rate(summary.disbursementRateBasisPoints),
                ]
            })
        byFund.note = funds.funds.isEmpty ? "本年度无资金记录。" : "拨付率 = 已拨付 ÷ 已批复，截至\(report.asOf)。"
        let bySource = ReportSection(
            key: "funds_by_source", title: "资金使用情况（按来源）", columns: [.init("source", "资金来源")] + moneyColumns,
            rows: funds.bySource.filter { $0.budget > .zero }.map { line in
                [
                    ReportSection.Cell(line.source.chineseName, exact: line.source.rawValue), amount(line.budget), amount(line.allocated),
                    amount(line.disbursed), rate(line.disbursementRateBasisPoints),
                ]
            })
        var idle = ReportSection(
            key: "idle_allocations", title: "闲置资金（批复超过一年、拨付不足 30%）",
            columns: [
                .init("allocation", "批复编号"), .init("project", "项目"), .init("approved_on", "批复日期"),
                .init("allocated_yuan", "批复金额（\(unitName)）", .right), .init("disbursed_yuan", "已拨付（\(unitName)）", .right),
            ],
            rows: funds.idle.map { finding in
                [
                    ReportSection.Cell(finding.allocation ?? ""), ReportSection.Cell(finding.project ?? ""), ReportSection.Cell(finding.date ?? ""),
                    amount(Money(fen: finding.limitFen ?? 0)), amount(Money(fen: finding.amountFen ?? 0)),
                ]
            })
        if funds.idle.isEmpty { idle.note = "无。" }
        var audit = ReportSection(
            key: "audit_summary", title: "资金监管审计（按规则）",
            columns: [
                .init("rule", "规则"), .init("title", "名称"), .init("severity", "级别"), .init("findings", "问题数", .right),
            ],
            rows: funds.audit.map { line in
                [
                    ReportSection.Cell(line.rule), ReportSection.Cell(line.title),
                    ReportSection.Cell(line.severity.chineseName, exact: line.severity.rawValue), count(line.findings),
                ]
            })
        let total = funds.audit.reduce(0) { $0 + $1.findings }
        audit.note = "共 \(total) 项（截至\(report.asOf)，\(report.year)年度）。明细：registry audit run --year \(report.year) --as-of \(report.asOf)"
        let stopped = funds.auditResult.stoppedRules.keys.sorted()
        if !stopped.isEmpty {
            audit.note! += "。注意：规则 \(stopped.joined(separator: "、")) 超过时限未完成，其发现未计入。"
        }
        return [byFund, bySource, idle, audit] + registerSections(funds)
    }

    package var projectColumns: [ReportSection.Column] {
        [
            .init("rank", "序号", .right), .init("code", "项目编号"), .init("name", "项目名称"), .init("park", "园区"), .init("sector", "产业"),
            .init("signed_on", "签约日期"), .init("planned_investment_yuan", "计划总投资（\(unitName)）", .right), .init("stage", "阶段"),
        ]
    }

    package func projectRow(_ line: YearReport.ProjectLine, rank: Int) -> [ReportSection.Cell] {
        [
            count(rank), ReportSection.Cell(line.code), ReportSection.Cell(line.name), ReportSection.Cell(line.parkName),
            ReportSection.Cell(line.sectorName), ReportSection.Cell(line.signedOn.description), amount(line.investment),
            ReportSection.Cell(line.stage.chineseName, exact: line.stage.rawValue),
        ]
    }

    package func growth(_ basisPoints: Int64?) -> ReportSection.Cell {
        guard let basisPoints else { return ReportSection.Cell("—", exact: "") }
        return ReportSection.Cell((basisPoints > 0 ? "+" : "") + Percent.text(basisPoints: basisPoints), exact: Percent.ratio(basisPoints: basisPoints))
    }

    package func scopeLabel(_ scope: TargetScope) -> String {
        switch scope {
        case .all: "全部"
        case .level(let level): level.chineseName + "园区"
        case .park(let code): report.byPark.first { $0.key == code }?.label ?? code
        case .county(let name): name
        case .sector(let key): report.bySector.first { $0.key == key }?.label ?? key
        }
    }
}
