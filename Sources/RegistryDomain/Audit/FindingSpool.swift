import RegistryStorage

/// An audit's findings, held on disk rather than in memory: a private
/// temporary SQLite database (deleted when closed) that SQLite pages out
/// beyond a small cache. Findings go in as each rule yields them and come
/// out in the audit's order (most severe first, then catalogue order, then
/// by date, records and payee), as many times as asked, one at a time.
///
/// Read from the thread that ran the audit only.
final class FindingSpool: @unchecked Sendable {
    private let db: Database
    private let insert: Statement
    /// Findings per rule and severity, counted on the way in.
    private(set) var tally: [String: [AuditSeverity: Int]] = [:]

    init() throws {
        db = try Database(path: "", mode: .create, walJournal: false)
        try db.executeScript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE finding (
                rank INTEGER, rule_order INTEGER, date TEXT, records TEXT,
                rule TEXT, severity TEXT, fund TEXT, allocation TEXT, disbursement TEXT, project TEXT,
                payee TEXT, amount_fen INTEGER, limit_fen INTEGER, reason TEXT
            );
            """)
        insert = try db.prepare("INSERT INTO finding VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    }

    func add(_ finding: AuditFinding, ruleOrder: Int) throws {
        func text(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
        try insert.bind([
            .integer(Int64(-finding.severity.rank)), .integer(Int64(ruleOrder)), .text(finding.date ?? ""),
            .text(finding.records + "|" + (finding.payee ?? "")), .text(finding.rule), .text(finding.severity.rawValue),
            text(finding.fund), text(finding.allocation), text(finding.disbursement), text(finding.project), text(finding.payee),
            finding.amountFen.map { .integer($0) } ?? .null, finding.limitFen.map { .integer($0) } ?? .null, .text(finding.reason),
        ])
        _ = try insert.step()
        insert.reset()
        tally[finding.rule, default: [:]][finding.severity, default: 0] += 1
    }

    /// Findings counted but not kept (`AuditRequest.countOnly`).
    func addCount(rule: String, severity: AuditSeverity, count: Int) {
        guard count > 0 else { return }
        tally[rule, default: [:]][severity, default: 0] += count
    }

    /// Every finding (of one rule, if given), in the audit's order.
    func forEach(rule: String? = nil, _ body: (AuditFinding) throws -> Void) throws {
        try db.forEachRow(
            """
            SELECT rule, severity, fund, allocation, disbursement, project, payee, amount_fen, limit_fen, date, reason
            FROM finding WHERE ?1 IS NULL OR rule = ?1 ORDER BY rank, rule_order, date, records
            """, [rule.map { .text($0) } ?? .null]
        ) { row in
            let date: String = try row.get("date")
            try body(
                AuditFinding(
                    rule: try row.get("rule"), severity: AuditSeverity(rawValue: try row.get("severity")) ?? .info,
                    fund: try row.get("fund"), allocation: try row.get("allocation"), disbursement: try row.get("disbursement"),
                    project: try row.get("project"), payee: try row.get("payee"), amountFen: try row.get("amount_fen"),
                    limitFen: try row.get("limit_fen"), date: date.isEmpty ? nil : date, reason: try row.get("reason")))
        }
    }
}
