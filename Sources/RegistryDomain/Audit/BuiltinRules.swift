/// The built-in audit catalogue. Every rule is one SELECT that returns the
/// finding columns (`AuditRule.findingColumns`), so what a rule checks can be
/// read (`registry audit rules --sql`) and rerun by hand.
///
/// All rules look only at records dated on or before `:as_of` (what was on the
/// books that day); `future-dated` reports the rest. `:from`/`:through` narrow
/// a rule to the audited year by its main date.
///
/// Cost: each rule is one pass over an index from migration 0004 (or a range
/// of one, per allocation), plus a sort for the two window rules, so none is
/// worse than O(n log n). `CROSS JOIN` fixes the join order where the planner
/// would otherwise drive a join from the large table with a look-up per row.
/// `money(fen)`, `uscc_valid(code)` and `resident_id_valid(code)` are SQL
/// functions the auditor defines.
public enum BuiltinRules {
    public static let all: [AuditRule] = [
        overDisbursedAllocation, overAllocatedFund, paidBeforeApproval, missingApprovalDocument,
        duplicatePayment, splitPayments, idleAllocation, payeeNotRegistered, paymentToCancelledProject,
        subsidyCapExceeded, futureDated, fundYearMismatch,
        payeeIsIndividual, payeeDeregistered, enterpriseAnnualCap, paymentOutsideAgreement, staleProject,
    ]

    static let overDisbursedAllocation = AuditRule(
        id: "over-disbursed-allocation", severity: .error,
        titleZh: "拨付超过批复金额", titleEn: "Disbursements exceed the allocation",
        explanation: "An allocation's payments (up to the as-of date) add up to more than the approved amount. Date: the last payment counted.",
        parameters: [],
        // The payments are added up first, in one pass over the covering index
        // disbursement_allocation (already in allocation order, so no sort);
        // only then is each total matched with its allocation.
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, a.project_code AS project,
                   t.paid AS amount_fen, a.amount_fen AS limit_fen, t.last_on AS date,
                   t.payments || ' 笔拨付合计 ' || money(t.paid) || '，超过批复金额 ' || money(a.amount_fen)
                       || '，超出 ' || money(t.paid - a.amount_fen) AS reason
            FROM (SELECT allocation_id, sum(amount_fen) AS paid, count(*) AS payments, max(paid_on) AS last_on
                  FROM disbursement WHERE paid_on <= :as_of GROUP BY allocation_id) AS t
                 CROSS JOIN allocation AS a ON a.id = t.allocation_id
            WHERE t.paid > a.amount_fen AND a.approved_on BETWEEN :from AND :through
            """,
        file: nil
    )

    static let overAllocatedFund = AuditRule(
        id: "over-allocated-fund", severity: .error,
        titleZh: "批复超过资金预算", titleEn: "Allocations exceed the fund's budget",
        explanation: "The allocations approved from a fund (up to the as-of date) add up to more than its budget. Date: the last approval counted.",
        parameters: [],
        sql: """
            SELECT f.code AS fund, sum(a.amount_fen) AS amount_fen, f.budget_fen AS limit_fen, max(a.approved_on) AS date,
                   count(*) || ' 笔批复合计 ' || money(sum(a.amount_fen)) || '，超过资金预算 ' || money(f.budget_fen)
                       || '，超出 ' || money(sum(a.amount_fen) - f.budget_fen) AS reason
            FROM fund AS f CROSS JOIN allocation AS a ON a.fund_code = f.code AND a.approved_on <= :as_of
            WHERE f.year BETWEEN :first_year AND :last_year
            GROUP BY f.code
            HAVING sum(a.amount_fen) > f.budget_fen
            """,
        file: nil
    )

    static let paidBeforeApproval = AuditRule(
        id: "paid-before-approval", severity: .error,
        titleZh: "批复前付款", titleEn: "Payment dated before its approval",
        explanation: "A disbursement is dated before the approval of the allocation it is paid from.",
        parameters: [],
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   d.payee_uscc AS payee, d.amount_fen AS amount_fen, a.amount_fen AS limit_fen, d.paid_on AS date,
                   '付款日期 ' || d.paid_on || ' 早于批复日期 ' || a.approved_on
                       || '（早 ' || CAST(julianday(a.approved_on) - julianday(d.paid_on) AS INTEGER) || ' 天）' AS reason
            FROM allocation AS a CROSS JOIN disbursement AS d ON d.allocation_id = a.id AND d.paid_on < a.approved_on
            WHERE d.paid_on BETWEEN :from AND :through AND d.paid_on <= :as_of
            """,
        file: nil
    )

    static let missingApprovalDocument = AuditRule(
        id: "missing-approval-document", severity: .warning,
        titleZh: "缺少批复文号", titleEn: "Allocation without an approval document number",
        explanation: "An allocation has no approval document number (批复文号), so the decision behind it cannot be traced.",
        parameters: [],
        sql: """
            SELECT fund_code AS fund, id AS allocation, project_code AS project, amount_fen AS amount_fen,
                   approved_on AS date, '批复金额 ' || money(amount_fen) || ' 无批复文号' AS reason
            FROM allocation
            WHERE approval_doc IS NULL AND approved_on BETWEEN :from AND :through AND approved_on <= :as_of
            """,
        file: nil
    )

    static let idleAllocation = AuditRule(
        id: "idle-allocation", severity: .warning,
        titleZh: "资金闲置", titleEn: "Idle allocation",
        explanation:
            "Approved more than the given number of days before the as-of date, with less than the given share paid out by then. Idle money is a state as of the as-of date, so the audited year does not narrow this rule.",
        parameters: [
            AuditParameter(
                name: "idle-days", kind: .days, defaultValue: 365,
                help: "an allocation approved more than this many days before the as-of date may be idle"),
            AuditParameter(
                name: "idle-min-disbursed-percent", kind: .percent, defaultValue: 30,
                help: "idle when less than this share of it has been paid"),
        ],
        // As over-disbursed-allocation: totals first (one pass over the covering
        // index), then the allocations old enough, each matched with its total.
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, a.project_code AS project,
                   coalesce(t.paid, 0) AS amount_fen, a.amount_fen AS limit_fen, a.approved_on AS date,
                   '批复 ' || CAST(julianday(:as_of) - julianday(a.approved_on) AS INTEGER) || ' 天，仅拨付 '
                       || money(coalesce(t.paid, 0)) || ' / ' || money(a.amount_fen)
                       || '（低于 ' || :idle_min_disbursed_percent || '%）' AS reason
            FROM allocation AS a
                 LEFT JOIN (SELECT allocation_id, sum(amount_fen) AS paid
                            FROM disbursement WHERE paid_on <= :as_of GROUP BY allocation_id) AS t
                 ON t.allocation_id = a.id
            WHERE a.approved_on < date(:as_of, '-' || :idle_days || ' days')
              AND coalesce(t.paid, 0) * 100 < :idle_min_disbursed_percent * a.amount_fen
            """,
        file: nil
    )
}
