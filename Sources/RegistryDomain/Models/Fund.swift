import RegistryStorage

/// Where a fund's money comes from.
public enum FundSource: String, Choice {
    case shenzhenAssistance = "shenzhen-assistance"
    case parkFund = "park-fund"
    case provincialSubsidy = "provincial-subsidy"
    case other

    public var chineseName: String {
        switch self {
        case .shenzhenAssistance: "深圳对口帮扶资金"
        case .parkFund: "园区专项资金"
        case .provincialSubsidy: "省级补助资金"
        case .other: "其他资金"
        }
    }

    public var aliases: [String] {
        switch self {
        case .shenzhenAssistance: ["帮扶资金", "对口帮扶资金", "深圳帮扶资金"]
        case .parkFund: ["园区资金", "园区基金"]
        case .provincialSubsidy: ["省补助", "省级补助", "省级资金"]
        case .other: ["其他"]
        }
    }
}

/// A fund of a year: a budget that allocations draw on.
public struct Fund: Equatable, Sendable {
    public var code: String
    public var name: String
    public var source: FundSource
    public var year: Int
    public var budget: Money
    /// A subsidy fund: its allocations to one project are capped (audit rule
    /// `subsidy-cap-exceeded`).
    public var isSubsidy: Bool
    public var notes: String?
}

/// A fund as typed by staff (`fund add`, a row of `import funds`).
public struct FundFields: Sendable {
    public var code: String?
    public var name: String?
    public var source: String?
    public var year: String?
    public var budget: String?
    public var budgetUnit: Money.Unit
    public var isSubsidy: String?
    public var notes: String?

    public init(
        code: String? = nil, name: String? = nil, source: String? = nil, year: String? = nil,
        budget: String? = nil, budgetUnit: Money.Unit = .yuan, isSubsidy: String? = nil, notes: String? = nil
    ) {
        self.code = code
        self.name = name
        self.source = source
        self.year = year
        self.budget = budget
        self.budgetUnit = budgetUnit
        self.isSubsidy = isSubsidy
        self.notes = notes
    }
}

extension Fund {
    public init(validating fields: FundFields) throws {
        var checks = FieldChecks()
        let code = try checks.check { try RecordKey.parse(try required(fields.code, "code"), field: "code", example: "SZ-ASSIST-2025") }
        let name = try checks.check { try FieldText.required(try required(fields.name, "name"), field: "name") }
        let source = try checks.check { try FundSource.parse(try required(fields.source, "source"), field: "source") }
        let year = try checks.check { try Year.parse(try required(fields.year, "year")) }
        let budget = try checks.check { try Money.positive(try required(fields.budget, "budget"), field: "budget", bareUnit: fields.budgetUnit) }
        let subsidy = try checks.check { try YesNo.parse(fields.isSubsidy, field: "subsidy") }
        let notes = try checks.check { try FieldText.notes(fields.notes) }
        try checks.throwIfAny()
        self.init(code: code!, name: name!, source: source!, year: year!, budget: budget!, isSubsidy: subsidy!, notes: notes!)
    }

    /// This fund with the given fields changed; the code never changes.
    public func applying(_ fields: FundFields) throws -> Fund {
        var fund = self
        var checks = FieldChecks()
        if let name = fields.name, let value = try checks.check({ try FieldText.required(name, field: "name") }) { fund.name = value }
        if let source = fields.source, let value = try checks.check({ try FundSource.parse(source, field: "source") }) { fund.source = value }
        if let year = fields.year, let value = try checks.check({ try Year.parse(year) }) { fund.year = value }
        if let budget = fields.budget, let value = try checks.check({ try Money.positive(budget, field: "budget", bareUnit: fields.budgetUnit) }) {
            fund.budget = value
        }
        if fields.isSubsidy != nil, let value = try checks.check({ try YesNo.parse(fields.isSubsidy, field: "subsidy") }) { fund.isSubsidy = value }
        if let notes = fields.notes, let value = try checks.check({ try FieldText.notes(notes) }) { fund.notes = value }
        try checks.throwIfAny()
        return fund
    }
}

extension Fund: StoredRecord {
    static let table = TableSchema(
        name: "fund", primaryKey: ["code"],
        columns: ["code", "name", "source", "year", "budget_fen", "is_subsidy", "notes"])

    var key: [SQLValue] { [.text(code)] }

    var values: [SQLValue] {
        [
            .text(code), .text(name), .text(source.rawValue), .integer(Int64(year)), .integer(budget.fen),
            .integer(isSubsidy ? 1 : 0), notes.sqlValue,
        ]
    }

    init(row: Row) throws {
        self.init(
            code: try row.get("code"), name: try row.get("name"), source: try FundSource.stored(try row.get("source")),
            year: try row.get("year"), budget: Money(fen: try row.get("budget_fen")),
            isSubsidy: try row.get("is_subsidy"), notes: try row.get("notes")
        )
    }
}

/// A yes/no cell: `yes`/`no`, `1`/`0`, `true`/`false`, 是/否; empty or absent is no.
enum YesNo {
    static func parse(_ text: String?, field: String) throws -> Bool {
        guard let text else { return false }
        switch TextNormalization.halfwidthTrimmed(text).lowercased() {
        case "", "no", "n", "0", "false", "否", "不是", "无": return false
        case "yes", "y", "1", "true", "是", "有": return true
        default:
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not yes or no; accepted: yes|no, 1|0, true|false, 是|否")
        }
    }
}

extension Money {
    /// An amount that must be more than zero (a budget, an allocation, a payment).
    static func positive(_ text: String, field: String, bareUnit: Unit = .yuan) throws -> Money {
        let amount = try parse(text, field: field, bareUnit: bareUnit)
        guard amount.fen > 0 else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is zero; the amount must be more than zero")
        }
        return amount
    }
}

extension Fund {
    /// Funds: kept in sheets; frozen with their year.
    static let entity = Entity(
        table: table,
        file: FileFormat(
            kind: "funds",
            columns: [
                ImportColumn("code", ["资金编号", "资金代码"], required: true),
                ImportColumn("name", ["资金名称"], required: true),
                ImportColumn("source", ["资金来源", "来源"], required: true),
                ImportColumn("year", ["年度", "资金年度"], required: true),
                ImportColumn(
                    "budget", ["预算", "预算金额", "资金规模", "资金总额"], required: true, isMoney: true,
                    smallestPlausible: Money(fen: 10_000_000)),
                ImportColumn("subsidy", ["补助资金", "是否补助资金"]),
                ImportColumn("notes", ["备注"]),
            ],
            add: { row, writer in _ = try writer.addFund(FundFields(row)) },
            update: { key, row, writer in try writer.updateFund(code: key, FundFields(row)).fieldChanges },
            export: { registry, _, row in
                for summary in try registry.funds() {
                    let fund = summary.fund
                    try row([
                        .text(fund.code), .text(fund.name), .text(fund.source.rawValue), .integer(Int64(fund.year)),
                        .text(fund.budget.plainYuan), .text(fund.isSubsidy ? "yes" : "no"), .text(fund.notes),
                    ])
                }
            }
        )
    )
}

extension FundFields {
    init(_ row: ImportRow) {
        self.init(
            code: row("code"), name: row("name"), source: row("source"), year: row("year"), budget: row("budget"),
            budgetUnit: row.unit("budget"), isSubsidy: row("subsidy"), notes: row("notes"))
    }
}
