import ArgumentParser
import Foundation
import RegistryDomain

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports built from the registry.",
        subcommands: [YearReportCommand.self]
    )
}

extension ReportFormat: ExpressibleByArgument {}

enum ReportUnit: String, ExpressibleByArgument, CaseIterable {
    case yi, wan, yuan
    var unit: Money.Unit { Money.Unit(rawValue: rawValue)! }
}

struct YearReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "year",
        abstract: "The year-end report: projects introduced and planned investment against the targets, with breakdowns.",
        discussion: YearReport.countingRule
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The year, e.g. 2025.") var year: Int
    @Option(name: .customLong("as-of"), help: "Report as it stood on this date (default: today, or 31 December if earlier).") var asOf: String?
    @Option(help: "text, markdown, csv, json or html.") var format: ReportFormat = .text
    @Option(help: "Unit for amounts: yi (亿元), wan (万元) or yuan.") var unit: ReportUnit = .yi
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() throws {
        let registry = try global.openRegistry()
        let date = try asOf.map { try ISODate.parse($0, field: "as-of") }
        let report = try registry.yearReport(year, asOf: date)
        try ReportOutput.write(ReportLayout(report: report, unit: unit.unit).render(format), to: output, what: "\(year) report")
    }
}

/// Standard output, or a file written whole (never half a report on disk).
enum ReportOutput {
    static func write(_ text: String, to path: String?, what: String) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure(message: "cannot write \(path): \(error.localizedDescription)", code: ExitStatus.ioError)
        }
        FileHandle.standardError.write(Data("wrote the \(what) to \(path)\n".utf8))
    }
}
