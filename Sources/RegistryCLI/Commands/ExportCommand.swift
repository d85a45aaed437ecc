import ArgumentParser
import Foundation
import RegistryDomain

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export parks, enterprises, projects, funds, allocations or disbursements as CSV (canonical headers, exact yuan) or JSON.",
        discussion: "An exported CSV imports back into a fresh database unchanged (`registry import`)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to export: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ImportKind
    @Option(help: "csv or json.") var format: Format = .csv
    @Flag(help: "Start the CSV with a UTF-8 byte-order mark, so that Excel opens Chinese text correctly.") var excel = false
    @Option(help: "Write to this file instead of standard output (an existing file only with --force).") var output: String?
    @Flag(help: "Replace the --output file if it exists (never the registry database).") var force = false
    @OptionGroup var filters: ProjectFilterOptions
    @Option(help: "Enterprises from this city.") var city: String?

    func validate() throws {
        if excel && format == .json { throw ValidationError("--excel applies to CSV only; drop it or use --format csv") }
        if kind != .projects, let first = filters.projectOnly.first {
            throw ValidationError("\(first) filters projects only")
        }
        if kind == .enterprises, filters.level != nil || filters.county != nil {
            throw ValidationError("--level and --county do not apply to enterprises")
        }
        if kind != .enterprises, city != nil { throw ValidationError("--city filters enterprises only") }
        if force && output == nil { throw ValidationError("--force applies to --output only") }
    }

    func run() throws {
        if let output {
            try OutputFile.refuseIfUnsafe(output, database: global.databasePath, force: force)
        }
        let registry = try global.openRegistry()
        let listing = try registry.read { try makeListing(registry) }
        var text = listing.render(format == .csv ? .csv : .json)
        if excel { text = "\u{FEFF}" + text }
        if let output {
            try OutputFile.write(text, to: output, database: global.databasePath, force: force)
            FileHandle.standardError.write(Data("exported \(listing.rows.count) \(kind.rawValue) to \(output)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// The columns are exactly the import's canonical headers, with exact values.
    private func makeListing(_ registry: Registry) throws -> Listing {
        switch kind {
        case .parks:
            var listing = Listing(fields: ["code", "name", "level", "county", "notes"].map { Listing.Field($0, $0) })
            for summary in try registry.parks(level: filters.level, county: filters.county) {
                let park = summary.park
                listing.rows.append([.text(park.code), .text(park.name), .text(park.level.rawValue), .text(park.county), .text(park.notes)])
            }
            return listing
        case .enterprises:
            var listing = Listing(fields: ["uscc", "name", "city", "notes"].map { Listing.Field($0, $0) })
            for enterprise in try registry.enterprises(city: city) {
                listing.rows.append([.text(enterprise.uscc.value), .text(enterprise.name), .text(enterprise.city), .text(enterprise.notes)])
            }
            return listing
        case .projects:
            let columns = ["code", "name", "kind", "park", "enterprise", "sector", "planned_investment", "signed_on", "stage", "notes"]
            var listing = Listing(fields: columns.map { Listing.Field($0, $0) })
            for item in try registry.projects(filters.filter) {
                let project = item.project
                listing.rows.append([
                    .text(project.code), .text(project.name), .text(project.kind.rawValue), .text(project.parkCode),
                    .text(project.enterpriseUSCC?.value), .text(project.sectorKey), .text(project.plannedInvestment.plainYuan),
                    .text(project.signedOn.description), .text(project.stage.rawValue), .text(project.notes),
                ])
            }
            return listing
        case .funds:
            var listing = Listing(fields: ["code", "name", "source", "year", "budget", "subsidy", "notes"].map { Listing.Field($0, $0) })
            for summary in try registry.funds() {
                let fund = summary.fund
                listing.rows.append([
                    .text(fund.code), .text(fund.name), .text(fund.source.rawValue), .integer(Int64(fund.year)),
                    .text(fund.budget.plainYuan), .text(fund.isSubsidy ? "yes" : "no"), .text(fund.notes),
                ])
            }
            return listing
        case .allocations:
            var listing = Listing(fields: ["id", "fund", "project", "amount", "approved_on", "approval_doc", "notes"].map { Listing.Field($0, $0) })
            for allocation in try registry.allocations() {
                listing.rows.append([
                    .text(allocation.id), .text(allocation.fundCode), .text(allocation.projectCode),
                    .text(allocation.amount.plainYuan), .text(allocation.approvedOn.description),
                    .text(allocation.approvalDocument), .text(allocation.notes),
                ])
            }
            return listing
        case .disbursements:
            let columns = ["id", "allocation", "amount", "paid_on", "payee", "payee_name", "voucher", "purpose", "carry_over"]
            var listing = Listing(fields: columns.map { Listing.Field($0, $0) })
            for payment in try registry.disbursements() {
                listing.rows.append([
                    .text(payment.id), .text(payment.allocationID), .text(payment.amount.plainYuan),
                    .text(payment.paidOn.description), .text(payment.payeeCode), .text(payment.payeeName),
                    .text(payment.voucher), .text(payment.purpose), .text(payment.carryOver ? "yes" : "no"),
                ])
            }
            return listing
        }
    }
}
