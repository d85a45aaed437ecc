import Foundation
import Hummingbird
import RegistryDomain

/// 目标与年度 (admin): targets, and closing or reopening a year; the same
/// writer methods as `target set` and `year close|reopen`.
extension WebSite {
    static func targetFields() -> FormPage {
        FormPage(fields: [
            FormPage.Field(name: "year", label: "年度", value: String(ISODate.today().year), required: true),
            FormPage.Field(name: "scope", label: "范围", value: "all", hint: "all、level:county、county:海丰县、sector:nev 等"),
            FormPage.Field(name: "projects", label: "项目数目标", value: ""),
            FormPage.Field(name: "investment", label: "投资额目标", value: "", hint: "如 120亿"),
        ])
    }

    static func yearFields() -> FormPage {
        FormPage(fields: [
            FormPage.Field(name: "year", label: "年度", value: String(ISODate.today().year - 1), required: true),
            FormPage.Field(name: "reason", label: "原因", value: "", required: true),
        ])
    }

    func adminPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        try await adminPage(user, targets: nil, years: nil)
    }

    private func adminPage(_ user: SignedIn, targets: FormPage?, years: FormPage?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let (targetList, yearList, head) = try await pool.read { registry in (try registry.targets(), try registry.yearStatuses(), try registry.logHead()) }
        var targetForm = (targets ?? Self.targetFields()).values
        targetForm["action"] = "/targets"
        var yearForm = (years ?? Self.yearFields()).values
        yearForm["action"] = "/years"
        let data: [String: Any] = [
            "csrf": user.csrf, "targetForm": targetForm, "yearForm": yearForm,
            "targets": PageData.table(
                [("年度", true), ("指标", false), ("范围", false), ("目标值", true), ("设定人", false), ("设定时间", false)],
                targetList.map { target in
                    [
                        PageData.Cell(String(target.year)), PageData.Cell(target.metric.chineseName), PageData.Cell(target.scope.description),
                        PageData.Cell(target.formattedValue()), PageData.Cell(target.setBy), PageData.Cell(target.setAt),
                    ]
                }),
            "years": PageData.table(
                [("年度", true), ("状态", false), ("原因", false), ("操作人", false), ("时间", false)],
                yearList.map { year in
                    [
                        PageData.Cell(String(year.year)), PageData.Cell(year.closed ? "已关账" : "已重新开放"), PageData.Cell(year.reason),
                        PageData.Cell(year.by), PageData.Cell(year.at),
                    ]
                }),
        ]
        return html(templates.page("admin", title: "目标与年度", chrome: chrome(user, version: head), data), status: status)
    }

    func setTarget(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let fields = TargetFields(
            year: form["year"] ?? "", scope: form.nonEmpty("scope") ?? "all", projects: form.nonEmpty("projects"), investment: form.nonEmpty("investment"))
        switch try await write(
            user, command: "target set",
            { writer in
                _ = try writer.setTarget(fields)
                return "/admin"
            })
        {
        case .success(let location): return redirect(location)
        case .failure(let error):
            var page = Self.targetFields()
            page.fill(from: form)
            try page.show(error) { ["year": "年度", "scope": "范围", "projects": "项目数目标", "investment": "投资额目标"][$0] ?? $0 }
            return try await adminPage(user, targets: page, years: nil, status: .unprocessableContent)
        }
    }

    /// Close (`action=close`) or reopen (`action=reopen`) a year, with its reason.
    func closeOrReopenYear(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let year = form["year"] ?? ""
        let reason = form["reason"] ?? ""
        let reopening = form["action"].map { $0.sameBytes(as: "reopen") } ?? false
        switch try await write(
            user, command: reopening ? "year reopen" : "year close",
            { writer in
                _ = reopening ? try writer.reopenYear(year, reason: reason) : try writer.closeYear(year, reason: reason)
                return "/admin"
            })
        {
        case .success(let location): return redirect(location)
        case .failure(let error):
            var page = Self.yearFields()
            page.fill(from: form)
            try page.show(error) { ["year": "年度", "reason": "原因"][$0] ?? $0 }
            return try await adminPage(user, targets: nil, years: page, status: .unprocessableContent)
        }
    }
}
