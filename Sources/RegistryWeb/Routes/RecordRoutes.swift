import Foundation
import Hummingbird
import RegistryDomain

/// 园区, 企业 and 资金: lists, pages, and the forms that add to them.
extension WebSite {
    /// The fields of a kind's form, labelled and required as its sheet columns are.
    static func fields(_ kindName: String, _ names: [String]) -> FormPage {
        let kind = ImportKind(rawValue: kindName)!
        return FormPage(
            fields: names.map { name in
                let column = kind.columns.first { $0.field.sameBytes(as: name) }
                return FormPage.Field(name: name, label: kind.label(of: name), value: "", required: column?.required ?? false)
            })
    }

    // MARK: Parks

    func parkList(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let (parks, head) = try await pool.read { registry in (try registry.parks(), try registry.logHead()) }
        let table = PageData.table(
            [("园区编号", false), ("园区名称", false), ("级别", false), ("所在县区", false), ("项目数", true), ("计划总投资", true)],
            parks.map { summary in
                [
                    PageData.Cell(summary.park.code, link: PageData.path("parks", summary.park.code)),
                    PageData.Cell(summary.park.name, link: PageData.path("parks", summary.park.code)), PageData.Cell(summary.park.level.chineseName),
                    PageData.Cell(summary.park.county), PageData.Cell(String(summary.projectCount)), PageData.Cell(summary.plannedInvestment.formatted(.auto)),
                ]
            })
        let data: [String: Any] = ["heading": "园区", "table": table, "add": user.account.role.may(.write) ? "/parks/new" : "", "addTitle": "添加园区"]
        return html(templates.page("list", title: "园区", chrome: chrome(user, version: head), data))
    }

    func parkPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let code = context.parameter("code")
        let loaded: (ParkSummary, ProjectPage, [LoggedChange], LogHead)
        do {
            loaded = try await pool.read { registry in
                let summary = try registry.park(code)
                return (
                    summary, try registry.projectPage(ProjectFilter(park: summary.park.code), limit: 200),
                    try registry.history(table: "park", key: summary.park.code), try registry.logHead()
                )
            }
        } catch let error as InvalidValue {
            return html(templates.page("message", title: "园区", chrome: chrome(user, version: nil), ["message": error.message.description]), status: .notFound)
        }
        let (summary, projects, history, head) = loaded
        let kind = ImportKind(rawValue: "parks")!
        let data: [String: Any] = [
            "heading": summary.park.name,
            "fields": [
                ["label": kind.label(of: "code"), "value": summary.park.code], ["label": kind.label(of: "level"), "value": summary.park.level.chineseName],
                ["label": kind.label(of: "county"), "value": summary.park.county], ["label": kind.label(of: "notes"), "value": summary.park.notes ?? ""],
                ["label": "项目数", "value": String(summary.projectCount)], ["label": "计划总投资", "value": summary.plannedInvestment.formatted(.auto)],
            ],
            "tables": [
                ["title": "项目", "table": Self.projectTable(projects.rows)],
                ["title": "变更记录", "table": Self.historyTable(history)],
            ],
        ]
        return html(templates.page("record", title: summary.park.name, chrome: chrome(user, version: head), data))
    }

    func parkForm(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        formPage("form", title: "添加园区", user, Self.parkFields(), action: "/parks")
    }

    static func parkFields() -> FormPage {
        var page = fields("parks", ["code", "name", "level", "county", "notes"])
        page.fields[2].options = ParkLevel.allCases.map { ($0.rawValue, $0.chineseName) }
        return page
    }

    func addPark(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let fields = ParkFields(code: form["code"], name: form["name"], level: form["level"], county: form["county"], notes: form.nonEmpty("notes"))
        return try await submit(user, form, page: { Self.parkFields() }, kind: "parks", title: "添加园区", action: "/parks", command: "park add") { writer in
            PageData.path("parks", try writer.addPark(fields).code)
        }
    }

    // MARK: Enterprises

    func enterpriseList(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let (enterprises, head) = try await pool.read { registry in (try registry.enterprises(), try registry.logHead()) }
        let table = PageData.table(
            [("统一社会信用代码", false), ("企业名称", false), ("所在城市", false)],
            enterprises.map { enterprise in
                [
                    PageData.Cell(enterprise.uscc.value, link: PageData.path("enterprises", enterprise.uscc.value)),
                    PageData.Cell(enterprise.name, link: PageData.path("enterprises", enterprise.uscc.value)), PageData.Cell(enterprise.city),
                ]
            })
        let data: [String: Any] = [
            "heading": "企业", "table": table, "add": user.account.role.may(.write) ? "/enterprises/new" : "", "addTitle": "添加企业",
        ]
        return html(templates.page("list", title: "企业", chrome: chrome(user, version: head), data))
    }

    func enterprisePage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let reference = context.parameter("uscc")
        let loaded: (Enterprise, [Project], [LoggedChange], LogHead)
        do {
            loaded = try await pool.read { registry in
                let enterprise = try registry.enterprise(reference)
                return (
                    enterprise, try registry.projects(ofEnterprise: enterprise.uscc), try registry.history(table: "enterprise", key: enterprise.uscc.value),
                    try registry.logHead()
                )
            }
        } catch let error as InvalidValue {
            return html(templates.page("message", title: "企业", chrome: chrome(user, version: nil), ["message": error.message.description]), status: .notFound)
        }
        let (enterprise, projects, history, head) = loaded
        let kind = ImportKind(rawValue: "enterprises")!
        let projectRows = projects.map { project in
            [
                PageData.Cell(project.code, link: PageData.path("projects", project.code)), PageData.Cell(project.name),
                PageData.Cell(project.plannedInvestment.formatted(.auto)), PageData.Cell(project.signedOn.description),
                PageData.Cell(project.stage.chineseName),
            ]
        }
        let data: [String: Any] = [
            "heading": enterprise.name,
            "fields": [
                ["label": kind.label(of: "uscc"), "value": enterprise.uscc.value], ["label": kind.label(of: "city"), "value": enterprise.city ?? ""],
                ["label": kind.label(of: "notes"), "value": enterprise.notes ?? ""],
            ],
            "tables": [
                [
                    "title": "项目",
                    "table": PageData.table([("项目编号", false), ("项目名称", false), ("计划总投资", true), ("签约日期", false), ("阶段", false)], projectRows),
                ],
                ["title": "变更记录", "table": Self.historyTable(history)],
            ],
        ]
        return html(templates.page("record", title: enterprise.name, chrome: chrome(user, version: head), data))
    }

    func enterpriseForm(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        formPage("form", title: "添加企业", user, Self.fields("enterprises", ["uscc", "name", "city", "notes"]), action: "/enterprises")
    }

    func addEnterprise(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let fields = EnterpriseFields(uscc: form["uscc"], name: form["name"], city: form.nonEmpty("city"), notes: form.nonEmpty("notes"))
        return try await submit(
            user, form, page: { Self.fields("enterprises", ["uscc", "name", "city", "notes"]) }, kind: "enterprises", title: "添加企业",
            action: "/enterprises", command: "enterprise add"
        ) { writer in
            PageData.path("enterprises", try writer.addEnterprise(fields).uscc.value)
        }
    }

    static func projectTable(_ rows: [ProjectListing]) -> [String: Any] {
        PageData.table(
            [("项目编号", false), ("项目名称", false), ("企业", false), ("计划总投资", true), ("签约日期", false), ("阶段", false)],
            rows.map { listing in
                [
                    PageData.Cell(listing.project.code, link: PageData.path("projects", listing.project.code)), PageData.Cell(listing.project.name),
                    PageData.Cell(listing.enterpriseName), PageData.Cell(listing.project.plannedInvestment.formatted(.auto)),
                    PageData.Cell(listing.project.signedOn.description), PageData.Cell(listing.project.stage.chineseName),
                ]
            })
    }
}
