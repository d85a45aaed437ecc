import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export parks, enterprises, projects, funds, allocations or disbursements as CSV (canonical headers, exact yuan) or JSON.",
        discussion: "An exported CSV imports back into a fresh database unchanged (`registry import`)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, xlsx }

    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to export: \(ImportKind.allCases.map(\.rawValue).joined(separator: ", ")).") var kind: ImportKind
    @Option(help: "csv, json or xlsx (an Excel workbook; the default when --output ends in .xlsx).") var format: Format?
    @Flag(help: "A CSV for Excel: a UTF-8 byte-order mark (so that Excel shows Chinese correctly) and the Chinese headers staff use.") var excel = false
    @Option(help: "Write to this file instead of standard output (an existing file only with --force).") var output: String?
    @Flag(help: "Replace the --output file if it exists (never the registry database).") var force = false
    @OptionGroup var filters: ProjectFilterOptions
    @Option(help: "Enterprises from this city.") var city: String?

    func validate() throws {
        if format == .xlsx && output == nil { throw usageError("--format xlsx writes a workbook: give --output FILE.xlsx") }
        if excel && resolvedFormat != .csv { throw usageError("--excel applies to CSV only; drop it or use --format csv") }
        if kind != .projects, let first = filters.projectOnly.first {
            throw usageError("\(first) filters projects only")
        }
        if kind == .enterprises, filters.level != nil || filters.county != nil {
            throw usageError("--level and --county do not apply to enterprises")
        }
        if kind != .enterprises, city != nil { throw usageError("--city filters enterprises only") }
        if force && output == nil { throw usageError("--force applies to --output only") }
    }

    /// The format asked for, or the one the --output file's name says.
    var resolvedFormat: Format {
        format ?? (output?.lowercased().hasSuffix(".xlsx") == true ? .xlsx : .csv)
    }

    func run() throws {
        if let output, resolvedFormat == .xlsx {
            try OutputFile.refuseIfUnsafe(output, database: global.databasePath, force: force)
            let registry = try global.openRegistry()
            let count = try WorkbookExport.write(kind, from: registry, filter: ExportFilter(projects: filters.filter, city: city), to: output)
            sayError("exported \(count) \(Message.term(kind.rawValue)) to \(output)")
            return
        }
        if let output {
            try OutputFile.refuseIfUnsafe(output, database: global.databasePath, force: force)
        }
        let registry = try global.openRegistry()
        // --excel: a working ledger for staff, with the Chinese headers (it imports back unchanged).
        let fields = try registry.exportColumns(kind).map { field in
            let column = kind.columns.first { $0.field.sameBytes(as: field) }
            return Listing.Field(excel ? column.map(WorkbookExport.header) ?? field : field, field)
        }
        let filter = ExportFilter(projects: filters.filter, city: city)
        // --excel: stored keys as staff write them (招商项目, 签约, 新能源, 否); they import back as the keys.
        let names = excel ? try registry.ledgerNames(kind) : [:]
        let namesByColumn = fields.map { names[$0.title] }
        func write(to sink: TextSink) throws -> Int {
            if excel { sink.write("\u{FEFF}") }
            return try Listing.stream(fields, format: resolvedFormat == .csv ? .csv : .json, to: sink) { emit in
                try registry.export(kind, filter: filter) { cells in
                    try emit(
                        zip(cells, namesByColumn).map { cell, names in
                            switch cell {
                            case .text(let text): .text(text.map { names?[$0] ?? $0 })
                            case .integer(let number): .integer(number)
                            }
                        })
                }
            }
        }
        if let output {
            let count = try OutputFile.stream(to: output, database: global.databasePath, force: force, write)
            sayError("exported \(count) \(Message.term(kind.rawValue)) to \(output)")
        } else {
            let sink = TextSink.standardOutput()
            _ = try write(to: sink)
            sink.flush()
        }
    }
}
