import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

extension ImportKind: ExpressibleByArgument {}
extension ImportEncoding: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a workbook (.xlsx) or CSV file of parks, enterprises, projects, funds, allocations or disbursements: all rows, or none.",
        discussion: """
            Headers may be the canonical English names or the Chinese headers staff use \
            (项目编号, 项目名称, 所属园区, 计划总投资（万元）, 签约日期, ...), in any order. \
            A unit in a header scales bare numbers in that column. Every problem is \
            reported as `line N, column C: value "v": reason`, and nothing is written \
            unless the whole file is right (exit 65 otherwise).
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What the file holds: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ImportKind
    @Argument(help: "The file: an .xlsx workbook, or CSV (UTF-8, UTF-8 with BOM, or GB18030 as Excel writes it).") var file: String
    @Flag(help: "Check everything and print what would happen; write nothing.") var dryRun = false
    @Flag(help: "Update rows whose key already exists instead of refusing them.") var upsert = false
    @Option(
        help:
            "File encoding: auto (UTF-16 by its byte-order mark, else UTF-8 if valid and not Chinese only as GB18030, else GB18030), utf-8, gb18030 or utf-16.")
    var encoding: ImportEncoding = .auto
    @Option(help: "The sheet of an .xlsx workbook to read (default: the first with a header of this kind).") var sheet: String?
    @Option(help: "The sheet row that holds the header, when the title rows above it are not recognised by themselves.")
    var headerRow: Int?
    @Option(help: "The unit of amount columns whose header names none: yuan (元), wan (万元) or yi (亿元).")
    var amountsIn: Money.Unit?

    func run() throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw CLIFailure(message: "no such file: \(file)", code: ExitStatus.noInput)
        }
        let registry = try global.openRegistry()
        let progress = ProgressBar(enabled: isatty(STDERR_FILENO) == 1)
        if let headerRow, headerRow < 1 {
            throw usageError("--header-row \(headerRow): a sheet row number, 1 or more")
        }
        let options = Importer.Options(encoding: encoding, dryRun: dryRun, upsert: upsert, headerRow: headerRow, unit: amountsIn, sheet: sheet)
        let report: ImportReport
        do {
            report = try Importer.run(
                kind, path: file, into: registry, context: global.context("import \(kind.rawValue)"),
                options: options, progress: progress.update)
            progress.finish()
        } catch let failure as ImportFailed {
            progress.finish()
            let problems = failure.report.problems.map(NextStepText.line)
            let more = failure.report.problemCount - problems.count
            let lines = problems + (more > 0 ? ["... and \(more) more problem(s)"] : [])
            let total: Message = "\(file): \(failure.report.problemCount) problem(s) in \(failure.report.rowsRead) row(s); nothing was imported"
            throw CLIFailure(
                message: Message.joined(lines + [total], separator: "\n"),
                code: ExitStatus.dataError, prefixed: false
            )
        }
        say(summary(report))
        for note in ImportSummary.notes(report) { say("  \(note)") }
        // What an upsert changes, field by field: a unit slip shows before it is written.
        if report.dryRun { for change in ImportSummary.changes(report) { say("  \(change)") } }
    }

    private func summary(_ report: ImportReport) -> Message {
        let seconds = String(format: "%.2f", report.elapsedSeconds)
        let counts: Message = "\(report.inserted) inserted, \(report.updated) updated, \(report.unchanged) unchanged"
        // Every tolerance is said, never silent (ImportSummary.notes).
        if report.dryRun {
            return "dry run of \(file) (\(report.encoding.rawValue)): \(report.rowsRead) rows read, would be \(counts); nothing written (\(seconds) s)"
        }
        return "imported \(Message.term(kind.rawValue)) from \(file) (\(report.encoding.rawValue)): \(report.rowsRead) rows read, \(counts) in \(seconds) s"
    }
}

/// A failure the CLI reports itself, with its own exit code.
struct CLIFailure: Error {
    let message: Message
    let code: Int32
    /// Whether the message is a single line to prefix with "registry: ".
    var prefixed = true
}

/// A progress bar on stderr, drawn only on a terminal and only for files
/// large enough to take a moment.
final class ProgressBar {
    private let enabled: Bool
    private var drawn = false

    init(enabled: Bool) { self.enabled = enabled }

    func update(_ done: UInt64, _ total: UInt64) {
        guard enabled, total > 4 << 20 else { return }
        let fraction = min(1, Double(done) / Double(max(total, 1)))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(Int(fraction * 100))%".utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
