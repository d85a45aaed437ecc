import RegistryDomain

/// `registry template projects --output 项目导入模板.xlsx`: a workbook to
/// fill in and import. The first sheet has the headers staff use (amounts in
/// 万元, said in the header) and drop-down lists (data validation) of this
/// registry's parks, sectors, stages and kinds on their columns, so that a
/// typo cannot be made; a second sheet shows one example row; a hidden
/// third sheet holds the lists. Filled in, the first sheet imports unchanged.
public enum WorkbookTemplate {
    public static let listSheet = "选项"

    public static func write(_ kind: ImportKind, from registry: Registry, to path: String) throws {
        // A template has no name-check columns (园区名称 beside 园区): one way to name each record.
        let columns = kind.columns.filter { $0.confirms == nil }
        let choices = try registry.templateChoices(kind)
        let header = columns.map(header)
        let listed = columns.enumerated().filter { choices[$0.element.field] != nil }
        let validations = listed.enumerated().map { position, item in
            let values = choices[item.element.field]!
            let letter = WorkbookWriter.columnName(position)
            return WorkbookWriter.Validation(
                column: item.offset, source: "'\(listSheet)'!$\(letter)$2:$\(letter)$\(max(2, values.count + 1))",
                title: header[item.offset], message: "请从下拉列表中选择（\(header[item.offset])）")
        }
        let workbook = try WorkbookWriter(path: path)
        try workbook.addSheet(WorkbookExport.sheetName(kind), header: header, footer: "registry 导入模板", validations: validations) { _ in }
        try workbook.addSheet("填写示例", header: header) { emit in
            try emit(columns.map { .text(example($0, kind: kind, choices: choices)) })
        }
        try workbook.addSheet(listSheet, header: listed.map { header[$0.offset] }, hidden: true) { emit in
            let lists = listed.map { choices[$0.element.field]! }
            for row in 0..<(lists.map(\.count).max() ?? 0) {
                try emit(lists.map { row < $0.count ? .text($0[row]) : .empty })
            }
        }
        try workbook.finish()
    }

    /// The header of a column in a template: the staff's name; amounts in 万元.
    static func header(_ column: ImportColumn) -> String {
        let name = column.aliases.first ?? column.field
        return column.isMoney ? "\(name)（万元）" : name
    }

    static func example(_ column: ImportColumn, kind: ImportKind, choices: [String: [String]]) -> String {
        if let first = choices[column.field]?.first { return first }
        // The example's stage is 签约, which the signing date dates.
        if column.field == "stage_on" { return "" }
        if column.isMoney { return "12500" }
        if WorkbookExport.isDate(column) { return "2026-03-14" }
        switch column.field {
        case "code": return kind == .parks ? "SW-XX" : kind == .funds ? "F-2026-01" : "SW-2026-001"
        case "name": return "示例（导入前请改写）"
        case "uscc", "enterprise", "payee": return "91440300MA5XXXXXXX"
        case "year": return "2026"
        case "county": return "海丰县"
        case "city": return "深圳"
        default: return ""
        }
    }
}
