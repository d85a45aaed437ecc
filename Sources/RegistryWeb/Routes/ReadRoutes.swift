import Foundation
import Hummingbird
import RegistryDomain
import RegistryPresentation

/// The pages that only read: dashboard, report, change history, audit.
extension WebSite {
    /// 首页: the year's headline against its targets (the figures of `report year`).
    func dashboard(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let asked = try request.query("year").map { try Self.year($0) }
        let today = ISODate.today()
        let figures = self.figures
        let templates = self.templates
        let mine = lastWrites.of(user.csrf)
        // The page body is the same for everyone: rendered once per data version.
        let (body, version) = try await pool.read { registry -> (String, LogHead) in
            let head = try registry.logHead()
            let years = try figures.value("years", head: head, atLeast: mine) { try registry.recordedYears() }.value
            let year = asked ?? (years.first { $0 <= today.year } ?? today.year)
            let body = try figures.value("dashboard:\(year):\(today)", head: head, atLeast: mine) { () -> String in
                let report = try registry.yearReport(year, today: today)
                return templates.render("dashboard", Self.dashboardData(report, years: years))
            }.value
            return (body, head)
        }
        return html(templates.page(body: body, title: "首页", chrome: chrome(user, version: version)))
    }

    static func dashboardData(_ report: YearReport, years: [Int]) -> [String: Any] {
        let layout = ReportLayout(report: report, unit: .yi)
        let shown = ["totals", "targets", "by_sector", "by_county", "audit_summary"]
        let sections = layout.sections.filter { section in shown.contains { $0.sameBytes(as: section.key) } }
        return [
            "year": String(report.year), "years": PageData.years(years, chosen: report.year), "headline": layout.headline,
            "subtitle": layout.subtitle, "hasTargets": !report.targets.isEmpty, "targetBars": report.targets.isEmpty ? "" : layout.targetBars,
            "cumulative": layout.cumulativeLine, "unit": layout.unitName, "sections": sections.map(PageData.section),
            "figuresVersion": report.logHead?.description ?? "",
        ]
    }

    /// 报告: the year-end report as `report year --format html` makes it.
    func reportPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let year = try request.query("year").map { try Self.year($0) } ?? ISODate.today().year
        let asOf = try request.query("as_of").map { try ISODate.parse($0, field: "as_of") }
        let report = try await pool.read { try $0.yearReport(year, asOf: asOf) }
        var response = html(ReportLayout(report: report, unit: .yi).html)
        response.headers[.contentSecurityPolicy] = SecurityHeaders.reportPolicy
        return response
    }

    /// 变更记录: the change log with the filters of `registry log`.
    func historyPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let limit = 200
        // The newest `limit` entries only (the log finds those first), newest at the top.
        let filter = LogFilter(
            table: request.query("table"), key: request.query("key"), actor: request.query("actor"),
            since: try request.query("since").map { try ISODate.parse($0, field: "since") },
            until: try request.query("until").map { try ISODate.parse($0, field: "until") }, limit: limit)
        let (changes, head) = try await pool.read { registry -> ([LoggedChange], LogHead) in
            (try registry.changes(filter).reversed(), try registry.logHead())
        }
        let rows = changes.map { change in
            [
                PageData.Cell(String(change.entry.seq)), PageData.Cell(change.entry.at), PageData.Cell(change.entry.actor),
                PageData.Cell(change.entry.command), PageData.Cell(change.entry.table), PageData.Cell(change.entry.keyText),
                PageData.Cell(change.entry.action.rawValue),
                PageData.Cell(change.differences.map { "\($0.column): \($0.before ?? "∅") → \($0.after ?? "∅")" }.joined(separator: "；")),
            ]
        }
        let table = PageData.table(
            [("序号", true), ("时间", false), ("操作人", false), ("命令", false), ("表", false), ("键", false), ("操作", false), ("变化", false)],
            rows)
        let data: [String: Any] = [
            "table": table, "filterTable": filter.table ?? "", "filterKey": filter.key ?? "", "filterActor": filter.actor ?? "",
            "filterSince": request.query("since") ?? "", "filterUntil": request.query("until") ?? "", "limit": String(limit),
        ]
        return html(templates.page("history", title: "变更记录", chrome: chrome(user, version: head), data))
    }

    /// 审计: `audit run` for a year and an as-of date, by rule and severity.
    func auditPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let year = try request.query("year").map { try Self.year($0) } ?? ISODate.today().year
        let asOf = try request.query("as_of").map { try ISODate.parse($0, field: "as_of") }
        let severity = try request.query("severity").map { try AuditSeverity.parse($0, field: "severity") }
        let rule = request.query("rule")
        let (findings, rules, head) = try await pool.read { registry -> ([AuditFinding], [AuditRule], LogHead) in
            var auditRequest = AuditRequest(year: year, asOf: asOf)
            if let rule { auditRequest.ruleIDs = [rule] }
            let result = try registry.audit(auditRequest)
            var findings: [AuditFinding] = []
            try result.forEachFinding { finding in
                if severity == nil || finding.severity == severity { findings.append(finding) }
            }
            return (findings, result.rules, try registry.logHead())
        }
        let titles = Dictionary(rules.map { ($0.id, $0.titleZh) }) { first, _ in first }
        let rows = findings.map { finding in
            [
                PageData.Cell(finding.severity.chineseName), PageData.Cell(titles[finding.rule] ?? finding.rule),
                PageData.Cell(finding.project, link: finding.project.map { PageData.path("projects", $0) }),
                PageData.Cell(finding.fund, link: finding.fund.map { PageData.path("funds", $0) }),
                PageData.Cell([finding.allocation, finding.disbursement].compactMap { $0 }.joined(separator: " / ")),
                PageData.Cell(finding.amountFen.map { Money(fen: $0).formatted(.wan) }), PageData.Cell(finding.reason),
            ]
        }
        let data: [String: Any] = [
            "year": String(year), "asOf": asOf?.description ?? "", "count": String(findings.count),
            "rules": rules.map { item in ["id": item.id, "title": item.titleZh, "selected": rule.map { item.id.sameBytes(as: $0) } ?? false] },
            "severities": AuditSeverity.allCases.map { ["value": $0.rawValue, "title": $0.chineseName, "selected": $0 == severity] },
            "table": PageData.table(
                [("级别", false), ("规则", false), ("项目", false), ("资金", false), ("批复 / 拨付", false), ("金额", true), ("说明", false)], rows),
        ]
        return html(templates.page("audit", title: "审计", chrome: chrome(user, version: head), data))
    }

    static func year(_ text: String) throws -> Int {
        guard let year = Int(text), ISODate.acceptedYears.contains(year) else {
            throw InvalidValue(
                field: "year", value: text,
                reason: "is not a year; years \(ISODate.acceptedYears.lowerBound)–\(ISODate.acceptedYears.upperBound) are accepted")
        }
        return year
    }
}

extension WebSite {
    /// 搜索: projects, enterprises and parks by any part of a name, code or
    /// notes (`registry search`), the matched part marked.
    func searchPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let text = request.query("q")
        let (hits, head) = try await pool.read { registry -> ([SearchHit], LogHead) in
            (try text.map { try registry.search($0) } ?? [], try registry.logHead())
        }
        let paths: [SearchKind: String] = [.project: "projects", .enterprise: "enterprises", .park: "parks"]
        let table = PageData.table(
            [("类别", false), ("编号", false), ("名称", false), ("匹配内容", false)],
            hits.map { hit in
                [
                    PageData.Cell(hit.kind.chineseName), PageData.Cell(hit.key, link: PageData.path(paths[hit.kind]!, hit.key)),
                    PageData.Cell(hit.name, link: PageData.path(paths[hit.kind]!, hit.key)), PageData.Cell(hit.marked),
                ]
            })
        let data: [String: Any] = ["q": text ?? "", "searched": text != nil, "count": String(hits.count), "table": table]
        return html(templates.page("search", title: "搜索", chrome: chrome(user, version: head), data))
    }
}
