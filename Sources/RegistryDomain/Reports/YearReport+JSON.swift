/// The report's JSON contract, which other programs script against: field
/// names are stable, money is integer fen, ratios are decimals (1.0400 = 104 %).
extension YearReport {
    public func json() -> String {
        func tally(_ tally: Tally) -> [(String, JSONValue)] {
            [("projects", .int(tally.projects)), ("planned_investment_fen", .integer(tally.investment.fen))]
        }
        func lines(_ lines: [Line], key: String, sector: Bool = false) -> JSONValue {
            .array(
                lines.map { line in
                    var fields: [(String, JSONValue)] = [(key, .string(line.key))]
                    if line.label != line.key { fields.append(("name", .string(line.label))) }
                    if sector { fields.append(("key_emerging", .bool(line.isKeyEmerging))) }
                    return .object(fields + tally(line.tally))
                })
        }
        func project(_ line: ProjectLine) -> JSONValue {
            var fields: [(String, JSONValue)] = [
                ("code", .string(line.code)), ("name", .string(line.name)), ("park", .string(line.parkName)),
                ("sector", .string(line.sectorName)), ("signed_on", .string(line.signedOn.description)),
                ("planned_investment_fen", .integer(line.investment.fen)), ("stage", .string(line.stage.rawValue)),
            ]
            if let cancelledOn = line.cancelledOn { fields.append(("cancelled_on", .string(cancelledOn.description))) }
            return .object(fields)
        }
        let ratio = Self.jsonRatio
        let document: JSONValue = .object([
            ("year", .int(year)),
            ("as_of", .string(asOf.description)),
            ("counted_through", .string(countedThrough.description)),
            ("counting_rule", .string(Self.countingRule)),
            ("change_log_head", logHead.map { .string($0.description) } ?? .null),
            (
                "sync_bundles",
                .array(
                    syncedBundles.map { bundle in
                        .object([
                            ("site", .string(bundle.sender)), ("bundle", .int(bundle.number)), ("changes_through", .int(Int(bundle.toSeq))),
                            ("sha256", .string(bundle.hash)), ("applied_at", .string(bundle.appliedAt)),
                        ])
                    })
            ),
            ("totals", .object(tally(totals))),
            (
                "targets",
                .array(
                    targets.map { result in
                        .object([
                            ("metric", .string(result.target.metric.rawValue)),
                            ("scope", .string(result.target.scope.description)),
                            ("target", .integer(result.target.value)),
                            ("pro_rata_target", .integer(result.proRataTarget.jsonValue)),
                            ("actual", .integer(result.actual.jsonValue)),
                            ("achievement", ratio(result.achievementBasisPoints)),
                            ("difference", .integer(result.difference.jsonValue)),
                            ("met", .bool(result.met)),
                            ("set_by", .string(result.target.setBy)),
                            ("set_at", .string(result.target.setAt)),
                        ])
                    })
            ),
            ("by_park_level", lines(byParkLevel, key: "level")),
            ("by_park", lines(byPark, key: "park")),
            ("by_county", lines(byCounty, key: "county")),
            ("by_sector", lines(bySector, key: "sector", sector: true)),
            ("by_quarter", lines(byQuarter, key: "quarter")),
            (
                "by_month",
                .array(
                    byMonth.filter(\.reported).map { month in
                        var fields: [(String, JSONValue)] = [("month", .string("\(year)-\(month.month < 10 ? "0" : "")\(month.month)"))]
                        fields += tally(month.tally)
                        fields += [
                            ("cumulative_projects", .int(month.cumulative.projects)),
                            ("cumulative_planned_investment_fen", .integer(month.cumulative.investment.fen)),
                        ]
                        if let target = month.proRataProjectsTarget { fields.append(("pro_rata_target_projects", .integer(target))) }
                        if let target = month.proRataInvestmentTarget { fields.append(("pro_rata_target_investment_fen", .integer(target.fen))) }
                        return .object(fields)
                    })
            ),
            ("by_stage", lines(byStage, key: "stage")),
            ("top_projects", .array(topProjects.map(project))),
            (
                "previous_year",
                .object(
                    [("year", .int(year - 1)), ("as_of", .string(previousAsOf.description))]
                        + tally(previousYear)
                        + [("projects_growth", ratio(projectGrowthBasisPoints)), ("investment_growth", ratio(investmentGrowthBasisPoints))])
            ),
            ("cancelled", .array(cancelled.map(project))),
            ("funds", funds.map(Self.json) ?? .null),
        ])
        return document.rendered() + "\n"
    }

    /// Basis points as a decimal ratio (1.0400 = 104 %), or null.
    static func jsonRatio(_ basisPoints: Int64?) -> JSONValue {
        basisPoints.map { .number(Percent.ratio(basisPoints: $0)) } ?? .null
    }

    /// Funds of the year (fen, as of the report's date) and the audit summary.
    static func json(_ funds: FundReport) -> JSONValue {
        let rate = jsonRatio
        return .object([
            (
                "by_fund",
                .array(
                    funds.funds.map { summary in
                        .object([
                            ("fund", .string(summary.fund.code)), ("name", .string(summary.fund.name)),
                            ("source", .string(summary.fund.source.rawValue)), ("subsidy", .bool(summary.fund.isSubsidy)),
                            ("budget_fen", .integer(summary.fund.budget.fen)), ("allocated_fen", .integer(summary.allocated.fen)),
                            ("disbursed_fen", .integer(summary.disbursed.fen)), ("disbursement_rate", rate(summary.disbursementRateBasisPoints)),
                        ])
                    })
            ),
            (
                "by_source",
                .array(
                    funds.bySource.map { line in
                        .object([
                            ("source", .string(line.source.rawValue)), ("budget_fen", .integer(line.budget.fen)),
                            ("allocated_fen", .integer(line.allocated.fen)), ("disbursed_fen", .integer(line.disbursed.fen)),
                            ("disbursement_rate", rate(line.disbursementRateBasisPoints)),
                        ])
                    })
            ),
            (
                "idle_allocations",
                .array(
                    funds.idle.map { finding in
                        .object([
                            ("allocation", finding.allocation.map { .string($0) } ?? .null), ("project", finding.project.map { .string($0) } ?? .null),
                            ("approved_on", finding.date.map { .string($0) } ?? .null),
                            ("allocated_fen", finding.limitFen.map { .integer($0) } ?? .null),
                            ("disbursed_fen", finding.amountFen.map { .integer($0) } ?? .null),
                        ])
                    })
            ),
            (
                "audit",
                .array(
                    funds.audit.map { line in
                        .object([("rule", .string(line.rule)), ("severity", .string(line.severity.rawValue)), ("findings", .int(line.findings))])
                    })
            ),
            (
                "findings_register",
                funds.register.map { register in
                    .object([
                        ("by_status", .object(register.byStatus.map { ($0.status.rawValue, .int($0.count)) })),
                        ("open_by_age", .array(register.openByAge.map { .object([("days", .string($0.label)), ("findings", .int($0.count))]) })),
                    ])
                } ?? .null
            ),
        ])
    }
}
