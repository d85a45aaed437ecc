import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry verify`: proves the records are what the history says.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the change history's hash chain, replay it against every row, and compare the schema with the migrations.",
        discussion: """
            Exit 0: intact. Exit 1: something was changed behind registry's back; each finding names the entry, \
            the table and key, and expected vs found. With --anchor (from `registry anchor`, kept elsewhere), also \
            proves that the log still contains that head.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var anchor: AnchorOption

    func run() throws {
        let registry = try global.openRegistryReadOnly()
        let report = try registry.verify(anchor: anchor.head)
        try VerifyOutput.print(report)
    }
}

/// `--anchor seq:hash` for verify and check: a published head the log must still contain.
struct AnchorOption: ParsableArguments {
    @Option(name: .customLong("anchor"), help: ArgumentHelp("A published head, seq:hash, that the log must still contain.", valueName: "seq:hash")) var text:
        String?

    var head: LogHead? { text.flatMap(LogHead.init(text:)) }

    func validate() throws {
        if let text, LogHead(text: text) == nil {
            throw usageError("--anchor \"\(text)\" is not a head; accepted: <seq>:<64 hex digits>, as `registry anchor` prints")
        }
    }
}

/// `registry anchor`: the head to publish.
struct AnchorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchor",
        abstract: "Print the change log's head (seq:hash), to publish or keep elsewhere and check later with verify --anchor."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let registry = try global.openRegistryReadOnly()
        print(try registry.logHead())
    }
}

/// `registry check`: SQLite's integrity and foreign-key checks, then verify.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run PRAGMA integrity_check, PRAGMA foreign_key_check, the search indexes' check and verify; exit 1 if any fails."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var anchor: AnchorOption

    func run() throws {
        let registry = try global.openRegistryReadOnly()
        let report = try registry.check(anchor: anchor.head)
        say("integrity_check: \(report.integrity.joined(separator: "; "))")
        say(report.foreignKeys.isEmpty ? "foreign_key_check: ok" : "foreign_key_check: \(report.foreignKeys.count) broken reference(s)")
        for line in report.foreignKeys.prefix(50) { say("  \(line)") }
        // The search indexes against their tables (their own check needs a connection that may write).
        let search = try registry.checkSearchIndexes()
        say(search.isEmpty ? "search indexes: ok" : "search indexes: \(Message.joined(search, separator: "; "))")
        let twins = try registry.projectCodesDifferingInCase()
        say(
            twins.isEmpty
                ? "project codes: ok"
                : "project codes: \(twins.count) group(s) differ only in case (one project entered twice; merge them): \(twins.prefix(20).map { $0.joined(separator: " / ") }.joined(separator: "; "))"
        )
        let searchDamaged = search.contains { !$0.id.hasPrefix("search indexes not checked") }
        if report.integrity != ["ok"] || !report.foreignKeys.isEmpty || searchDamaged {
            if !report.verify.isIntact { for failure in report.verify.failures { say("TAMPERED \(failure.check.rawValue): \(failure.message)") } }
            if report.integrity == ["ok"] && report.foreignKeys.isEmpty {
                throw CLIFailure(
                    message: "check: a search index does not match its table; `registry search --rebuild-index` rebuilds it", code: ExitStatus.findings)
            }
            throw CLIFailure(message: "check: the database is not sound", code: ExitStatus.findings)
        }
        try VerifyOutput.print(report.verify)
    }
}
