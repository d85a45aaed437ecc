import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry demo`: a fresh database filled from the seeds compiled into the
/// binary, and the year-end report, so that anyone can see registry at work
/// without any setup.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demonstration database from the built-in seeds and print its 2025 year-end report and audit findings.",
        discussion:
            "The database is \(DemoCommand.defaultPath) in the current folder unless --db says otherwise; an earlier demo database there is replaced, any other file is left alone."
    )

    static let defaultPath = "registry-demo.db"

    @OptionGroup var global: GlobalOptions

    @Option(help: "Year to report.") var year: Int = 2025
    @Option(help: "text, markdown, csv, json or html.") var format: ReportFormat = .text

    func run() throws {
        let path = global.databaseChosen ? global.databasePath : Self.defaultPath
        let (registry, counts) = try DemoDatabase.create(at: path, actor: global.actorName)
        sayError(
            "demo database: \(path) (illustrative data: \(counts.parks) parks, \(counts.enterprises) enterprises, \(counts.projects) projects, \(counts.stageChanges) stage changes, \(counts.targets) targets, \(counts.funds) funds, \(counts.allocations) allocations, \(counts.disbursements) disbursements)\n"
        )
        let report = try registry.yearReport(year)
        FileHandle.standardOutput.write(Data(ReportLayout(report: report, unit: .yi).render(format).utf8))
        if format == .text {
            // The findings behind the report's audit summary (the seeds plant one
            // of each), as `audit run` lists them for the same year and date.
            FileHandle.standardOutput.write(Data("\n【审计发现明细】registry audit run --year \(year) --as-of \(report.asOf)\n".utf8))
            var request = AuditRequest(year: year, asOf: report.asOf)
            request.integrityCheck = .never
            let audit = try registry.audit(request)
            FileHandle.standardOutput.write(Data(AuditOutput(result: audit, unit: .auto).render(.table).utf8))
        }
        sayError("\nexplore it: registry --db \(path) report year \(year) --format html --output \(year)年度报告.html")
    }
}
