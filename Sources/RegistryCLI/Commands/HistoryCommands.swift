import ArgumentParser
import Foundation
import RegistryDomain

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
                throw ValidationError("\(name) \"\(value)\" is not a date; accepted: YYYY-MM-DD")
            }
        }
        if let limit, limit <= 0 { throw ValidationError("--limit must be a positive number") }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let filter = LogFilter(
            table: table, key: key, actor: by, since: since.flatMap(ISODate.init(iso:)),
            until: until.flatMap(ISODate.init(iso:)), limit: limit)
        print(ChangeListing.render(try registry.changes(filter), format: OutputFormat.resolved(format)), terminator: "")
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
        let changes = try registry.history(table: table, key: key)
        guard !changes.isEmpty else {
            throw CLIFailure(message: "\(table) \(key): no such record in the change history", code: ExitStatus.dataError)
        }
        print(ChangeListing.render(changes, format: OutputFormat.resolved(format)), terminator: "")
    }
}

/// How change entries print: one line per entry, the change summarised column by column.
enum ChangeListing {
    static func render(_ changes: [LoggedChange], format: OutputFormat) -> String {
        var listing = Listing(fields: [
            .init("seq", "序号", .right), .init("at", "时间 (UTC)"), .init("actor", "操作人"), .init("command", "命令"),
            .init("table", "表"), .init("key", "主键"), .init("action", "操作"), .init("change", "变更 before → after"),
            .init("before", "before", inTable: false), .init("after", "after", inTable: false), .init("hash", "hash", inTable: false),
        ])
        for change in changes {
            let entry = change.entry
            listing.rows.append([
                .integer(entry.seq), .text(entry.at), .text(entry.actor), .text(entry.command), .text(entry.table),
                .text(entry.keyText), .text(entry.action.rawValue), .text(summary(change)),
                .text(entry.before), .text(entry.after), .text(entry.hash),
            ])
        }
        return listing.render(format)
    }

    /// `amount_fen: 5000000 → 9000000; notes: null → "补录"`; for an insert or
    /// a delete, the row's non-empty columns.
    static func summary(_ change: LoggedChange) -> String {
        switch change.entry.action {
        case .update:
            return change.differences.map { "\($0.column): \($0.before ?? "null") → \($0.after ?? "null")" }.joined(separator: "; ")
        case .insert:
            return "+ " + change.differences.map { "\($0.column)=\($0.after ?? "null")" }.joined(separator: " ")
        case .delete:
            return "− " + change.differences.map { "\($0.column)=\($0.before ?? "null")" }.joined(separator: " ")
        }
    }
}

/// `registry verify`: proves the records are what the history says.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the change history's hash chain, replay it against every row, and compare the schema with the migrations.",
        discussion: """
            Exit 0: intact. Exit 1: something was changed behind registry's back; each finding names the entry,
            the table and key, and expected vs found. With --anchor (from `registry anchor`, kept elsewhere), also
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
            throw ValidationError("--anchor \"\(text)\" is not a head; accepted: <seq>:<64 hex digits>, as `registry anchor` prints")
        }
    }
}

enum VerifyOutput {
    static func print(_ report: VerifyReport) throws {
        guard report.isIntact else {
            for failure in report.failures { Swift.print("TAMPERED \(failure)") }
            if report.failuresNotShown > 0 { Swift.print("… and \(report.failuresNotShown) more") }
            throw CLIFailure(
                message: "verify: \(report.failures.count + report.failuresNotShown) problem(s); the registry does not match its history",
                code: ExitStatus.findings)
        }
        Swift.print(
            "intact: \(report.entries) log entries chain to head \(report.head); \(report.rows) rows in \(report.tables) tables match the log; schema (\(report.schemaObjects) objects) as the migrations made it"
        )
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
        abstract: "Run PRAGMA integrity_check, PRAGMA foreign_key_check and verify; exit 1 if any fails."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var anchor: AnchorOption

    func run() throws {
        let registry = try global.openRegistryReadOnly()
        let report = try registry.check(anchor: anchor.head)
        print("integrity_check: \(report.integrity.joined(separator: "; "))")
        print("foreign_key_check: \(report.foreignKeys.isEmpty ? "ok" : "\(report.foreignKeys.count) broken reference(s)")")
        for line in report.foreignKeys.prefix(50) { print("  \(line)") }
        if report.integrity != ["ok"] || !report.foreignKeys.isEmpty {
            if !report.verify.isIntact { for failure in report.verify.failures { print("TAMPERED \(failure)") } }
            throw CLIFailure(message: "check: the database is not sound", code: ExitStatus.findings)
        }
        try VerifyOutput.print(report.verify)
    }
}

/// `registry year close|reopen|list`.
struct YearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "year",
        abstract: "Close a finished year so that its figures stop moving, or reopen it.",
        subcommands: [YearClose.self, YearReopen.self, YearList.self]
    )

    struct YearClose: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "close",
            abstract: "Freeze a year's records: projects signed, stages entered, targets, funds, allocations approved and disbursements paid in it.",
            discussion: "Example: registry year close 2025 --reason \"年度报告已报送\""
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The year, e.g. 2025.") var year: String
        @Option(help: "Why (recorded with the close).") var reason: String

        func run() throws {
            let registry = try global.openRegistry()
            let closed = try registry.write(global.context("year close")) { try $0.closeYear(year, reason: reason) }
            print("closed \(closed.year) (\(closed.reason)); change log head at closing: \(closed.head)")
        }
    }

    struct YearReopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reopen",
            abstract: "Reopen a closed year so that its records can be corrected; recorded with its reason.",
            discussion: "Example: registry year reopen 2025 --reason \"补录项目\""
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The year, e.g. 2025.") var year: String
        @Option(help: "Why (recorded with the reopening).") var reason: String

        func run() throws {
            let registry = try global.openRegistry()
            let reopened = try registry.write(global.context("year reopen")) { try $0.reopenYear(year, reason: reason) }
            print("reopened \(reopened.year) (\(reopened.reason)); change log head: \(reopened.head)")
        }
    }

    struct YearList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List years closed or reopened.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: table, csv or json. Default: table on a terminal, csv otherwise.") var format: OutputFormat?

        func run() throws {
            let registry = try global.openRegistry()
            var listing = Listing(fields: [
                .init("year", "年度", .right), .init("status", "状态"), .init("reason", "原因"),
                .init("by", "操作人"), .init("at", "时间 (UTC)"), .init("head", "日志头 head"),
            ])
            for status in try registry.yearStatuses() {
                listing.rows.append([
                    .integer(Int64(status.year)), .text(status.closed ? "closed 已关账" : "open 已重开"), .text(status.reason),
                    .text(status.by), .text(status.at), .text("\(status.head.seq):\(status.head.hash.prefix(16))…"),
                ])
            }
            print(listing.render(OutputFormat.resolved(format)), terminator: "")
        }
    }
}

/// `registry backup FILE`.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the registry consistently (others may keep writing), sync it to disk, check it, print its head.",
        discussion: "Example: registry backup /mnt/backup/registry-2026-01-05.db"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to create.") var file: String
    @Flag(help: "Replace the file if it exists (only once the new copy is whole and checked).") var force = false

    func run() throws {
        let registry = try global.openRegistry()
        let result = try registry.backup(to: file, force: force)
        print("backup written to \(result.path) (\(result.bytes) bytes, integrity_check ok)")
        print("head: \(result.head)")
    }
}

/// `registry restore BACKUP`.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the registry database (--db) with a backup, once the backup passes integrity_check and verify.",
        discussion: "Example: registry restore /mnt/backup/registry-2026-01-05.db --db registry.db --force"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.") var backup: String
    @Flag(help: "Replace an existing database (its changes since the backup are lost).") var force = false

    func run() throws {
        let result = try Registry.restore(from: backup, to: global.databasePath, force: force)
        print("restored \(backup) into \(result.path) (\(result.bytes) bytes)")
        print("head: \(result.head)")
    }
}
