/// How an import reads a sheet as staff keep it (see `SheetLayout`):
/// where the header is, the unit of each money column, and the totals.
extension ImportSession {
    /// The header row, and the title rows above it: the row `--header-row`
    /// names, or the first that is not a title row (within the first
    /// `SheetLayout.titleRowLimit` rows; past them, or when the row ending
    /// the title area names no column either, the first row is the header,
    /// so that a wrong header is reported as one). Nil, with the problem
    /// recorded, when there is no header.
    func findHeader<Base: SheetRecordSource>(
        _ reader: inout ReplayingRecords<Base>, record: (ImportProblem) -> Void
    ) throws -> (CSVRecordReader.Record, titles: [CSVRecordReader.Record])? {
        var before: [CSVRecordReader.Record] = []
        while let row = try reader.next() {
            if let wanted = options.headerRow {
                if row.line < wanted {
                    before.append(row)
                    continue
                }
                if row.line == wanted { return (row, before) }
                record(
                    ImportProblem(
                        line: wanted, column: nil, value: "",
                        reason: "the header row given (\(wanted)) is empty or inside a cell; the first row after it is line \(row.line)"))
                return nil
            }
            if SheetLayout.isTitleRow(row.fields, columns: format.columns), before.count < SheetLayout.titleRowLimit {
                before.append(row)
                continue
            }
            if !before.isEmpty,
                SheetLayout.isTitleRow(row.fields, columns: format.columns) || !row.fields.contains(where: { SheetLayout.namesColumn($0, in: format.columns) })
            {
                // Nothing here looks like a header: report the first row as one.
                reader.replay(Array(before.dropFirst()) + [row])
                return (before[0], [])
            }
            return (row, before)
        }
        if let wanted = options.headerRow {
            record(ImportProblem(line: wanted, column: nil, value: "", reason: "the file has no row \(wanted) to read the header from"))
            return nil
        }
        if let first = before.first {
            reader.replay(Array(before.dropFirst()))
            return (first, [])
        }
        record(
            ImportProblem(line: 1, column: nil, value: "", reason: "the file is empty: no header and no rows; accepted: a header line, then one line per row"))
        return nil
    }

    /// The unit of each money column: its header's, else the one given with
    /// the import, else the one the title area states; each said in the report.
    func settleUnits(_ header: inout ImportHeader, titles: [CSVRecordReader.Record], report: inout ImportReport) {
        let stated = titles.lazy.compactMap { row in SheetLayout.statedUnit(row.fields).map { ($0, row.line) } }.first
        for column in format.columns where column.isMoney && header.indexes[column.field] != nil {
            let title = header.title(column.field)
            if let unit = header.units[column.field] {
                report.columnUnits.append(.init(column: title, unit: unit, source: .header))
            } else if let unit = options.unit {
                header.units[column.field] = unit
                report.columnUnits.append(.init(column: title, unit: unit, source: .option))
            } else if let (unit, line) = stated {
                header.units[column.field] = unit
                report.columnUnits.append(.init(column: title, unit: unit, source: .titleArea(line: line)))
            } else {
                report.columnUnits.append(.init(column: title, unit: .yuan, source: .none))
            }
        }
    }

    /// A 合计 row's amounts against the sum of the rows it covers, to the fen.
    func checkTotal(
        _ row: CSVRecordReader.Record, kind: SheetLayout.TotalKind, label: String, header: ImportHeader,
        columns: [ImportColumn], totals: inout TotalsCheck, record: (ImportProblem) -> Void
    ) {
        let (count, sums) = totals.close(kind)
        for column in columns {
            guard let cell = header.value(column.field, in: row.fields), !cell.trimmingWhitespace().isEmpty else { continue }
            let unit = header.units[column.field] ?? .yuan
            let sum = Money(fen: sums[column.field] ?? 0)
            let display: Money.DisplayUnit = unit == .yi ? .yi : unit == .wan ? .wan : .yuan
            guard let total = try? Money.parse(cell, field: column.field, bareUnit: unit) else {
                record(
                    ImportProblem(
                        line: row.line, column: header.title(column.field), value: FieldText.shown(cell),
                        reason: "the \(label) row's amount cannot be read; the \(count) row(s) it covers add up to \(sum.formatted(display))"))
                continue
            }
            if total != sum {
                record(
                    ImportProblem(
                        line: row.line, column: header.title(column.field), value: FieldText.shown(cell),
                        reason:
                            "the sheet's \(label) is \(total.formatted(display)) but the \(count) row(s) it covers add up to \(sum.formatted(display)) (a difference of \(Money(fen: Int64((total.fen - sum.fen).magnitude)).formatted(.yuan)))"
                    ))
            }
        }
    }

    /// The import stops on amounts no record has: a column with no unit read in yuan.
    func unitProblem(_ column: ImportColumn, lines: [Int], first: String, header: ImportHeader) -> ImportProblem {
        let list = lines.prefix(5).map(String.init).joined(separator: ", ")
        let shown: Message = lines.count > 5 ? "\(list) and \(lines.count - 5) more" : "\(list)"
        let title = header.title(column.field)
        let reason: Message
        if header.units[column.field] == nil, let smallest = column.smallestPlausible {
            reason =
                "has no unit, so its numbers were read in 元, and on line(s) \(shown) that is under \(smallest.formatted(.wan)), which no record has; say the unit in the header (\(title)（万元）) or with the import"
        } else {
            reason = "on line(s) \(shown) the amount is over \(ImportColumn.largestPlausible.formatted(.yi)), which no record has; check the column's unit"
        }
        return ImportProblem(line: lines[0], column: title, value: FieldText.shown(first), reason: reason, nextStep: .giveUnit)
    }
}
