import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

/// `registry finding`: the findings register (整改台账) that `audit run --record` keeps.
struct FindingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "finding",
        abstract: "The findings register (整改台账): list, show, and move each finding to explained, confirmed, rectified or dismissed.",
        subcommands: [
            FindingList.self, FindingShow.self,
            FindingMove.Explain.self, FindingMove.Confirm.self, FindingMove.Dismiss.self, FindingMove.Rectify.self,
        ]
    )
}

extension FindingStatus: ExpressibleByArgument {}

struct FindingList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The register, filtered by year, rule, status or severity.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only findings of this year.") var year: Int?
    @Option(help: "Only this rule's findings.") var rule: String?
    @Option(help: "Only findings in this status: \(FindingStatus.acceptedValues).") var status: FindingStatus?
    @Option(help: "Only findings of this severity: error, warning or info.") var severity: AuditSeverity?

    func run() throws {
        let registry = try global.openRegistry()
        let findings = try registry.findings(FindingFilter(year: year, rule: rule, status: status, severity: severity))
        var table = TextTable(columns: [
            .init("编号 id"), .init("年度"), .init("状态 status"), .init("规则 rule"), .init("级别"), .init("记录 records"), .init("仍存在"),
            .init("最近发现"), .init("文号"),
        ])
        for finding in findings {
            table.append([
                finding.id, String(finding.year), "\(finding.status.chineseName) \(finding.status.rawValue)", finding.rule,
                finding.severity.chineseName, finding.records.isEmpty ? (finding.payee ?? "") : finding.records,
                finding.stillFound ? "是" : "否", finding.lastFound.description, finding.document ?? "",
            ])
        }
        Swift.print(table.render(), terminator: "")
        say("\(findings.count) finding(s)")
    }
}

struct FindingShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One finding: what was found, where it stands, and its whole history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The finding's id (F-…).") var id: String

    func run() throws {
        let registry = try global.openRegistry()
        let finding = try registry.finding(id: id)
        let lines: [(String, String?)] = [
            ("编号 id", finding.id), ("规则 rule", finding.rule), ("年度 year", String(finding.year)),
            ("级别 severity", "\(finding.severity.chineseName) \(finding.severity.rawValue)"), ("资金 fund", finding.fund),
            ("批复 allocation", finding.allocation), ("支付 disbursement", finding.disbursement), ("项目 project", finding.project),
            ("收款人 payee", finding.payee), ("问题 reason", finding.reason), ("首次发现 first found", finding.firstFound.description),
            ("最近发现 last found", finding.lastFound.description), ("仍存在 still found", finding.stillFound ? "是 yes" : "否 no"),
            ("状态 status", "\(finding.status.chineseName) \(finding.status.rawValue)"), ("说明 note", finding.note),
            ("文号 document", finding.document), ("经办 by", finding.changedBy.map { "\($0), \(finding.changedAt ?? "")" }),
        ]
        var table = TextTable(columns: [.init("field"), .init("value")])
        for (label, value) in lines { if let value { table.append([label, value]) } }
        Swift.print(table.render(), terminator: "")
        say("history:")
        for change in try registry.changes(LogFilter(table: "finding", key: finding.id)) {
            let moved = change.differences.first { $0.column == "status" }
            let what = moved.map { "status \($0.before ?? "(new)") → \($0.after ?? "")" } ?? change.entry.action.rawValue
            say("  \(change.entry.at)  \(change.entry.actor)  \(change.entry.command)  \(what)")
        }
    }
}

/// The four commands that move a finding on: each records who, when, a note and an optional document number.
enum FindingMove {
    struct Options: ParsableArguments {
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The finding's id (F-…).") var id: String
        @Option(help: "What was found out or done (required; recorded with the change).") var note: String
        @Option(help: "The document number, e.g. 整改文号 深汕整〔2026〕3号.") var doc: String?

        func move(to status: FindingStatus, command: String) throws {
            let registry = try global.openRegistry()
            let finding = try registry.write(global.context("finding \(command)")) { try $0.changeFinding(id, to: status, note: note, document: doc) }
            say("finding \(finding.id): \(finding.status.chineseName) (\(finding.status.rawValue))" + (finding.document.map { ", \($0)" } ?? ""))
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "explain", abstract: "Record the explanation of a finding (已说明).")
        @OptionGroup var options: Options
        func run() throws { try options.move(to: .explained, command: "explain") }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "confirm", abstract: "Confirm a finding as a real problem (已确认).")
        @OptionGroup var options: Options
        func run() throws { try options.move(to: .confirmed, command: "confirm") }
    }

    struct Dismiss: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "dismiss", abstract: "Dismiss a finding as not a problem (不属实).")
        @OptionGroup var options: Options
        func run() throws { try options.move(to: .dismissed, command: "dismiss") }
    }

    struct Rectify: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rectify", abstract: "Record that a finding was rectified (已整改), with its document.")
        @OptionGroup var options: Options
        func run() throws { try options.move(to: .rectified, command: "rectify") }
    }
}
