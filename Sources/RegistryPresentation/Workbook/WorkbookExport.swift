import RegistryDomain

/// `export … --output 台账.xlsx`: one sheet of records with the Chinese
/// headers staff use (a money column says its unit, `计划投资（元）`), amounts
/// as numbers to the fen, dates as dates; it imports back unchanged.
public enum WorkbookExport {
    /// Writes the records of `kind` that pass `filter` to a workbook at `path`; returns how many.
    public static func write(_ kind: ImportKind, from registry: Registry, filter: ExportFilter, to path: String) throws -> Int {
        let columns = kind.columns
        let names = try registry.ledgerNames(kind)
        let head = try registry.logHead()
        let workbook = try WorkbookWriter(path: path)
        var count = 0
        try workbook.addSheet(
            sheetName(kind), header: columns.map(header), footer: "registry 导出 · 数据版本 \(head.seq) · \(head.hash.prefix(16))"
        ) { emit in
            try registry.export(kind, filter: filter) { cells in
                count += 1
                try emit(zip(columns, cells).map { column, cell in self.cell(cell, column: column, names: names[column.field]) })
            }
        }
        try workbook.finish()
        return count
    }

    /// The header of a column: the staff's name, with the unit for money.
    public static func header(_ column: ImportColumn) -> String {
        let name = column.aliases.first ?? column.field
        return column.isMoney ? "\(name)（元）" : name
    }

    static func cell(_ cell: ExportCell, column: ImportColumn, names: [String: String]? = nil) -> WorkbookWriter.Cell {
        switch cell {
        case .integer(let number): return .integer(number)
        case .text(nil): return .empty
        case .text(let text?):
            if text.isEmpty { return .empty }
            if let name = names?[text] { return .text(name) }
            if column.isMoney { return .number(text, .yuan) }
            if isDate(column), let date = ISODate(iso: text) { return .date(date) }
            return .text(text)
        }
    }

    /// Columns that hold dates (`signed_on`, `paid_on`, `since`, …).
    static func isDate(_ column: ImportColumn) -> Bool {
        column.field.hasSuffix("_on") || column.field == "since"
    }

    static func sheetName(_ kind: ImportKind) -> String {
        switch kind {
        case .parks: "园区"
        case .enterprises: "企业"
        case .projects: "项目"
        case .funds: "资金"
        case .allocations: "资金安排"
        case .disbursements: "资金拨付"
        default: kind.rawValue
        }
    }
}
