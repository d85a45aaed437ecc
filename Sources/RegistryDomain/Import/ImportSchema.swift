/// What an import or export file holds: the `kind` of a registered entity's
/// `FileFormat` (`parks`, `projects`, …). Its columns and the tables it
/// writes come from the entity (see `Entity`).
public struct ImportKind: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A kind of the built-in entities; nil for any other word (a command line
    /// naming no kind is refused with the accepted ones).
    public init?(rawValue: String) {
        guard EntitySet.builtIn.importKinds.contains(where: { $0.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// The kind of a file format being declared (`FileFormat`).
    init(name: String) { rawValue = name }

    public var description: String { rawValue }

    public static let parks = ImportKind(name: "parks")
    public static let enterprises = ImportKind(name: "enterprises")
    public static let projects = ImportKind(name: "projects")
    public static let funds = ImportKind(name: "funds")
    public static let allocations = ImportKind(name: "allocations")
    public static let disbursements = ImportKind(name: "disbursements")

    /// The kinds registry's own entities have, in registration order.
    public static var allCases: [ImportKind] { EntitySet.builtIn.importKinds }
}

public struct ImportColumn: Sendable {
    public let field: String
    public let aliases: [String]
    public let required: Bool
    public let isMoney: Bool
    /// The smallest amount a record of this column really has (a project's
    /// planned investment: 10万元). A number without a unit below it stops
    /// the import and asks for the unit: it is almost always in 万元.
    let smallestPlausible: Money?
    /// The column whose record this one names, as a check (`enterprise_name`
    /// confirms `enterprise`): a ledger keeps the name beside the code, and
    /// the import uses the code and refuses a name that is not the record's.
    /// Alone in a file (no code column), it is the reference itself.
    public let confirms: String?

    public init(_ field: String, _ aliases: [String], required: Bool = false, isMoney: Bool = false) {
        self.init(field, aliases, required: required, isMoney: isMoney, smallestPlausible: nil)
    }

    init(
        _ field: String, _ aliases: [String], required: Bool = false, isMoney: Bool = false, smallestPlausible: Money? = nil,
        confirms: String? = nil
    ) {
        self.field = field
        self.aliases = aliases
        self.required = required
        self.isMoney = isMoney
        self.smallestPlausible = smallestPlausible
        self.confirms = confirms
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
    /// The unit a header sets for bare numbers in its column (`计划总投资（万元）`);
    /// the importer adds the unit of `--unit` or of the title area to the others.
    public internal(set) var units: [String: Money.Unit]
    /// Running-number columns (序号): ignored, whatever they hold.
    public let runningNumbers: [Int]
    /// Columns with an empty header (Excel's trailing `,,,`): ignored while
    /// their cells are empty too; a value in one is refused (data must not be dropped).
    public let unnamed: [Int]
    /// How many fields a row may have: the header's width.
    public let width: Int
    /// The name staff use for each column (its first alias), for a message
    /// about a column the file lacks (阶段日期).
    let labels: [String: String]

    /// Maps `titles` onto `columns` (the format of `kind`).
    ///
    /// - throws: `InvalidValues` naming every unknown, repeated or missing
    ///   column at once (an unknown one with the nearest accepted header), and
    ///   listing the accepted headers; nothing has been read past the header.
    init(_ titles: [String], kind: ImportKind, columns: [ImportColumn]) throws {
        var indexes: [String: Int] = [:]
        var written: [String: String] = [:]
        var units: [String: Money.Unit] = [:]
        var unnamed: [Int] = []
        var runningNumbers: [Int] = []
        var problems: [InvalidValue] = []
        let accepted = columns.map(\.accepted).joined(separator: "; ")
        for (index, raw) in titles.enumerated() {
            let title = TextNormalization.halfwidthTrimmed(raw)
            if title.isEmpty {
                unnamed.append(index)
                continue
            }
            if SheetLayout.isRunningNumber(title) {
                runningNumbers.append(index)
                continue
            }
            guard let (column, unit) = Self.match(title, in: columns) else {
                let near = Self.nearest(title, in: columns).map { "; did you mean \($0)?" } ?? ""
                problems.append(
                    InvalidValue(field: "header", value: raw, reason: "is not a column of \(kind.rawValue)\(near); accepted headers: \(accepted)"))
                continue
            }
            if let earlier = written[column.field] {
                // 投资企业 beside 统一社会信用代码: the code is the reference, the name its check.
                if let confirming = columns.first(where: { $0.confirms == column.field }), indexes[confirming.field] == nil {
                    let earlierTitle = TextNormalization.halfwidthTrimmed(earlier)
                    if confirming.aliases.contains(title) {
                        indexes[confirming.field] = index
                        written[confirming.field] = raw
                        continue
                    }
                    if confirming.aliases.contains(earlierTitle) {
                        indexes[confirming.field] = indexes[column.field]
                        written[confirming.field] = earlier
                        indexes[column.field] = index
                        written[column.field] = raw
                        continue
                    }
                }
                problems.append(
                    InvalidValue(
                        field: "header", value: raw, reason: "names the same column as \"\(earlier)\" (\(column.field)); each column may appear once"))
                continue
            }
            indexes[column.field] = index
            written[column.field] = raw
            if let unit { units[column.field] = unit }
        }
        // A name column without its code column (企业名称 alone) names the record.
        for column in columns {
            guard let target = column.confirms, indexes[target] == nil, let index = indexes[column.field] else { continue }
            indexes[target] = index
            written[target] = written[column.field]
            indexes[column.field] = nil
            written[column.field] = nil
        }
        for column in columns where column.required && indexes[column.field] == nil {
            problems.append(
                InvalidValue(
                    field: "header", value: titles.joined(separator: ","), reason: "lacks the required column \(column.accepted); accepted headers: \(accepted)"
                ))
        }
        if !problems.isEmpty { throw InvalidValues(errors: problems) }
        self.indexes = indexes
        self.titles = written
        self.units = units
        self.unnamed = unnamed
        self.runningNumbers = runningNumbers
        self.width = titles.count
        self.labels = Dictionary(columns.map { ($0.field, $0.aliases.first ?? $0.field) }, uniquingKeysWith: { first, _ in first })
    }

    /// The accepted header a misspelt one most likely means: one that holds it
    /// or that it holds (`计划总投资额` → `计划总投资`), else one sharing its
    /// first two characters.
    static func nearest(_ title: String, in columns: [ImportColumn]) -> String? {
        let names = columns.flatMap { [$0.field] + $0.aliases }
        if let found = names.first(where: { title.contains($0) || $0.contains(title) }) { return found }
        let prefix = String(title.prefix(2))
        return prefix.count == 2 ? names.first { $0.hasPrefix(prefix) } : nil
    }

    /// The column a header names, and the unit in brackets after a money column's name.
    static func match(_ title: String, in columns: [ImportColumn]) -> (ImportColumn, Money.Unit?)? {
        let lowered = title.lowercased()
        if let column = columns.first(where: { $0.field == lowered || $0.aliases.contains(title) }) {
            return (column, nil)
        }
        // A unit in brackets, full- or half-width: 计划总投资（万元）, planned_investment (亿元).
        // (Fullwidth brackets were folded to ASCII by halfwidthTrimmed.)
        guard title.hasSuffix(")"), let open = title.lastIndex(of: "(") else { return nil }
        let name = String(title[..<open]).trimmingWhitespace()
        let unitText = String(title[title.index(after: open)..<title.index(before: title.endIndex)]).trimmingWhitespace()
        let units: [String: Money.Unit] = ["元": .yuan, "万元": .wan, "万": .wan, "亿元": .yi, "亿": .yi]
        guard let unit = units[unitText],
            let column = columns.first(where: { $0.isMoney && ($0.field == name.lowercased() || $0.aliases.contains(name)) })
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
    func title(_ field: String) -> String { titles[field] ?? labels[field] ?? field }
}

extension ImportKind {
    /// The columns of this kind's sheets, which the web forms use as their fields.
    public var columns: [ImportColumn] { EntitySet.builtIn.format(of: self)?.1.columns ?? [] }

    /// The Chinese name staff use for a field of any kind (`planned_investment`
    /// → 计划总投资, `signed_on` → 签约日期), for messages that are not about
    /// one file; nil for a field no sheet has. Keys that every kind has are
    /// named generally (`code` → 编号).
    public static func staffName(of field: String) -> String? {
        let general = [
            "planned_investment": "计划总投资", "code": "编号", "name": "名称", "on": "日期", "year": "年度", "amount": "金额", "notes": "备注", "stage_on": "阶段日期",
            "scope": "统计范围", "projects": "项目个数", "investment": "计划总投资", "status": "状态", "since": "状态日期",
        ]
        if let name = general[field] { return name }
        for kind in allCases {
            if let column = kind.columns.first(where: { $0.field.sameBytes(as: field) }), let alias = column.aliases.first { return alias }
        }
        return nil
    }

    /// The Chinese name staff use for `field` (the first header alias), or the field itself.
    public func label(of field: String) -> String {
        columns.first { $0.field.sameBytes(as: field) }?.aliases.first ?? field
    }
}
