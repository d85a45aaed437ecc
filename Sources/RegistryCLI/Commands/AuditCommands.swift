import ArgumentParser
import Foundation
import RegistryDomain

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Fund-supervision audits: a catalogue of named rules that auditors can rerun at any time.",
        subcommands: [AuditRun.self, AuditRules.self]
    )
}

enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json, markdown
}

extension AuditSeverity: ExpressibleByArgument {}

/// `--fail-on`: the lowest severity that makes `audit run` exit 1.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case error, warning, info, never

    var severity: AuditSeverity? { AuditSeverity(rawValue: rawValue) }
}

struct AuditRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the audit rules and list what they find.",
        discussion: """
            Exit status: 1 when a finding is at or above --fail-on (default error), 0 otherwise.
            Records dated after the as-of date (default today) are not yet on the books: the rule
            future-dated reports them, the other rules leave them out.
            Example: registry audit run --year 2025 --param idle-days=180 --fail-on warning
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only records of this year (by each rule's main date).") var year: Int?
    @Option(name: .customLong("as-of"), help: "Audit the books as they stood on this date (default today).") var asOf: String?
    @Option(name: .customLong("rule"), help: "Run only this rule (repeatable); see `registry audit rules`.") var rules: [String] = []
    @Option(name: .customLong("param"), help: "Override a rule parameter: name=value, e.g. idle-days=180 (repeatable).") var parameters: [String] = []
    @Option(help: "Also run the custom rules (.sql files) in this folder.") var rulesDir: String?
    @Option(help: "table, csv, json or markdown.") var format: AuditFormat = .table
    @Option(help: "Exit 1 when a finding is at or above: error, warning, info, or never.") var failOn: FailOn = .error
    @Option(help: "Unit for amounts in the table: auto, yi, wan or yuan.") var unit: Money.DisplayUnit = .auto
    @Flag(
        name: .customLong("no-integrity-check"),
        help: "Skip SQLite's integrity check of the tables the rules read (only where `registry check` vouched for the file since it last changed)."
    ) var skipIntegrityCheck = false

    func run() throws {
        let registry = try global.openRegistry()
        let date = try asOf.map { try ISODate.parse($0, field: "as-of") }
        var request = AuditRequest(year: year, asOf: date, ruleIDs: rules, parameters: parameters, rulesDirectory: rulesDir)
        request.checkIntegrity = !skipIntegrityCheck
        let result = try registry.audit(request)
        FileHandle.standardOutput.write(Data(AuditOutput(result: result, unit: unit).render(format).utf8))
        for refused in result.refusedFiles { FileHandle.standardError.write(Data("registry: \(refused)\n".utf8)) }
        if let threshold = failOn.severity, result.count(atLeast: threshold) > 0 {
            throw CLIFailure(message: "audit: \(result.count(atLeast: threshold)) finding(s) at or above \(threshold.rawValue)", code: ExitStatus.findings)
        }
        if !result.refusedFiles.isEmpty {
            throw CLIFailure(message: "audit incomplete: \(result.refusedFiles.count) custom rule file(s) not run", code: ExitStatus.dataError)
        }
    }
}

struct AuditRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "The audit catalogue: each rule's id, severity, title, explanation and parameters.")

    @Option(help: "Also list the custom rules (.sql files) in this folder.") var rulesDir: String?
    @Flag(help: "Print each rule's SQL, to read or rerun by hand.") var sql = false
    @Option(help: "table or json.") var format: AuditFormat = .table

    func run() throws {
        let (rules, refused) = try Registry.auditRules(rulesDirectory: rulesDir)
        for message in refused { FileHandle.standardError.write(Data("registry: \(message)\n".utf8)) }
        if format == .json {
            print(JSONValue.array(rules.map(AuditOutput.json)).rendered())
            return
        }
        for rule in rules {
            print("\(rule.id)  [\(rule.severity.rawValue) \(rule.severity.chineseName)]\(rule.severityNote.map { " (\($0))" } ?? "")")
            print("  \(rule.titleZh) — \(rule.titleEn)")
            print("  \(rule.explanation)")
            for parameter in rule.parameters {
                print("  --param \(parameter.name)=…  default \(parameter.shown(parameter.defaultValue)): \(parameter.help)")
            }
            if let file = rule.file { print("  file: \(file)") }
            if sql { print(rule.sql.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")) }
            print("")
        }
        print(
            "\(rules.count) rule(s). Custom rules: --rules-dir DIR of .sql files, each one SELECT returning \(AuditRule.findingColumns.joined(separator: ", "))."
        )
    }
}

/// Findings as a table, CSV, JSON or Markdown.
struct AuditOutput {
    let result: AuditResult
    let unit: Money.DisplayUnit

    func render(_ format: AuditFormat) -> String {
        switch format {
        case .table: listing.render(.table) + summary + "\n"
        case .csv: listing.render(.csv)
        case .json: json
        case .markdown: markdown
        }
    }

    var listing: Listing {
        var listing = Listing(fields: [
            .init("severity", "级别"), .init("rule", "规则"), .init("records", "记录"),
            .init("fund", "资金", inTable: false), .init("allocation", "批复", inTable: false),
            .init("disbursement", "拨付", inTable: false), .init("project", "项目", inTable: false),
            .init("payee", "收款单位"), .init("amount_yuan", "金额", .right), .init("limit_yuan", "限额", .right),
            .init("date", "日期"), .init("reason", "说明"),
        ])
        for finding in result.findings {
            listing.rows.append([
                Listing.Value(display: finding.severity.chineseName, exact: .text(finding.severity.rawValue)), .text(finding.rule),
                Listing.Value(display: finding.records, exact: .text(finding.records)), .text(finding.fund), .text(finding.allocation),
                .text(finding.disbursement), .text(finding.project), .text(finding.payee),
                amount(finding.amountFen), amount(finding.limitFen), .text(finding.date), .text(finding.reason),
            ])
        }
        return listing
    }

    private func amount(_ fen: Int64?) -> Listing.Value {
        fen.map { .money(Money(fen: $0), unit) } ?? .text(nil)
    }

    var summary: String {
        let counts = AuditSeverity.allCases.map { severity in "\(result.findings.filter { $0.severity == severity }.count) \(severity.rawValue)" }
        return
            "\(result.findings.count) finding(s): \(counts.joined(separator: ", ")); \(result.rules.count) rule(s), as of \(result.asOf)\(result.year.map { ", year \($0)" } ?? "")"
    }

    var markdown: String {
        var out = "# 资金监管审计 Audit findings\n\n\(summary)\n\n"
        guard !result.findings.isEmpty else { return out + "No findings.\n" }
        out += "| 级别 | 规则 | 记录 | 收款单位 | 金额 | 限额 | 日期 | 说明 |\n| --- | --- | --- | --- | ---: | ---: | --- | --- |\n"
        for row in listing.rows {
            let cells = [row[0], row[1], row[2], row[7], row[8], row[9], row[10], row[11]].map {
                $0.display.replacingOccurrences(of: "|", with: "\\|")
            }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    var json: String {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        let document: JSONValue = .object([
            ("as_of", .string(result.asOf.description)),
            ("year", result.year.map { .int($0) } ?? .null),
            ("rules", .array(result.rules.map { .string($0.id) })),
            ("parameters", .object(result.parameterValues.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            (
                "findings",
                .array(
                    result.findings.map { finding in
                        .object([
                            ("rule", .string(finding.rule)), ("severity", .string(finding.severity.rawValue)),
                            ("fund", optional(finding.fund)), ("allocation", optional(finding.allocation)),
                            ("disbursement", optional(finding.disbursement)), ("project", optional(finding.project)),
                            ("payee", optional(finding.payee)),
                            ("amount_fen", finding.amountFen.map { .integer($0) } ?? .null),
                            ("limit_fen", finding.limitFen.map { .integer($0) } ?? .null),
                            ("date", optional(finding.date)), ("reason", .string(finding.reason)),
                        ])
                    })
            ),
        ])
        return document.rendered() + "\n"
    }

    static func json(_ rule: AuditRule) -> JSONValue {
        .object([
            ("id", .string(rule.id)), ("severity", .string(rule.severity.rawValue)),
            ("title_zh", .string(rule.titleZh)), ("title_en", .string(rule.titleEn)),
            ("explanation", .string(rule.explanation)),
            (
                "parameters",
                .array(
                    rule.parameters.map { parameter in
                        .object([
                            ("name", .string(parameter.name)), ("kind", .string(parameter.kind.rawValue)),
                            ("default", .integer(parameter.defaultValue)), ("help", .string(parameter.help)),
                        ])
                    })
            ),
            ("custom", .bool(rule.file != nil)),
        ])
    }
}
