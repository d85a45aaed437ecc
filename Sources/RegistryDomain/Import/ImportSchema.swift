/// What an import file holds.
public enum ImportKind: String, CaseIterable, Sendable {
    case parks, enterprises, projects, funds, allocations, disbursements

    /// The tables an import of this kind writes, the main one first.
    var tables: [String] {
        switch self {
        case .parks: ["park"]
        case .enterprises: ["enterprise"]
        case .projects: ["project", "project_stage"]
        case .funds: ["fund"]
        case .allocations: ["allocation"]
        case .disbursements: ["disbursement"]
        }
    }

    /// The columns of this kind: canonical English name, the Chinese headers
    /// staff actually use, and whether a file must have the column.
    public var columns: [ImportColumn] {
        switch self {
        case .parks:
            [
                ImportColumn("code", ["园区编号", "园区代码"], required: true),
                ImportColumn("name", ["园区名称"], required: true),
                ImportColumn("level", ["级别", "园区级别"], required: true),
                ImportColumn("county", ["所在县区", "县区"], required: true),
                ImportColumn("notes", ["备注"]),
            ]
        case .enterprises:
            [
                ImportColumn("uscc", ["统一社会信用代码", "信用代码"], required: true),
                ImportColumn("name", ["企业名称"], required: true),
                ImportColumn("city", ["所在城市", "城市"]),
                ImportColumn("notes", ["备注"]),
            ]
        case .projects:
            [
                ImportColumn("code", ["项目编号", "项目代码"], required: true),
                ImportColumn("name", ["项目名称"], required: true),
                ImportColumn("kind", ["项目类型"]),
                ImportColumn("park", ["园区", "所属园区"]),
                ImportColumn("enterprise", ["企业", "投资企业", "统一社会信用代码"]),
                ImportColumn("sector", ["行业", "产业", "所属行业"]),
                ImportColumn("planned_investment", ["计划投资", "计划总投资", "总投资"], required: true, isMoney: true),
                ImportColumn("signed_on", ["签约日期", "签约时间"], required: true),
                ImportColumn("stage", ["阶段", "项目状态"]),
                ImportColumn("notes", ["备注"]),
            ]
        case .funds:
            [
                ImportColumn("code", ["资金编号", "资金代码"], required: true),
                ImportColumn("name", ["资金名称"], required: true),
                ImportColumn("source", ["资金来源", "来源"], required: true),
                ImportColumn("year", ["年度", "资金年度"], required: true),
                ImportColumn("budget", ["预算", "预算金额", "资金规模", "资金总额"], required: true, isMoney: true),
                ImportColumn("subsidy", ["补助资金", "是否补助资金"]),
                ImportColumn("notes", ["备注"]),
            ]
        case .allocations:
            [
                ImportColumn("id", ["批复编号", "拨款编号"]),
                ImportColumn("fund", ["资金编号", "资金名称"], required: true),
                ImportColumn("project", ["项目编号", "项目代码"], required: true),
                ImportColumn("amount", ["批复金额", "安排金额"], required: true, isMoney: true),
                ImportColumn("approved_on", ["批复日期", "批复时间"], required: true),
                ImportColumn("approval_doc", ["批复文号", "文号"]),
                ImportColumn("notes", ["备注"]),
            ]
        case .disbursements:
            [
                ImportColumn("id", ["拨付编号", "付款编号"]),
                ImportColumn("allocation", ["批复编号", "拨款编号"], required: true),
                ImportColumn("amount", ["拨付金额", "付款金额"], required: true, isMoney: true),
                ImportColumn("paid_on", ["拨付日期", "付款日期"], required: true),
                ImportColumn("payee", ["收款单位", "收款单位代码", "收款单位统一社会信用代码"], required: true),
                ImportColumn("payee_name", ["收款单位名称", "户名"]),
                ImportColumn("voucher", ["凭证号", "凭证编号"], required: true),
                ImportColumn("purpose", ["用途", "资金用途"]),
                ImportColumn("carry_over", ["结转", "是否结转"]),
            ]
        }
    }

    /// The key column, for duplicate messages.
    var keyField: String {
        switch self {
        case .enterprises: "uscc"
        case .allocations, .disbursements: "id"
        default: "code"
        }
    }
}

public struct ImportColumn: Sendable {
    public let field: String
    public let aliases: [String]
    public let required: Bool
    public let isMoney: Bool

    init(_ field: String, _ aliases: [String], required: Bool = false, isMoney: Bool = false) {
        self.field = field
        self.aliases = aliases
        self.required = required
        self.isMoney = isMoney
    }

    /// `code (项目编号, 项目代码)`, for messages that list accepted headers.
    var accepted: String { "\(field) (\(aliases.joined(separator: ", ")))" }
}

/// A file's header row mapped onto a kind's columns.
public struct ImportHeader: Sendable {
    /// Column index in the file for each canonical field present.
    public let indexes: [String: Int]
    /// The header as written in the file, for each canonical field (for messages).
    public let titles: [String: String]
    /// The unit a header sets for bare numbers in its column (`计划总投资（万元）`).
    public let units: [String: Money.Unit]

    /// Maps `titles` onto `kind`'s columns.
    ///
    /// - throws: `ValidationError` naming an unknown, repeated or missing column
    ///   and listing the accepted headers; nothing has been read past the header.
    public init(_ titles: [String], kind: ImportKind) throws {
        var indexes: [String: Int] = [:]
        var written: [String: String] = [:]
        var units: [String: Money.Unit] = [:]
        let accepted = kind.columns.map(\.accepted).joined(separator: "; ")
        for (index, raw) in titles.enumerated() {
            let title = TextNormalization.halfwidthTrimmed(raw)
            if title.isEmpty, titles.count > 1 {
                throw ValidationError(field: "header", value: "", reason: "column \(index + 1) has no name; accepted headers: \(accepted)")
            }
            guard let (column, unit) = Self.match(title, in: kind) else {
                throw ValidationError(field: "header", value: raw, reason: "is not a column of \(kind.rawValue); accepted headers: \(accepted)")
            }
            if let earlier = written[column.field] {
                throw ValidationError(
                    field: "header", value: raw, reason: "names the same column as \"\(earlier)\" (\(column.field)); each column may appear once")
            }
            indexes[column.field] = index
            written[column.field] = raw
            if let unit { units[column.field] = unit }
        }
        for column in kind.columns where column.required && indexes[column.field] == nil {
            throw ValidationError(
                field: "header", value: titles.joined(separator: ","), reason: "lacks the required column \(column.accepted); accepted headers: \(accepted)")
        }
        self.indexes = indexes
        self.titles = written
        self.units = units
    }

    /// The column a header names, and the unit in brackets after a money column's name.
    static func match(_ title: String, in kind: ImportKind) -> (ImportColumn, Money.Unit?)? {
        let lowered = title.lowercased()
        if let column = kind.columns.first(where: { $0.field == lowered || $0.aliases.contains(title) }) {
            return (column, nil)
        }
        // A unit in brackets, full- or half-width: 计划总投资（万元）, planned_investment (亿元).
        // (Fullwidth brackets were folded to ASCII by halfwidthTrimmed.)
        guard title.hasSuffix(")"), let open = title.lastIndex(of: "(") else { return nil }
        let name = String(title[..<open]).trimmingWhitespace()
        let unitText = String(title[title.index(after: open)..<title.index(before: title.endIndex)]).trimmingWhitespace()
        let units: [String: Money.Unit] = ["元": .yuan, "万元": .wan, "万": .wan, "亿元": .yi, "亿": .yi]
        guard let unit = units[unitText],
            let column = kind.columns.first(where: { $0.isMoney && ($0.field == name.lowercased() || $0.aliases.contains(name)) })
        else {
            return nil
        }
        return (column, unit)
    }

    /// The value of `field` in a record; nil when the file has no such column.
    /// A short row (fewer fields than the header) reads as empty. A cell that
    /// export guarded against formula injection gets its text back.
    func value(_ field: String, in fields: [String]) -> String? {
        guard let index = indexes[field] else { return nil }
        return index < fields.count ? SpreadsheetText.restored(fields[index]) : ""
    }

    /// The header to name in a message about `field`.
    func title(_ field: String) -> String { titles[field] ?? field }
}
