import RegistryDomain

/// What an import tolerated in the sheet, said line by line by both front
/// ends: nothing a sheet holds is skipped silently.
public enum ImportSummary {
    public static func notes(_ report: ImportReport) -> [Message] {
        var notes: [Message] = []
        if let sheet = report.sheet { notes.append("sheet \"\(sheet)\" read") }
        if !report.titleLines.isEmpty {
            notes.append(
                "\(report.titleLines.count) title row(s) above the header skipped (line \(lines(report.titleLines))); header on line \(report.headerLine)")
        }
        if !report.runningNumberColumns.isEmpty {
            notes.append("running-number column \(report.runningNumberColumns.joined(separator: ", ")) ignored")
        }
        if report.emptyRows > 0 { notes.append("\(report.emptyRows) empty row(s) skipped") }
        if report.ignoredColumns > 0 { notes.append("\(report.ignoredColumns) column(s) without a header and without values ignored") }
        if !report.totalLines.isEmpty {
            notes.append(
                "\(report.totalLines.count) total row(s) (合计/小计) checked against the rows they cover and not imported (line \(lines(report.totalLines)))")
        }
        for column in report.columnUnits {
            switch column.source {
            case .header: break
            case .option: notes.append("\(column.column) read in \(column.unit.chineseSuffix), as the import was told")
            case .titleArea(let line): notes.append("\(column.column) read in \(column.unit.chineseSuffix), the unit stated above the header (line \(line))")
            case .none: notes.append("\(column.column) has no unit in its header: bare numbers read in 元")
            }
        }
        return notes
    }

    /// `line 3 SW-2025-001: 计划投资 376,000,000.00元 → 3,760,000.00元`, one line per updated record.
    public static func changes(_ report: ImportReport) -> [Message] {
        var lines: [Message] = report.changes.map { change in
            let fields = change.fields.map { field in
                let name = field.column.hasSuffix("_fen") ? String(field.column.dropLast(4)) : field.column
                return "\(report.kind.label(of: name)) \(field.before) → \(field.after)"
            }.joined(separator: "; ")
            return "line \(change.line) \(change.key): \(fields)"
        }
        if report.updated > report.changes.count { lines.append("… and \(report.updated - report.changes.count) more updated record(s)") }
        return lines
    }

    private static func lines(_ lines: [Int]) -> String {
        lines.prefix(5).map(String.init).joined(separator: ", ") + (lines.count > 5 ? ", …" : "")
    }
}
