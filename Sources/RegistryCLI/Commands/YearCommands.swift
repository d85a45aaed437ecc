import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

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
            say("closed \(closed.year) (\(closed.reason)); change log head at closing: \(closed.head)")
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
            say("reopened \(reopened.year) (\(reopened.reason)); change log head: \(reopened.head)")
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
