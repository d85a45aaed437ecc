import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports built from the registry.",
        subcommands: [YearReportCommand.self]
    )
}

extension ReportFormat: ExpressibleByArgument {}

struct YearReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "year",
        abstract: "The year-end report: projects introduced and planned investment against the targets, with breakdowns.",
        discussion: YearReport.countingRule
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The year, e.g. 2025.") var year: Int
    @Option(name: .customLong("as-of"), help: "Report as it stood on this date (default: today, or 31 December if earlier).") var asOf: String?
    @Option(help: "text, markdown, csv, json, html or xlsx (a workbook, with --output).") var format: ReportFormat = .text
    @Option(help: "Unit for amounts: yi (亿元), wan (万元) or yuan.") var unit: Money.Unit = .yi
    @Option(help: "Write to this file instead of standard output (an existing file only with --force).") var output: String?
    @Flag(help: "Replace the --output file if it exists (never the registry database).") var force = false

    func validate() throws {
        if force && output == nil { throw usageError("--force applies to --output only") }
        if format == .xlsx && output == nil { throw usageError("--format xlsx writes a workbook: give --output FILE.xlsx") }
    }

    func run() throws {
        if let output {
            // Before any work: a refused --output must not cost a report.
            try OutputFile.refuseIfUnsafe(output, database: global.databasePath, force: force)
        }
        let registry = try global.openRegistry()
        let date = try asOf.map { try ISODate.parse($0, field: "as-of") }
        let report = try registry.yearReport(year, asOf: date)
        if format == .xlsx, let output {
            try ReportLayout(report: report, unit: unit).writeWorkbook(to: output)
            sayError("wrote the \(year) report to \(output)")
            return
        }
        let text = ReportLayout(report: report, unit: unit).render(format)
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        try OutputFile.write(text, to: output, database: global.databasePath, force: force)
        sayError("wrote the \(year) report to \(output)")
    }
}
