import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// Options every command takes: where the database is and who is acting.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Registry database file (env REGISTRY_DB; default registry.db in the current directory).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Who makes the change, recorded with it (env REGISTRY_ACTOR; default the OS user).", valueName: "name"))
    var actor: String?

    /// True when the user chose a database path, by option or environment.
    var databaseChosen: Bool { db != nil || environment("REGISTRY_DB") != nil }

    var databasePath: String { db ?? environment("REGISTRY_DB") ?? "registry.db" }

    var actorName: String {
        if let actor, !actor.isEmpty { return actor }
        if let actor = environment("REGISTRY_ACTOR") { return actor }
        return ProcessInfo.processInfo.userName.isEmpty ? "unknown" : ProcessInfo.processInfo.userName
    }

    func validate() throws {
        if let actor, actor.trimmingCharacters(in: .whitespaces).isEmpty || actor.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            throw usageError("--actor must be a non-empty name without control characters")
        }
    }

    func openRegistry() throws -> Registry {
        try Registry.open(at: databasePath)
    }

    /// For commands that only read and vouch for the file (verify, check,
    /// anchor): opened read-only, so that the file keeps its bytes.
    func openRegistryReadOnly() throws -> Registry {
        try Registry.open(at: databasePath, readOnly: true)
    }

    /// The write context for `command` (e.g. "park add").
    func context(_ command: String) -> WriteContext {
        WriteContext(actor: actorName, command: command)
    }

    private func environment(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// How list commands print rows.
extension OutputFormat: ExpressibleByArgument {
    /// The format asked for, else a table on a terminal and CSV when piped.
    static func resolved(_ format: OutputFormat?) -> OutputFormat {
        format ?? (isatty(STDOUT_FILENO) == 1 ? .table : .csv)
    }
}

/// `--format` for list commands: a table on a terminal, CSV when piped.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: table (for a terminal), csv or json. Default: table on a terminal, csv otherwise.")
    var format: OutputFormat?

    @Option(help: "Unit for amounts in tables: auto (亿元 from one 亿 up, else 万元), yi, wan or yuan.")
    var unit: Money.DisplayUnit = .auto

    var resolved: OutputFormat { OutputFormat.resolved(format) }
}

/// `--unit auto|yi|wan|yuan` of tables: the domain's own display choice.
extension Money.DisplayUnit: ExpressibleByArgument {}

/// `--unit yi|wan|yuan` of reports: a unit, never `auto` (a report's columns share one).
extension Money.Unit: ExpressibleByArgument {
    /// Largest first, as the help has always listed them.
    public static var allValueStrings: [String] { ["yi", "wan", "yuan"] }
}
