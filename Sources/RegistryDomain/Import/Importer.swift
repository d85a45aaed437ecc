import Foundation
import RegistryStorage

/// Imports a CSV file of parks, enterprises, projects, funds, allocations or
/// disbursements: all of it in one transaction, or nothing.
///
/// The file is streamed (memory stays flat); every row goes through the same
/// `RegistryWriter` methods as `add` and `update`, so a cell is validated
/// exactly like a command-line option. Every problem is collected (up to a
/// limit, then counted) instead of stopping at the first.
public enum Importer {
    public struct Options: Sendable {
        public var encoding: ImportEncoding
        public var dryRun: Bool
        public var upsert: Bool
        public var problemLimit: Int
        /// The sheet row holding the header, when title rows above it are
        /// not recognised by themselves (nil: found automatically).
        public var headerRow: Int?
        /// The unit of money columns whose header names none.
        public var unit: Money.Unit?
        /// The sheet of a workbook to read (nil: the first).
        public var sheet: String?

        public init(
            encoding: ImportEncoding = .auto, dryRun: Bool = false, upsert: Bool = false, problemLimit: Int = 50,
            headerRow: Int? = nil, unit: Money.Unit? = nil, sheet: String? = nil
        ) {
            self.encoding = encoding
            self.dryRun = dryRun
            self.upsert = upsert
            self.problemLimit = problemLimit
            self.headerRow = headerRow
            self.unit = unit
            self.sheet = sheet
        }
    }

    /// Called now and then with (bytes read, file size), for a progress bar.
    public typealias Progress = (UInt64, UInt64) -> Void

    /// Imports `path` into `registry`.
    ///
    /// - returns: the report of what was written (or, with `dryRun`, what would be).
    /// - throws: `ImportFailed` when any row or the header has a problem (nothing
    ///   written); `TextEncodingError` when the file cannot be read as text.
    public static func run(
        _ kind: ImportKind, path: String, into registry: Registry, context: WriteContext,
        options: Options = Options(), progress: Progress? = nil
    ) throws -> ImportReport {
        let started = Date()
        // Opened once up front, so that an unreadable file fails before the write lock is taken.
        var input = try ImportInput(path: path, options: options, columns: kind.columns)
        var report = ImportReport(kind: kind, encoding: input.encoding, dryRun: options.dryRun)
        report.sheet = input.sheet
        var firstAttempt = true
        do {
            try registry.write(context) { writer in
                // When the registry was busy and the write is tried again, the
                // file is read again from its start (the first attempt's rows
                // were rolled back with its transaction).
                if !firstAttempt {
                    input = try ImportInput(path: path, options: options, columns: kind.columns)
                    report = ImportReport(kind: kind, encoding: input.encoding, dryRun: options.dryRun)
                    report.sheet = input.sheet
                }
                firstAttempt = false
                var reader = ReplayingRecords(ImportInput.Records(input: input))
                let session = ImportSession(kind: kind, registry: registry, options: options)
                func importAll() throws {
                    try session.importRecords(from: &reader, writer: writer, report: &report) {
                        let (done, total) = input.progress
                        progress?(done, total)
                    }
                }
                let tables = [session.entity.table.name] + session.format.alsoWrites
                if try worthBulkLoading(tables[0], fileSize: input.csvSizeEstimate, db: writer.db) {
                    // The change log gets an entry per row too: its key index is deferred with the others.
                    try writer.db.bulkLoading(into: tables + [try ChangeLog.isCompact(writer.db) ? "change_entry" : "change_log"]) {
                        // The new rows join the search index in one pass at the end.
                        try SearchIndexes.deferringInserts(into: tables[0], db: writer.db, importAll)
                    }
                } else {
                    try importAll()
                }
                if report.problemCount > 0 {
                    // By line, as the sheet reads (a column's unit problem is found after its rows).
                    report.problems = report.problems.enumerated().sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }.map(\.element)
                    throw ImportFailed(report: report)
                }
                if options.dryRun { throw DryRunRollback() }
            }
        } catch is DryRunRollback {
            // Everything was checked and written inside the transaction, then rolled back.
        }
        report.elapsedSeconds = Date().timeIntervalSince(started)
        return report
    }

    private struct DryRunRollback: Error {}

    /// Whether to defer the target tables' secondary indexes (see
    /// `Database.bulkLoading`): when the file holds tens of thousands of rows
    /// or more, and adds at least a quarter of what the table already has
    /// (rebuilding an index costs time in proportion to the whole table).
    /// Rows are estimated at 100 bytes each, about what a project row takes.
    static func worthBulkLoading(_ table: String, fileSize: UInt64, db: Database) throws -> Bool {
        let estimatedRows = Int(fileSize / 100)
        guard estimatedRows >= 40_000 else { return false }
        let existing = try db.scalar("SELECT coalesce(max(rowid), 0) FROM \(table)", as: Int.self) ?? 0
        return estimatedRows >= existing / 4
    }
}

/// The state of one import: the header, and a second connection that sees the
/// database as it was before the import (the import's own rows are not
/// committed, so they are invisible to it). That tells "already in the
/// database" from "repeated in this file" without keeping every key in memory.
final class ImportSession {
    let kind: ImportKind
    let registry: Registry
    let options: Importer.Options
    /// The registered entity this kind of file holds, and its file format.
    let entity: Entity
    let format: FileFormat
    private var before: Database?

    init(kind: ImportKind, registry: Registry, options: Importer.Options) {
        guard let (entity, format) = registry.entities.format(of: kind) else {
            preconditionFailure("no registered entity is imported as \(kind)")
        }
        self.kind = kind
        self.registry = registry
        self.options = options
        self.entity = entity
        self.format = format
    }

    func importRecords<Base: SheetRecordSource>(from reader: inout ReplayingRecords<Base>, writer: RegistryWriter, report: inout ImportReport, tick: () -> Void)
        throws
    {
        func record(_ problem: ImportProblem) {
            report.problemCount += 1
            if report.problems.count < options.problemLimit { report.problems.append(problem) }
        }
        var header: ImportHeader
        do {
            // A file without rows is refused: it is almost always the wrong
            // file (an export whose filter matched nothing, a truncated copy).
            guard let (first, titles) = try findHeader(&reader, record: record) else { return }
            do {
                header = try ImportHeader(first.fields, kind: kind, columns: format.columns)
            } catch let errors as InvalidValues {
                // Every header problem at once, not one per attempt.
                for error in errors.errors {
                    record(ImportProblem(line: first.line, column: nil, value: error.value, reason: "header \(error.reason)"))
                }
                return
            }
            report.headerLine = first.line
            report.titleLines = titles.map(\.line)
            report.runningNumberColumns = header.runningNumbers.map { first.fields[$0] }
            // Any of them holding a value fails the import (below), so all are ignored when it succeeds.
            report.ignoredColumns = header.unnamed.count
            settleUnits(&header, titles: titles, report: &report)
            let money = format.columns.filter { $0.isMoney && header.indexes[$0.field] != nil }
            var totals = TotalsCheck()
            var implausible: [String: (lines: [Int], first: String)] = [:]
            while let row = try reader.next() {
                report.rowsRead += 1
                if report.rowsRead % 4096 == 0 { tick() }
                // A row of commas only is an empty row, not a row of missing fields.
                if row.fields.allSatisfy({ $0.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
                    report.emptyRows += 1
                    continue
                }
                if let (kind, label) = SheetLayout.totalKind(row.fields) {
                    report.rowsRead -= 1
                    report.totalLines.append(row.line)
                    checkTotal(row, kind: kind, label: label, header: header, columns: money, totals: &totals, record: record)
                    continue
                }
                if row.fields.count > header.width {
                    record(
                        ImportProblem(
                            line: row.line, column: nil, value: FieldText.shown(row.fields.joined(separator: ",")),
                            reason: "has \(row.fields.count) fields but the header has \(header.width)"))
                    continue
                }
                if let column = header.unnamed.first(where: { $0 < row.fields.count && !row.fields[$0].trimmingWhitespace().isEmpty }) {
                    record(
                        ImportProblem(
                            line: row.line, column: "\(column + 1)", value: FieldText.shown(row.fields[column]),
                            reason: "is in a column without a header; name the column or clear it (data is never dropped)"))
                    continue
                }
                for column in money {
                    guard let cell = header.value(column.field, in: row.fields), !cell.isEmpty,
                        let amount = try? Money.parse(cell, field: column.field, bareUnit: header.units[column.field] ?? .yuan)
                    else { continue }
                    totals.add(column.field, amount)
                    let bare = !cell.unicodeScalars.contains { $0 == "元" || $0 == "万" || $0 == "亿" }
                    if bare, column.implausible(amount, columnUnit: header.units[column.field]) {
                        implausible[column.field, default: ([], cell)].lines.append(row.line)
                    }
                }
                totals.rowEnded()
                do {
                    switch try importRow(row.fields, header: header, writer: writer) {
                    case .inserted: report.inserted += 1
                    case .updated(let key, let changes):
                        report.updated += 1
                        if report.changes.count < options.problemLimit { report.changes.append(.init(line: row.line, key: key, fields: changes)) }
                    case .unchanged: report.unchanged += 1
                    }
                } catch let error as InvalidValue {
                    record(
                        ImportProblem(
                            line: row.line, column: header.title(error.field), value: error.value, reason: error.reason, nextStep: error.nextStep))
                } catch let errors as InvalidValues {
                    for error in errors.errors {
                        record(
                            ImportProblem(
                                line: row.line, column: header.title(error.field), value: error.value, reason: error.reason,
                                nextStep: error.nextStep))
                    }
                } catch let error as DuplicateKeyError {
                    let existed = try existedBefore(error.key)
                    let reason: Message =
                        existed
                        ? "this \(Message.term(error.entity)) is already in the database"
                        : "the \(header.title(error.field)) appears more than once in this file"
                    record(
                        ImportProblem(
                            line: row.line, column: header.title(error.field), value: error.key, reason: reason,
                            nextStep: existed ? .upsert : nil))
                }
            }
            for column in money {
                if let (lines, first) = implausible[column.field] { record(unitProblem(column, lines: lines, first: first, header: header)) }
            }
            if report.rowsRead == 0 {
                record(ImportProblem(line: first.line + 1, column: nil, value: "", reason: "the file has a header but no rows; nothing to import"))
            }
            tick()
        } catch let error as CSVRecordReader.SyntaxError {
            record(ImportProblem(line: error.line, column: nil, value: "", reason: error.reason))
        }
    }

    enum Outcome {
        case inserted, unchanged
        case updated(key: String, [FieldChange])
    }

    private func importRow(_ fields: [String], header: ImportHeader, writer: RegistryWriter) throws -> Outcome {
        let row = ImportRow(value: { header.value($0, in: fields) }, units: header.units)
        do {
            try format.add(row, writer)
            return .inserted
        } catch let duplicate as DuplicateKeyError where options.upsert {
            // Only a record that was there before the import is updated; a key
            // repeated within the file is still a problem.
            guard try existedBefore(duplicate.key) else { throw duplicate }
            let changes = try format.update(duplicate.key, row, writer)
            return changes.isEmpty ? .unchanged : .updated(key: duplicate.key, changes)
        }
    }

    /// Whether a record with `key` was in the database before this import began.
    private func existedBefore(_ key: String) throws -> Bool {
        if before == nil { before = try Database(path: registry.path, mode: .readOnly) }
        let table = entity.table
        return try before!.scalar("SELECT count(*) FROM \(table.name) WHERE \(table.keyCondition)", [.text(key)], as: Int.self) == 1
    }
}
