import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation

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
extension IntegrityCheck: ExpressibleByArgument {}

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
            Records dated after the as-of date (default today) are not yet on the books: the rule \
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
    @Option(
        name: .customLong("integrity-check"),
        help: ArgumentHelp(
            "SQLite's integrity check of the tables the rules read, first: auto (when the file is at most 64 MiB), always, or never (only where `registry check` vouched for the file since it last changed).",
            valueName: "auto|always|never")
    ) var integrityCheck: IntegrityCheck = .auto
    @Flag(name: .customLong("no-integrity-check"), help: "The same as --integrity-check never.") var skipIntegrityCheck = false
    @Option(
        name: .customLong("rule-timeout"),
        help: ArgumentHelp("Seconds each rule may run; a rule stopped at the limit is reported and the audit exits 65.", valueName: "seconds")
    ) var ruleTimeout: Double = AuditRequest.defaultRuleTimeout
    @Flag(help: "Record the findings in the findings register (整改台账): new ones as open, the same ones found again, those no longer found marked so.")
    var record = false

    func validate() throws {
        if !(ruleTimeout > 0 && ruleTimeout <= 86_400) {
            throw usageError("--rule-timeout \(ruleTimeout) is not accepted; accepted: seconds above 0, at most 86400")
        }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let date = try asOf.map { try ISODate.parse($0, field: "as-of") }
        var request = AuditRequest(year: year, asOf: date, ruleIDs: rules, parameters: parameters, rulesDirectory: rulesDir)
        request.integrityCheck = skipIntegrityCheck ? .never : integrityCheck
        request.ruleTimeout = ruleTimeout
        // Ctrl-C stops the rule that is running (through SQLite's progress
        // handler) and the audit reports nothing, instead of dying mid-output.
        let cancellation = AuditCancellation()
        request.cancellation = cancellation
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { cancellation.cancel() }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }
        let result = try registry.audit(request)
        try AuditOutput(result: result, unit: unit).write(format, to: TextSink.standardOutput())
        for refused in result.refusedFiles { sayError("registry: \(refused)") }
        for (rule, why) in result.stoppedRules.sorted(by: { $0.key < $1.key }) {
            sayError("registry: rule \(rule): \(why)")
        }
        if record {
            let recorded = try registry.write(global.context("audit run --record")) { try $0.recordFindings(result) }
            var summary: Message =
                "register: \(recorded.added) new, \(recorded.foundAgain) found again, \(recorded.noLongerFound) no longer found"
                + (recorded.closedYears > 0 ? ", \(recorded.closedYears) of closed years left as they were" : Message(id: ""))
            if !recorded.reopened.isEmpty {
                summary += "; reopened (rectified, but found again): \(recorded.reopened.joined(separator: ", "))"
            }
            sayError("registry: \(summary)")
        }
        if let threshold = failOn.severity, result.count(atLeast: threshold) > 0 {
            throw CLIFailure(
                message: "audit: \(result.count(atLeast: threshold)) finding(s) at or above \(Message.term(threshold.rawValue))", code: ExitStatus.findings)
        }
        if !result.isComplete {
            throw CLIFailure(
                message:
                    "audit incomplete: \(result.refusedFiles.count) custom rule file(s) not run, \(result.stoppedRules.count) rule(s) stopped at the time limit",
                code: ExitStatus.dataError)
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
        for message in refused { sayError("registry: \(message)") }
        if format == .json {
            print(JSONValue.array(rules.map(AuditOutput.json)).rendered())
            return
        }
        for rule in rules {
            say("\(rule.id)  [\(rule.severity.rawValue) \(rule.severity.chineseName)]\(rule.severityNote.map { " (\($0))" } ?? "")")
            say("  \(rule.titleZh) — \(rule.titleEn)")
            say("  \(rule.explanation)")
            for parameter in rule.parameters {
                say("  --param \(parameter.name)=…  default \(parameter.shown(parameter.defaultValue)): \(parameter.help)")
            }
            if let file = rule.file { say("  file: \(file)") }
            if sql { print(rule.sql.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")) }
            say("")
        }
        say(
            "\(rules.count) rule(s). Custom rules: --rules-dir DIR of .sql files, each one SELECT returning \(AuditRule.findingColumns.joined(separator: ", "))."
        )
    }
}
