import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry log`: who changed what, and when.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show the change history: who changed what and when (before → after).",
        discussion: "Example: registry log --table project --since 2025-01-01"
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this table (project, project_stage, park, enterprise, target, fund, allocation, disbursement, year_close, …).") var table: String?
    @Option(help: "Only this record's key, e.g. SW-2025-001 (parts of a composite key joined by /: 2025/projects/all).") var key: String?
    @Option(help: "Only changes by this actor (as recorded from --actor, REGISTRY_ACTOR or the OS user).") var by: String?
    @Option(help: "From this day on (UTC date, YYYY-MM-DD).") var since: String?
    @Option(help: "Up to and including this day (UTC date, YYYY-MM-DD).") var until: String?
    @Option(help: "Only the newest N entries.") var limit: Int?
    @Option(help: "Output format: table, csv or json. Default: table on a terminal, csv otherwise.") var format: OutputFormat?

    func validate() throws {
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, ISODate(iso: value) == nil {
                throw usageError("\(name) \"\(value)\" is not a date; accepted: YYYY-MM-DD")
            }
        }
        if let limit, limit <= 0 { throw usageError("--limit must be a positive number") }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let filter = LogFilter(
            table: table, key: key, actor: by, since: since.flatMap(ISODate.init(iso:)),
            until: until.flatMap(ISODate.init(iso:)), limit: limit)
        try registry.read {
            try ChangeListing.stream(format: OutputFormat.resolved(format)) { each in try registry.forEachChange(filter, each) }
        }
    }
}

/// `registry history <table> <key>`: one record's life.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show every change to one record (a project's includes its stage changes).",
        discussion: "Example: registry history project SW-2025-001"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The table: project, park, enterprise, target, fund, allocation, disbursement, …") var table: String
    @Argument(help: "The record's key (composite keys joined by /, e.g. 2025/projects/all).") var key: String
    @Option(help: "Output format: table, csv or json. Default: table on a terminal, csv otherwise.") var format: OutputFormat?

    func run() throws {
        let registry = try global.openRegistry()
        try registry.read {
            var found = false
            try registry.forEachHistoryChange(table: table, key: key, limit: 1) { _ in found = true }
            guard found else {
                throw CLIFailure(message: "\(table) \(key): no such record in the change history", code: ExitStatus.dataError)
            }
            try ChangeListing.stream(format: OutputFormat.resolved(format)) { each in
                try registry.forEachHistoryChange(table: table, key: key, each)
            }
        }
    }
}
