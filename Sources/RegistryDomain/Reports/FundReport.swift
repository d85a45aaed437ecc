import RegistryStorage

/// The year-end report's funds section: each fund of the year with what was
/// allocated and paid by the as-of date, the same by source, the idle
/// allocations, and what the audit catalogue finds for the year.
public struct FundReport: Sendable {
    public struct SourceLine: Sendable, Equatable {
        public let source: FundSource
        public var budget = Money.zero
        public var allocated = Money.zero
        public var disbursed = Money.zero

        public var disbursementRateBasisPoints: Int64? {
            Percent.basisPoints(disbursed.fen, of: allocated.fen)
        }
    }

    /// Findings of one rule, by severity (a rule may report two severities).
    public struct AuditLine: Sendable, Equatable {
        public let rule: AuditRule.ID
        public let title: String
        public let severity: AuditSeverity
        public let findings: Int
    }

    public let funds: [FundSummary]
    public let bySource: [SourceLine]
    /// The `idle-allocation` findings.
    public let idle: [AuditFinding]
    /// Every rule of the catalogue, with its count of findings (zero too).
    public let audit: [AuditLine]
    /// The audit itself: its counts, stopped rules and idle allocations (the
    /// other rules' findings are counted only, see `AuditRequest.countOnly`).
    public let auditResult: AuditResult
    /// The findings register of the year (`audit run --record`): counts by
    /// status and the open ones by age; nil before migration 0009.
    public var register: FindingSummary? = nil

    /// Reads on `db`, in the caller's read transaction: the year-end report's
    /// snapshot, so that its data version covers these figures too.
    static func build(on db: Database, year: Int, asOf: ISODate) throws -> FundReport {
        let funds = try FundSummary.all(year: year, asOf: asOf, in: db)
        let bySource = FundSource.allCases.map { source in
            var line = SourceLine(source: source)
            for summary in funds where summary.fund.source == source {
                line.budget = Money(fen: line.budget.fen + summary.fund.budget.fen)
                line.allocated = Money(fen: line.allocated.fen + summary.allocated.fen)
                line.disbursed = Money(fen: line.disbursed.fen + summary.disbursed.fen)
            }
            return line
        }
        // The report's audit summary counts findings; the report's data
        // version is vouched for by `verify` (which runs integrity_check), so
        // the summary does not repeat that check on every report.
        var request = AuditRequest(year: year, asOf: asOf)
        request.integrityCheck = .never
        // The summary shows counts; only the idle allocations are listed.
        request.countOnly = Set(BuiltinRules.all.map(\.id)).subtracting(["idle-allocation"])
        let result = try Auditor(connection: .shared(db), request: request, today: asOf).run()
        var audit: [AuditLine] = []
        for rule in result.rules {
            let counts = AuditSeverity.allCases.map { (severity: $0, count: result.count(rule: rule.id, severity: $0)) }
            let none = counts.allSatisfy { $0.count == 0 }
            for (severity, count) in counts where count > 0 || (none && severity == rule.severity) {
                audit.append(AuditLine(rule: rule.id, title: rule.titleZh, severity: severity, findings: count))
            }
        }
        var report = FundReport(funds: funds, bySource: bySource, idle: result.findings(of: "idle-allocation"), audit: audit, auditResult: result)
        report.register = try FindingSummary.read(year: year, asOf: asOf, in: db)
        return report
    }
}

extension AuditRule {
    public typealias ID = String
}
