/// The catalogue's rules about payments themselves: repeated and split
/// payments, payees, cancelled projects, subsidy caps, dates and fund years.
extension BuiltinRules {
    static let duplicatePayment = AuditRule(
        id: "duplicate-payment", severity: .warning,
        titleZh: "疑似重复付款", titleEn: "Possible duplicate payment",
        explanation: "Two payments to the same payee of the same amount within the window (warning), or one voucher number used for two payments (error).",
        parameters: [
            AuditParameter(
                name: "duplicate-window-days", kind: .days, defaultValue: 30,
                help: "payments this many days apart or fewer count as duplicates")
        ],
        // Consecutive payments of one payee and amount, in date order: a pair
        // within the window exists exactly when two consecutive ones are. Most
        // payee-and-amount pairs occur once, so those that repeat are found
        // first (a streaming GROUP BY over the covering index disbursement_payee_amount),
        // and only their payments go through the window function.
        sql: """
            WITH repeated AS (
                SELECT payee_uscc, amount_fen FROM disbursement WHERE paid_on <= :as_of
                GROUP BY payee_uscc, amount_fen HAVING count(*) > 1
            ), ordered AS (
                SELECT d.rowid AS r, d.paid_on,
                       lag(d.rowid) OVER same AS earlier_r, lag(d.paid_on) OVER same AS earlier_on
                FROM repeated AS g
                     CROSS JOIN disbursement AS d
                     ON d.payee_uscc = g.payee_uscc AND d.amount_fen = g.amount_fen AND d.paid_on <= :as_of
                WINDOW same AS (PARTITION BY d.payee_uscc, d.amount_fen ORDER BY d.paid_on, d.rowid)
            )
            SELECT 'warning' AS severity, a.fund_code AS fund, a.id AS allocation, d.id AS disbursement,
                   a.project_code AS project, d.payee_uscc AS payee, d.amount_fen AS amount_fen, d.paid_on AS date,
                   '与 ' || e.id || '（' || e.paid_on || '）同一收款单位、同一金额 ' || money(d.amount_fen)
                       || '，相隔 ' || CAST(julianday(o.paid_on) - julianday(o.earlier_on) AS INTEGER) || ' 天' AS reason
            FROM ordered AS o
                 CROSS JOIN disbursement AS d ON d.rowid = o.r
                 CROSS JOIN disbursement AS e ON e.rowid = o.earlier_r
                 CROSS JOIN allocation AS a ON a.id = d.allocation_id
            WHERE o.earlier_r IS NOT NULL
              AND julianday(o.paid_on) - julianday(o.earlier_on) <= :duplicate_window_days
              AND o.paid_on BETWEEN :from AND :through
            UNION ALL
            SELECT 'error' AS severity, a.fund_code, a.id, d.id, a.project_code, d.payee_uscc, d.amount_fen, d.paid_on,
                   '凭证号 ' || d.voucher || ' 已用于 ' || first.id || '（' || first.paid_on || '）'
            FROM (SELECT voucher, min(rowid) AS first_r FROM disbursement WHERE paid_on <= :as_of
                  GROUP BY voucher HAVING count(*) > 1) AS v
                 CROSS JOIN disbursement AS d ON d.voucher = v.voucher AND d.rowid <> v.first_r
                 CROSS JOIN disbursement AS first ON first.rowid = v.first_r
                 CROSS JOIN allocation AS a ON a.id = d.allocation_id
            WHERE d.paid_on <= :as_of AND d.paid_on BETWEEN :from AND :through
            """,
        file: nil, severityNote: "error for a voucher number used twice"
    )

    static let splitPayments = AuditRule(
        id: "split-payments", severity: .warning,
        titleZh: "疑似拆分付款", titleEn: "Possible split payments",
        explanation:
            "Two or more payments to one payee within the window, each under the approval threshold, together above it: a payment split to stay under the threshold. Reported once, at the payment that takes the total over.",
        parameters: [
            AuditParameter(
                name: "split-window-days", kind: .days, defaultValue: 30,
                help: "payments within this many days (inclusive) are added up"),
            AuditParameter(
                name: "split-threshold", kind: .amount, defaultValue: 50_000_000,
                help: "the approval threshold: payments under it that together exceed it are reported"),
        ],
        // The window sum runs over each payee's small payments in day order
        // (a RANGE frame over the day number); a finding is where the sum first
        // goes over the threshold, not every payment after it.
        sql: """
            WITH small AS (
                SELECT rowid AS r, payee_uscc, paid_on, amount_fen, CAST(julianday(paid_on) AS INTEGER) AS day
                FROM disbursement
                WHERE amount_fen < :split_threshold AND paid_on <= :as_of
            ), windowed AS (
                SELECT r, payee_uscc, paid_on, day,
                       sum(amount_fen) OVER recent AS total, count(*) OVER recent AS payments
                FROM small
                WINDOW recent AS (PARTITION BY payee_uscc ORDER BY day RANGE BETWEEN :split_window_days PRECEDING AND CURRENT ROW)
            ), crossings AS (
                SELECT *, lag(total) OVER (PARTITION BY payee_uscc ORDER BY day, r) AS earlier_total,
                       lag(day) OVER (PARTITION BY payee_uscc ORDER BY day, r) AS earlier_day
                FROM windowed
            )
            SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   c.payee_uscc AS payee, c.total AS amount_fen, :split_threshold AS limit_fen, c.paid_on AS date,
                   c.payments || ' 笔单笔低于 ' || money(:split_threshold) || ' 的付款在 ' || :split_window_days
                       || ' 天内合计 ' || money(c.total) || '，超过审批限额' AS reason
            FROM crossings AS c
                 CROSS JOIN disbursement AS d ON d.rowid = c.r
                 CROSS JOIN allocation AS a ON a.id = d.allocation_id
            WHERE c.payments >= 2 AND c.total > :split_threshold
              AND (c.earlier_total IS NULL OR c.earlier_total <= :split_threshold OR c.earlier_day < c.day - :split_window_days)
              AND c.paid_on BETWEEN :from AND :through
            """,
        file: nil
    )

    static let payeeNotRegistered = AuditRule(
        id: "payee-not-registered", severity: .warning,
        titleZh: "收款单位未登记或代码无效", titleEn: "Payee unknown to the registry, or its code invalid",
        explanation:
            "Payments went to a unified social credit code that no registered enterprise has, or that is not a valid code (GB 32100-2015 alphabet and check character). One finding per payee.",
        parameters: [],
        sql: """
            SELECT p.payee_uscc AS payee, p.total AS amount_fen, p.last_on AS date,
                   CASE WHEN uscc_valid(p.payee_uscc) THEN '收款单位代码未在本系统登记'
                        ELSE '收款单位代码无效（字符或校验位不符合 GB 32100-2015）' END
                       || '：' || p.payments || ' 笔付款，合计 ' || money(p.total) AS reason
            FROM (SELECT payee_uscc, count(*) AS payments, sum(amount_fen) AS total, max(paid_on) AS last_on
                  FROM disbursement
                  -- The unary + keeps the planner off the paid_on index, which would
                  -- read every row from the table; disbursement_payee covers the query.
                  WHERE +paid_on <= :as_of AND +paid_on BETWEEN :from AND :through
                  GROUP BY payee_uscc) AS p
            WHERE NOT EXISTS (SELECT 1 FROM enterprise AS e WHERE e.uscc = p.payee_uscc)
            """,
        file: nil
    )

    static let paymentToCancelledProject = AuditRule(
        id: "payment-to-cancelled-project", severity: .error,
        titleZh: "项目终止后付款", titleEn: "Payment to a project after its cancellation",
        explanation: "A payment dated after the project it is for was cancelled.",
        parameters: [],
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   d.payee_uscc AS payee, d.amount_fen AS amount_fen, d.paid_on AS date,
                   '项目已于 ' || s.entered_on || ' 终止，之后付款 ' || money(d.amount_fen) AS reason
            FROM allocation AS a
                 CROSS JOIN project_stage AS s ON s.project_code = a.project_code AND s.stage = 'cancelled'
                 CROSS JOIN disbursement AS d ON d.allocation_id = a.id AND d.paid_on > s.entered_on
            WHERE s.entered_on <= :as_of
              AND d.paid_on <= :as_of AND d.paid_on BETWEEN :from AND :through
            """,
        file: nil
    )

    static let subsidyCapExceeded = AuditRule(
        id: "subsidy-cap-exceeded", severity: .error,
        titleZh: "补助超过单个项目上限", titleEn: "Subsidy allocations to one project above the cap",
        explanation:
            "Allocations from subsidy funds to one project add up to more than the per-project cap (default 1亿元, the per-project maximum of Shenzhen's technological-transformation policy). Reported when one of them falls in the audited year.",
        parameters: [
            AuditParameter(
                name: "subsidy-cap", kind: .amount, defaultValue: 10_000_000_000,
                help: "the most that subsidy funds may allocate to one project")
        ],
        sql: """
            SELECT group_concat(DISTINCT a.fund_code) AS fund, a.project_code AS project,
                   sum(a.amount_fen) AS amount_fen, :subsidy_cap AS limit_fen, max(a.approved_on) AS date,
                   count(*) || ' 笔补助资金批复合计 ' || money(sum(a.amount_fen)) || '，超过单个项目上限 '
                       || money(:subsidy_cap) AS reason
            FROM fund AS f CROSS JOIN allocation AS a ON a.fund_code = f.code AND a.approved_on <= :as_of
            WHERE f.is_subsidy = 1
            GROUP BY a.project_code
            HAVING sum(a.amount_fen) > :subsidy_cap AND sum(a.approved_on BETWEEN :from AND :through) > 0
            """,
        file: nil
    )

    /// Each arm has one lower bound, `max(:as_of, the day before :from)`, so
    /// that the date index is searched from there: with two (`> :as_of` and
    /// `BETWEEN :from AND …`) SQLite may start at `:from` and read every
    /// project since 0001 (0.16 s at a million projects, for no finding).
    static let futureDated = AuditRule(
        id: "future-dated", severity: .error,
        titleZh: "日期晚于统计日", titleEn: "Date after the as-of date",
        explanation:
            "A project, stage change, allocation or payment is dated after the as-of date (today unless another is given): a typo, or a record entered before it happened.",
        parameters: [],
        sql: """
            SELECT NULL AS fund, NULL AS allocation, NULL AS disbursement, code AS project, NULL AS payee,
                   planned_investment_fen AS amount_fen, signed_on AS date, '签约日期 ' || signed_on || ' 晚于统计日 ' || :as_of AS reason
            FROM project WHERE signed_on > max(:as_of, date(:from, '-1 day')) AND signed_on <= :through
            UNION ALL
            SELECT NULL, NULL, NULL, project_code, NULL, NULL, entered_on, '阶段变更（' || stage || '）日期 ' || entered_on || ' 晚于统计日 ' || :as_of
            FROM project_stage
            WHERE entered_on > max(:as_of, date(:from, '-1 day')) AND entered_on <= :through AND stage <> 'signed'
            UNION ALL
            SELECT fund_code, id, NULL, project_code, NULL, amount_fen, approved_on, '批复日期 ' || approved_on || ' 晚于统计日 ' || :as_of
            FROM allocation WHERE approved_on > max(:as_of, date(:from, '-1 day')) AND approved_on <= :through
            UNION ALL
            SELECT a.fund_code, a.id, d.id, a.project_code, d.payee_uscc, d.amount_fen, d.paid_on,
                   '付款日期 ' || d.paid_on || ' 晚于统计日 ' || :as_of
            FROM disbursement AS d CROSS JOIN allocation AS a ON a.id = d.allocation_id
            WHERE d.paid_on > max(:as_of, date(:from, '-1 day')) AND d.paid_on <= :through
            """,
        file: nil
    )

    static let fundYearMismatch = AuditRule(
        id: "fund-year-mismatch", severity: .info,
        titleZh: "跨年度付款未注明结转", titleEn: "Payment outside the fund's year without carry-over",
        explanation: "A payment falls outside its fund's year and is not marked as carried over (结转).",
        parameters: [],
        sql: """
            SELECT f.code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   d.payee_uscc AS payee, d.amount_fen AS amount_fen, d.paid_on AS date,
                   f.year || ' 年度资金于 ' || d.paid_on || ' 付款，未注明结转' AS reason
            FROM fund AS f
                 CROSS JOIN allocation AS a ON a.fund_code = f.code
                 CROSS JOIN disbursement AS d ON d.allocation_id = a.id AND d.paid_on < f.year || '-01-01'
            WHERE d.carry_over = 0 AND d.paid_on <= :as_of AND d.paid_on BETWEEN :from AND :through
            UNION ALL
            SELECT f.code, a.id, d.id, a.project_code, d.payee_uscc, d.amount_fen, d.paid_on,
                   f.year || ' 年度资金于 ' || d.paid_on || ' 付款，未注明结转'
            FROM fund AS f
                 CROSS JOIN allocation AS a ON a.fund_code = f.code
                 CROSS JOIN disbursement AS d ON d.allocation_id = a.id AND d.paid_on > f.year || '-12-31'
            WHERE d.carry_over = 0 AND d.paid_on <= :as_of AND d.paid_on BETWEEN :from AND :through
            """,
        file: nil
    )
}
