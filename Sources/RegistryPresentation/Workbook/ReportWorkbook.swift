import RegistryDomain

/// `report year 2025 --format xlsx --output 2025年度报告.xlsx`: the same
/// sections as every other rendering (`ReportLayout`), one sheet each after
/// a summary sheet; amounts as numbers in the report's unit (exact to the
/// fen: the decimal is written in full) with a 万元/亿元 number format,
/// counts as whole numbers, the data version in every sheet's footer.
extension ReportLayout {
    package func writeWorkbook(to path: String) throws {
        let workbook = try WorkbookWriter(path: path)
        // Short, so that it does not run into the page number: the full note is on the summary sheet.
        let footer = report.logHead.map { "\(title) · 数据版本 \($0.seq) · \($0.hash.prefix(16))" } ?? title
        try workbook.addSheet("概要", header: [title], footer: footer) { emit in
            for line in [subtitle, headline, YearReport.countingRuleZh] + (logHeadNote.map { [$0] } ?? []) { try emit([.text(line)]) }
        }
        var used: Set<String> = ["概要"]
        for section in sections {
            // Sheet names are unique and at most 31 characters.
            var name = String(section.title.prefix(28))
            while used.contains(name) { name += "·" }
            used.insert(name)
            try workbook.addSheet(name, header: section.columns.map(\.title), footer: footer) { emit in
                for row in section.rows { try emit(row.map(cell)) }
                if let note = section.note { try emit([.text(note)]) }
            }
        }
        try workbook.finish()
    }

    func cell(_ cell: ReportSection.Cell) -> WorkbookWriter.Cell {
        if let money = cell.money { return .number(Self.exactDecimal(money, in: unit), unit == .yi ? .yi : unit == .wan ? .wan : .yuan) }
        if let number = cell.number { return .integer(Int64(number)) }
        return cell.display.isEmpty ? .empty : .text(cell.display)
    }

    /// The amount in `unit` with every digit (`13.15` 亿, `0.000001` 亿 for a fen):
    /// fen-exact as a decimal, however the unit divides.
    static func exactDecimal(_ money: Money, in unit: Money.Unit) -> String {
        let places = unit == .yi ? 10 : unit == .wan ? 6 : 2
        let magnitude = String(money.fen.magnitude)
        let padded = String(repeating: "0", count: max(0, places + 1 - magnitude.count)) + magnitude
        let whole = padded.dropLast(places)
        var fraction = String(padded.suffix(places))
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return (money.fen < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
    }
}
