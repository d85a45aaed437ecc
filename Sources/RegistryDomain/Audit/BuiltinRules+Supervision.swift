/// The supervision checks auditors asked for next (issue 19): payments to
/// individuals, to deregistered enterprises, above an enterprise's yearly cap,
/// outside the agreement, and projects that never started.
extension BuiltinRules {
    static let payeeIsIndividual = AuditRule(
        id: "payee-is-individual", severity: .warning,
        titleZh: "付款给个人", titleEn: "Payment to an individual",
        explanation:
            "A payment above the threshold went to an 18-digit resident identity number (GB 11643-1999, with a valid check digit and date of birth) instead of an organisation's unified social credit code.",
        parameters: [
            AuditParameter(
                name: "individual-threshold", kind: .amount, defaultValue: 5_000_000,
                help: "payments to an individual above this amount are reported")
        ],
        // The candidates come from the covering index disbursement_payee
        // (payee, date, amount: no table read), the shape first in SQLite's
        // own GLOB (six digits, a birth year 1… or 2…, …), so the check digit
        // is computed only for codes that could be identity numbers, and only
        // the few found are read from the table.
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   d.payee_uscc AS payee, d.amount_fen AS amount_fen, :individual_threshold AS limit_fen, d.paid_on AS date,
                   '收款方为居民身份证号（个人）' || coalesce('“' || d.payee_name || '”', '') || '，金额 ' || money(d.amount_fen)
                       || '，超过 ' || money(:individual_threshold) AS reason
            FROM (SELECT rowid AS r FROM disbursement INDEXED BY disbursement_payee
                  WHERE payee_uscc GLOB '[1-9][0-9][0-9][0-9][0-9][0-9][12][0-9][0-9][0-9][01][0-9][0-3][0-9][0-9][0-9][0-9][0-9X]'
                    AND amount_fen > :individual_threshold AND paid_on BETWEEN :from AND :through AND paid_on <= :as_of
                    AND resident_id_valid(payee_uscc)) AS m
                 CROSS JOIN disbursement AS d ON d.rowid = m.r
                 CROSS JOIN allocation AS a ON a.id = d.allocation_id
            """,
        file: nil
    )

    static let payeeDeregistered = AuditRule(
        id: "payee-deregistered", severity: .error,
        titleZh: "付款给注销、吊销或经营异常企业", titleEn: "Payment to a deregistered, revoked or abnormal enterprise",
        explanation:
            "A payment went to an enterprise whose registration status (enterprise status) was deregistered (注销), revoked (吊销) or abnormal (经营异常) on or before the payment date.",
        parameters: [],
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   d.payee_uscc AS payee, d.amount_fen AS amount_fen, d.paid_on AS date,
                   '收款企业自 ' || s.since || ' 起为'
                       || CASE s.status WHEN 'deregistered' THEN '注销' WHEN 'revoked' THEN '吊销' ELSE '经营异常' END
                       || '状态，' || d.paid_on || ' 仍付款 ' || money(d.amount_fen) AS reason
            FROM enterprise_status AS s CROSS JOIN disbursement AS d ON d.payee_uscc = s.uscc AND d.paid_on >= s.since
                 CROSS JOIN allocation AS a ON a.id = d.allocation_id
            WHERE s.status <> 'active' AND d.paid_on BETWEEN :from AND :through AND d.paid_on <= :as_of
            """,
        file: nil
    )

    static let enterpriseAnnualCap = AuditRule(
        id: "enterprise-annual-cap", severity: .error,
        titleZh: "单个企业年度补助超过上限", titleEn: "Subsidies to one enterprise in a year above the cap",
        explanation:
            "Payments from subsidy funds to one enterprise in one calendar year add up to more than the yearly cap. Date: the payment that crossed it.",
        parameters: [
            AuditParameter(
                name: "enterprise-annual-cap", kind: .amount, defaultValue: 5_000_000_000,
                help: "the most that subsidy funds may pay one enterprise in a year")
        ],
        // Running totals per payee and year, in date order (one window); the
        // first payment past the cap names the finding.
        sql: """
            SELECT fund, allocation, disbursement, project, payee, total AS amount_fen, :enterprise_annual_cap AS limit_fen, paid_on AS date,
                   substr(paid_on, 1, 4) || ' 年补助资金付款累计 ' || money(total) || '，超过单个企业年度上限 '
                       || money(:enterprise_annual_cap) AS reason
            FROM (SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                         d.payee_uscc AS payee, d.paid_on AS paid_on, d.amount_fen AS amount_fen,
                         sum(d.amount_fen) OVER (PARTITION BY d.payee_uscc, substr(d.paid_on, 1, 4)
                                                 ORDER BY d.paid_on, d.id ROWS UNBOUNDED PRECEDING) AS total
                  FROM fund AS f CROSS JOIN allocation AS a ON a.fund_code = f.code
                       CROSS JOIN disbursement AS d ON d.allocation_id = a.id AND d.paid_on <= :as_of
                  WHERE f.is_subsidy = 1)
            WHERE total > :enterprise_annual_cap AND total - amount_fen <= :enterprise_annual_cap
              AND paid_on BETWEEN :from AND :through
            """,
        file: nil
    )

    static let paymentOutsideAgreement = AuditRule(
        id: "payment-outside-agreement", severity: .warning,
        titleZh: "付款日期超出协议期限", titleEn: "Payment dated outside the allocation's agreement",
        explanation: "A payment is dated before the start or after the end of its allocation's agreement period (allocation period).",
        parameters: [],
        sql: """
            SELECT a.fund_code AS fund, a.id AS allocation, d.id AS disbursement, a.project_code AS project,
                   d.payee_uscc AS payee, d.amount_fen AS amount_fen, d.paid_on AS date,
                   '付款日期 ' || d.paid_on || CASE WHEN d.paid_on < p.starts_on THEN ' 早于协议开始日期 ' || p.starts_on
                                                     ELSE ' 晚于协议结束日期 ' || p.ends_on END AS reason
            FROM allocation_period AS p CROSS JOIN disbursement AS d ON d.allocation_id = p.allocation_id
                 CROSS JOIN allocation AS a ON a.id = p.allocation_id
            WHERE (d.paid_on < p.starts_on OR d.paid_on > p.ends_on)
              AND d.paid_on BETWEEN :from AND :through AND d.paid_on <= :as_of
            """,
        file: nil
    )

    static let staleProject = AuditRule(
        id: "stale-project", severity: .info,
        titleZh: "签约后长期未开工", titleEn: "Signed project that never started",
        explanation:
            "An investment project still only signed (签约) more than the given number of days after signing, with no stage change by the as-of date. Date: the day it became stale (signing plus the days), which puts it in an audited year.",
        parameters: [
            AuditParameter(name: "stale-days", kind: .days, defaultValue: 365, help: "a project signed longer ago than this and not started is reported")
        ],
        // The signing dates are a range of the project_signed_on index (the
        // stale date shifted back); a project still signed today needs no
        // look-up, one that moved on is checked as of the as-of date.
        sql: """
            SELECT p.code AS project, p.planned_investment_fen AS amount_fen, date(p.signed_on, '+' || :stale_days || ' days') AS date,
                   '签约于 ' || p.signed_on || '，至 ' || :as_of || ' 已 ' || CAST(julianday(:as_of) - julianday(p.signed_on) AS INTEGER)
                       || ' 天仍未开工（计划总投资 ' || money(p.planned_investment_fen) || '）' AS reason
            FROM project AS p
            WHERE p.signed_on < date(:as_of, '-' || :stale_days || ' days')
              AND p.signed_on BETWEEN date(:from, '-' || :stale_days || ' days') AND date(:through, '-' || :stale_days || ' days')
              AND p.kind = 'investment'
              AND (p.stage = 'signed'
                   OR NOT EXISTS (SELECT 1 FROM project_stage AS s
                                  WHERE s.project_code = p.code AND s.stage <> 'signed' AND s.entered_on <= :as_of))
            """,
        file: nil
    )
}
