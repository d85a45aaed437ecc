import Foundation
import RegistryDomain
import RegistryPresentation

/// Findings as a table, CSV, JSON or Markdown, written as they are read
/// from the audit's spool (`AuditResult.forEachFinding`): the table reads
/// them twice (widths, then rows), the other formats once.
struct AuditOutput {
    let result: AuditResult
    let unit: Money.DisplayUnit

    func render(_ format: AuditFormat) -> String {
        let sink = TextSink.string()
        try? write(format, to: sink)
        return sink.text
    }

    func write(_ format: AuditFormat, to sink: TextSink) throws {
        switch format {
        case .table:
            try Listing.stream(Self.fields, format: .table, to: sink, rows)
            sink.write(summary.description + "\n")
        case .csv: try Listing.stream(Self.fields, format: .csv, to: sink, rows)
        case .json: try writeJSON(to: sink)
        case .markdown: try writeMarkdown(to: sink)
        }
        sink.flush()
    }

    static let fields: [Listing.Field] = [
        .init("severity", "级别"), .init("rule", "规则"), .init("records", "记录"),
        .init("fund", "资金", inTable: false), .init("allocation", "批复", inTable: false),
        .init("disbursement", "拨付", inTable: false), .init("project", "项目", inTable: false),
        .init("payee", "收款单位"), .init("amount_yuan", "金额", .right), .init("limit_yuan", "限额", .right),
        .init("date", "日期"), .init("reason", "说明"),
    ]

    private func rows(_ emit: ([Listing.Value]) throws -> Void) throws {
        try result.forEachFinding { try emit(row($0)) }
    }

    private func row(_ finding: AuditFinding) -> [Listing.Value] {
        [
            Listing.Value(display: finding.severity.chineseName, exact: .text(finding.severity.rawValue)), .text(finding.rule),
            Listing.Value(display: finding.records, exact: .text(finding.records)), .text(finding.fund), .text(finding.allocation),
            .text(finding.disbursement), .text(finding.project), .text(finding.payee),
            amount(finding.amountFen), amount(finding.limitFen), .text(finding.date), .text(finding.reason),
        ]
    }

    private func amount(_ fen: Int64?) -> Listing.Value {
        fen.map { .money(Money(fen: $0), unit) } ?? .text(nil)
    }

    var summary: Message {
        let counts = Message.joined(
            AuditSeverity.allCases.map { severity in "\(result.count(of: severity)) \(Message.term(severity.rawValue))" }, separator: ", ")
        let year: Message = result.year.map { ", year \($0)" } ?? ""
        var text: Message =
            "\(result.findingCount) finding(s): \(counts); \(result.rules.count) rule(s), as of \(result.asOf)\(year)"
        switch result.integrity {
        case .checked: break
        case .declined: text += "\nintegrity check of the file: not run (--integrity-check never)"
        case .fileTooLarge(let bytes):
            text +=
                "\nintegrity check of the file: not run: the file holds \(bytes >> 20) MiB, more than the \(IntegrityCheck.budgetBytes >> 20) MiB an audit checks by itself; `registry check` vouches for it (or run with --integrity-check always)"
        }
        return text
    }

    private func writeMarkdown(to sink: TextSink) throws {
        sink.write("# 资金监管审计 Audit findings\n\n\(summary.description)\n\n")
        guard result.findingCount > 0 else {
            sink.write("No findings.\n")
            return
        }
        sink.write("| 级别 | 规则 | 记录 | 收款单位 | 金额 | 限额 | 日期 | 说明 |\n| --- | --- | --- | --- | ---: | ---: | --- | --- |\n")
        try rows { row in
            let cells = [row[0], row[1], row[2], row[7], row[8], row[9], row[10], row[11]].map {
                $0.display.replacingOccurrences(of: "|", with: "\\|")
            }
            sink.write("| " + cells.joined(separator: " | ") + " |\n")
        }
    }

    /// The document as `JSONValue` prints it, with the findings (its last
    /// field, one flat object per line) written one at a time.
    private func writeJSON(to sink: TextSink) throws {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        let head: JSONValue = .object([
            ("as_of", .string(result.asOf.description)),
            ("integrity_check", result.integrity == .checked ? .string("checked") : .string("not run")),
            ("year", result.year.map { .int($0) } ?? .null),
            ("rules", .array(result.rules.map { .string($0.id) })),
            ("parameters", .object(result.parameterValues.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) })),
            ("findings", .array([])),
        ])
        let text = head.rendered()
        guard result.findingCount > 0, text.hasSuffix("[]\n}") else {
            sink.write(text + "\n")
            return
        }
        sink.write(String(text.dropLast(4)) + "[")
        var first = true
        try result.forEachFinding { finding in
            let object: JSONValue = .object([
                ("rule", .string(finding.rule)), ("severity", .string(finding.severity.rawValue)),
                ("fund", optional(finding.fund)), ("allocation", optional(finding.allocation)),
                ("disbursement", optional(finding.disbursement)), ("project", optional(finding.project)),
                ("payee", optional(finding.payee)),
                ("amount_fen", finding.amountFen.map { .integer($0) } ?? .null),
                ("limit_fen", finding.limitFen.map { .integer($0) } ?? .null),
                ("date", optional(finding.date)), ("reason", .string(finding.reason)),
            ])
            sink.write((first ? "\n    " : ",\n    ") + object.renderedOnOneLine())
            first = false
        }
        sink.write("\n  ]\n}\n")
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
