import Foundation
import Hummingbird
import RegistryDomain

/// The forms for everyday writes. Each goes through `Registry.write` with
/// the signed-in person as the actor: the same validation, closed-year rule
/// and change log as the CLI. A refusal shows the form again with the
/// message next to the field, and nothing written.
extension WebSite {
    /// Runs `body` as one write by `user`; the location to go to on success,
    /// or the error the write path refused it with.
    func write(
        _ user: SignedIn, command: String, _ body: @escaping @Sendable (RegistryWriter) throws -> String
    ) async throws -> Result<String, Error> {
        let context = WriteContext(actor: user.account.name, command: "web: \(command)")
        do {
            let (location, head) = try await pool.write { registry in
                let location = try registry.write(context, body)
                return (location, try registry.logHead())
            }
            lastWrites.record(user.csrf, head.seq)
            return .success(location)
        } catch {
            return .failure(error)
        }
    }

    /// A form page, or the form again with the refusal shown (status 422).
    func formPage(_ name: String, title: String, _ user: SignedIn, _ page: FormPage, action: String, status: HTTPResponse.Status = .ok) -> Response {
        var data = page.values
        data["action"] = action
        data["formTitle"] = title
        data["csrf"] = user.csrf
        return html(templates.page(name, title: title, chrome: chrome(user, version: nil), data), status: status)
    }

    /// Submits `form` through `body`: a redirect on success, else the form
    /// (built by `page` only then: a success reads nothing for it) with its messages.
    func submit(
        _ user: SignedIn, _ form: Form, page: () async throws -> FormPage, kind: String, title: String, action: String, command: String,
        _ body: @escaping @Sendable (RegistryWriter) throws -> String
    ) async throws -> Response {
        switch try await write(user, command: command, body) {
        case .success(let location):
            return redirect(location)
        case .failure(let error):
            var page = try await page()
            page.fill(from: form)
            let importKind = ImportKind(rawValue: kind)
            try page.show(error) { field in importKind?.label(of: field) ?? field }
            return formPage("form", title: title, user, page, action: action, status: .unprocessableContent)
        }
    }

    // MARK: Projects

    func projectFields(options: (parks: [(code: String, name: String)], sectors: [Sector]), editing: Project?) -> FormPage {
        let kind = ImportKind(rawValue: "projects")!
        func field(_ name: String, _ value: String, required: Bool = false, type: String = "text") -> FormPage.Field {
            FormPage.Field(name: name, label: kind.label(of: name), value: value, type: type, required: required)
        }
        var fields = [
            field("code", editing?.code ?? "", required: true),
            field("name", editing?.name ?? "", required: true),
            FormPage.Field(
                name: "kind", label: kind.label(of: "kind"), value: editing?.kind.rawValue ?? ProjectKind.investment.rawValue,
                options: ProjectKind.allCases.map { ($0.rawValue, $0.chineseName) }),
            FormPage.Field(
                name: "park", label: kind.label(of: "park"), value: editing?.parkCode ?? "",
                options: [("", "（无）")] + options.parks.map { ($0.code, "\($0.code) \($0.name)") }),
            field("enterprise", editing?.enterpriseUSCC?.value ?? ""),
            FormPage.Field(
                name: "sector", label: kind.label(of: "sector"), value: editing?.sectorKey ?? "",
                options: [("", "（无）")] + options.sectors.map { ($0.key, $0.chineseName) }),
            field("planned_investment", editing.map { $0.plannedInvestment.formatted(.wan) } ?? "", required: true),
            field("signed_on", editing?.signedOn.description ?? "", required: true, type: "date"),
            field("notes", editing?.notes ?? ""),
        ]
        fields[4].hint = "统一社会信用代码或企业名称"
        fields[6].hint = "如 25亿、3000万、12500000元"
        if editing != nil { fields[0].type = "readonly" }
        return FormPage(fields: fields)
    }

    /// The parks and sectors a project form offers.
    func formChoices() async throws -> (parks: [(code: String, name: String)], sectors: [Sector]) {
        try await pool.read { registry in (try registry.parkChoices(), try registry.sectors()) }
    }

    func projectForm(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let code = context.parameters.get("code").map { $0.removingPercentEncoding ?? $0 }
        let loaded = try await pool.read { registry in
            (try registry.parkChoices(), try registry.sectors(), try code.map { try registry.project(code: $0).project })
        }
        let page = projectFields(options: (loaded.0, loaded.1), editing: loaded.2)
        if let project = loaded.2 {
            return formPage("form", title: "更正项目 \(project.code)", user, page, action: PageData.path("projects", project.code))
        }
        return formPage("form", title: "添加项目", user, page, action: "/projects")
    }

    func addProject(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let fields = ProjectFields(
            code: form["code"], name: form["name"], kind: form.nonEmpty("kind"), park: form.nonEmpty("park"), enterprise: form.nonEmpty("enterprise"),
            sector: form.nonEmpty("sector"), plannedInvestment: form["planned_investment"], signedOn: form["signed_on"], notes: form.nonEmpty("notes"))
        return try await submit(
            user, form, page: { self.projectFields(options: try await self.formChoices(), editing: nil) }, kind: "projects", title: "添加项目", action: "/projects",
            command: "project add"
        ) { writer in
            PageData.path("projects", try writer.addProject(fields).code)
        }
    }

    func updateProject(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let code = context.parameter("code")
        // Every field of the form is sent; an empty optional field clears it.
        let fields = ProjectFields(
            name: form["name"], kind: form.nonEmpty("kind"), park: form.nonEmpty("park"), enterprise: form.nonEmpty("enterprise"),
            sector: form.nonEmpty("sector"), plannedInvestment: form["planned_investment"], signedOn: form["signed_on"], notes: form["notes"] ?? "")
        return try await submit(
            user, form,
            page: {
                let project = try await self.pool.read { try $0.project(code: code).project }
                return self.projectFields(options: try await self.formChoices(), editing: project)
            }, kind: "projects", title: "更正项目 \(code)",
            action: PageData.path("projects", code), command: "project update"
        ) { writer in
            PageData.path("projects", try writer.updateProject(code: code, fields).after.code)
        }
    }

    func changeStage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let code = context.parameter("code")
        let stage = form["stage"] ?? ""
        let date = form["on"] ?? ""
        switch try await write(
            user, command: "project stage",
            { writer in
                try writer.changeStage(code: code, to: stage, on: date)
                return PageData.path("projects", code)
            })
        {
        case .success(let location):
            return redirect(location)
        case .failure(let error):
            var page = Self.stageForm()
            page.fill(from: form)
            try page.show(error) { ["stage": "新阶段", "on": "变更日期"][$0] ?? $0 }
            return try await projectPage(code: code, user: user, stageForm: page, status: .unprocessableContent)
        }
    }
}
