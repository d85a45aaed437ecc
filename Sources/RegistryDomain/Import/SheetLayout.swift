/// The parts of a sheet as staff keep it that are not records: title rows
/// above the header (`2025年招商引资项目台账`, `单位：万元`), a running-number
/// column (序号), and total rows (合计, 总计, 小计). Each is recognised here;
/// the importer says in its summary what it skipped, and checks the totals.
enum SheetLayout {
    /// Headers of a running-number column: ignored, with a note in the summary.
    static let runningNumberHeaders: Set<String> = ["序号", "编号", "行号", "序", "no", "no.", "#"]

    static func isRunningNumber(_ title: String) -> Bool {
        runningNumberHeaders.contains(title.lowercased())
    }

    /// Whether a header cell names one of `columns` or a running number.
    static func namesColumn(_ cell: String, in columns: [ImportColumn]) -> Bool {
        let title = TextNormalization.halfwidthTrimmed(cell)
        return !title.isEmpty && (isRunningNumber(title) || ImportHeader.match(title, in: columns) != nil)
    }

    /// How many rows above the header detection looks through.
    static let titleRowLimit = 10

    /// Whether a row before the header is a title row: it names no column
    /// and fills at most two cells (a title, a unit, a date of filling).
    static func isTitleRow(_ fields: [String], columns: [ImportColumn]) -> Bool {
        !fields.contains { namesColumn($0, in: columns) }
            && fields.lazy.filter { !TextNormalization.halfwidthTrimmed($0).isEmpty }.count <= 2
    }

    /// The unit a title row states (`单位：万元`, `金额单位: 亿元`), if any.
    static func statedUnit(_ fields: [String]) -> Money.Unit? {
        for field in fields {
            let text = TextNormalization.halfwidthTrimmed(field).filter { $0 != " " }
            guard let range = text.range(of: "单位") else { continue }
            var rest = text[range.upperBound...]
            if rest.first == ":" { rest = rest.dropFirst() }
            for (written, unit) in [("亿元", Money.Unit.yi), ("万元", .wan), ("元", .yuan), ("亿", .yi), ("万", .wan)] where rest.hasPrefix(written) {
                return unit
            }
        }
        return nil
    }

    enum TotalKind: Sendable, Equatable {
        /// 合计, 总计: every row since the last total of this kind.
        case total
        /// 小计: the rows since the last subtotal or total.
        case subtotal
    }

    /// Whether a row is a total row, and which kind: a cell that reads
    /// 合计 / 总计 / 小计 (spaces between the characters allowed, a note in
    /// brackets or after a colon too: `合计（52个）`).
    static func totalKind(_ fields: [String]) -> (TotalKind, label: String)? {
        for field in fields {
            let text = TextNormalization.halfwidthTrimmed(field).filter { $0 != " " }
            guard text.unicodeScalars.count >= 2, text.unicodeScalars.count <= 16 else { continue }
            for (label, kind) in [("合计", TotalKind.total), ("总计", .total), ("小计", .subtotal)] where text.hasPrefix(label) {
                let rest = text.dropFirst(label.count)
                if rest.isEmpty || rest.first == "(" || rest.first == ":" { return (kind, label) }
            }
        }
        return nil
    }
}

/// Sums each money column over the rows a total covers, and compares with
/// the total when the sheet gives one.
struct TotalsCheck {
    private var sinceTotal: [String: Int64] = [:]
    private var sinceSubtotal: [String: Int64] = [:]
    private var rowsSinceTotal = 0
    private var rowsSinceSubtotal = 0

    mutating func add(_ field: String, _ money: Money) {
        sinceTotal[field, default: 0] &+= money.fen
        sinceSubtotal[field, default: 0] &+= money.fen
    }

    mutating func rowEnded() {
        rowsSinceTotal += 1
        rowsSinceSubtotal += 1
    }

    /// The rows a total of `kind` covers and what each column adds up to
    /// over them; then starts counting again.
    mutating func close(_ kind: SheetLayout.TotalKind) -> (rows: Int, sums: [String: Int64]) {
        defer {
            sinceSubtotal = [:]
            rowsSinceSubtotal = 0
            if kind == .total {
                sinceTotal = [:]
                rowsSinceTotal = 0
            }
        }
        return kind == .total ? (rowsSinceTotal, sinceTotal) : (rowsSinceSubtotal, sinceSubtotal)
    }
}

extension ImportColumn {
    /// Whether `money`, read from a bare number (no 元, 万 or 亿 in the cell)
    /// of this column, is an amount that no real record has: below
    /// `smallestPlausible` when the column has no unit at all (a
    /// `计划总投资` of 12500 meant in 万元, read as 元), or above 1万亿元
    /// when the column is in 亿元 (12500 under a 亿元 header, meant in 万元).
    func implausible(_ money: Money, columnUnit: Money.Unit?) -> Bool {
        switch columnUnit {
        case .yi: return money > Self.largestPlausible
        case nil: return smallestPlausible.map { money.fen > 0 && money < $0 } ?? false
        case .wan, .yuan: return false
        }
    }

    /// 1万亿元: more than any project, fund or payment of a prefecture-level city.
    static let largestPlausible = Money(fen: 100_000_000_000_000)
}

/// Where an import reads its rows from: a CSV file or a workbook's sheet,
/// a record at a time with the sheet row it starts on.
public protocol SheetRecordSource {
    mutating func next() throws -> CSVRecordReader.Record?
}

extension CSVRecordReader: SheetRecordSource {}

/// A record source that can give back rows it has already handed out
/// (header detection reads ahead through title rows).
struct ReplayingRecords<Base: SheetRecordSource>: SheetRecordSource {
    private var base: Base
    private var replayed: [CSVRecordReader.Record] = []

    init(_ base: Base) { self.base = base }

    mutating func next() throws -> CSVRecordReader.Record? {
        if !replayed.isEmpty { return replayed.removeFirst() }
        return try base.next()
    }

    /// These rows come next, in this order, before the rest of the file.
    mutating func replay(_ rows: [CSVRecordReader.Record]) {
        replayed = rows + replayed
    }
}
