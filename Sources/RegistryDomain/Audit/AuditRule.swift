import RegistryStorage

/// How serious a finding is; `--fail-on` picks the lowest that fails a run.
public enum AuditSeverity: String, Choice, Comparable {
    case error, warning, info

    public var chineseName: String {
        switch self {
        case .error: "错误"
        case .warning: "警告"
        case .info: "提示"
        }
    }

    var rank: Int {
        switch self {
        case .error: 2
        case .warning: 1
        case .info: 0
        }
    }

    public static func < (lhs: AuditSeverity, rhs: AuditSeverity) -> Bool { lhs.rank < rhs.rank }
}

/// A named threshold of a rule, overridden with `--param name=value`.
public struct AuditParameter: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A whole number of days, 0 or more.
        case days
        /// A whole percentage, 0–100.
        case percent
        /// An amount (1亿, 500000万, 100000000.00); bound as fen.
        case amount
        /// A whole number (custom rules).
        case integer
    }

    /// As typed on the command line: `idle-days`. In SQL: `:idle_days`.
    public let name: String
    public let kind: Kind
    /// The default, in the bound form (days, percent, fen or number).
    public let defaultValue: Int64
    public let help: String

    public var sqlName: String { name.replacingOccurrences(of: "-", with: "_") }

    /// The value as people write it: `30`, `30%`, `1.00亿元`.
    public func shown(_ value: Int64) -> String {
        switch kind {
        case .days: "\(value) 天"
        case .percent: "\(value)%"
        case .amount: Money(fen: value).formatted()
        case .integer: String(value)
        }
    }

    /// Reads a value typed for this parameter.
    func parse(_ text: String) throws -> Int64 {
        let field = "param \(name)"
        switch kind {
        case .amount:
            return try Money.parse(text, field: field).fen
        case .days, .percent, .integer:
            var trimmed = TextNormalization.halfwidthTrimmed(text)
            if kind == .percent, trimmed.hasSuffix("%") { trimmed.removeLast() }
            if kind == .days, trimmed.hasSuffix("天") { trimmed.removeLast() }
            let range: ClosedRange<Int64> = kind == .percent ? 0...100 : kind == .days ? 0...36_500 : Int64.min...Int64.max
            guard let value = Int64(trimmed.trimmingWhitespace()), range.contains(value) else {
                let accepted =
                    kind == .percent ? "a whole percentage from 0 to 100" : kind == .days ? "a whole number of days from 0 to 36500" : "a whole number"
                throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not accepted; accepted: \(accepted)")
            }
            return value
        }
    }
}

/// One named check that auditors can rerun: a single SELECT over the
/// registry that returns the standard finding columns (see `AuditFinding`).
public struct AuditRule: Sendable {
    public let id: String
    /// The severity of its findings (a row may say `error` instead, as a
    /// voucher number used twice does in `duplicate-payment`).
    public let severity: AuditSeverity
    public let titleZh: String
    public let titleEn: String
    public let explanation: String
    public let parameters: [AuditParameter]
    public let sql: String
    /// The file a custom rule came from; nil for the built-in catalogue.
    public let file: String?
    /// Where some findings take another severity than `severity`.
    public var severityNote: String? = nil

    /// The columns a rule's SELECT may return; `reason` is required.
    public static let findingColumns = [
        "severity", "fund", "allocation", "disbursement", "project", "payee",
        "amount_fen", "limit_fen", "date", "reason",
    ]

    /// Parameters every rule may use, bound by the auditor for each run.
    public static let runParameters = [
        "as_of": "the as-of date (YYYY-MM-DD): records dated after it are not yet on the books",
        "from": "first date of the audited year (0001-01-01 when no year is audited)",
        "through": "last date of the audited year (9999-12-31 when no year is audited)",
        "first_year": "the audited year as a number (0 when no year is audited)",
        "last_year": "the audited year as a number (9999 when no year is audited)",
    ]
}

/// One thing a rule found, naming the records, amounts and dates involved.
public struct AuditFinding: Sendable, Equatable {
    public let rule: String
    public let severity: AuditSeverity
    public let fund: String?
    public let allocation: String?
    public let disbursement: String?
    public let project: String?
    public let payee: String?
    /// The amount found (a total paid, a payment), in fen.
    public let amountFen: Int64?
    /// What it was compared with (the allocation, the budget, the cap), in fen.
    public let limitFen: Int64?
    public let date: String?
    public let reason: String

    /// The records named, for a table cell: `SZ-ASSIST-2025 / A-HQ-2025-0001 / D-HQ-2025-000003`.
    public var records: String {
        [fund, allocation, disbursement, project].compactMap { $0 }.joined(separator: " / ")
    }
}
