import Foundation
import Hummingbird
import RegistryDomain
import RegistryPresentation

/// 项目: the list with its filters and their counts, search, paging,
/// sorting and the CSV download; the page of one project.
extension WebSite {
    static let pageSize = 50
    static let filterNames = ["year", "park", "level", "county", "sector", "stage", "kind"]

    private static func projectFilter(_ request: Request) throws -> ProjectFilter {
        ProjectFilter(
            year: try request.query("year").map { try Self.year($0) }, park: request.query("park"), level: request.query("level"),
            county: request.query("county"), sector: request.query("sector"), stage: request.query("stage"), kind: request.query("kind"))
    }

    func projectList(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let filter: ProjectFilter
        do {
            filter = try Self.projectFilter(request)
        } catch let error as InvalidValue {
            return html(templates.page("message", title: "项目", chrome: chrome(user, version: nil), ["message": error.message.description]), status: .badRequest)
        }
        let search = request.query("q")
        let sort = request.query("sort").flatMap(ProjectSort.init(rawValue:)) ?? .signed
        let page = max(1, Int(request.query("page") ?? "1") ?? 1)
        let figures = self.figures
        let templates = self.templates
        let mine = lastWrites.of(user.csrf)
        let current = Self.currentQuery(request)
        let sidebarKey = "sidebar:" + Self.queryString(current.filter { $0.0 != "page" })
        let result: (ProjectPage, String, LogHead)
        do {
            result = try await pool.read { registry in
                let head = try registry.logHead()
                let facets: ProjectFacets
                if search == nil {
                    // Without a search the counts come from the cache (one pass per data version).
                    facets = try figures.value("facets:\(Self.facetKey(filter))", head: head, atLeast: mine) { try registry.projectFacets(filter) }.value
                } else {
                    facets = try registry.projectFacets(filter, search: search)
                }
                // The total is the facets' (of the same data version as the counts beside the filters).
                let rows = try registry.projectPage(
                    filter, search: search, sort: sort, offset: (page - 1) * Self.pageSize, limit: Self.pageSize, total: facets.total)
                // The filter column, rendered once per data version and query.
                let sidebar =
                    search == nil
                    ? figures.value(sidebarKey, head: head, atLeast: mine) { templates.render("facets", Self.facetData(facets, current)) }.value
                    : templates.render("facets", Self.facetData(facets, current))
                return (rows, sidebar, head)
            }
        } catch let error as InvalidValue {
            return html(templates.page("message", title: "项目", chrome: chrome(user, version: nil), ["message": error.message.description]), status: .badRequest)
        }
        let (rows, sidebar, head) = result
        let pages = max(1, (rows.total + Self.pageSize - 1) / Self.pageSize)
        let table = PageData.table(
            [("项目编号", false), ("项目名称", false), ("园区", false), ("企业", false), ("产业", false), ("计划总投资", true), ("签约日期", false), ("阶段", false)],
            rows.rows.map { listing in
                [
                    PageData.Cell(listing.project.code, link: PageData.path("projects", listing.project.code)),
                    PageData.Cell(listing.project.name, link: PageData.path("projects", listing.project.code)),
                    PageData.Cell(listing.parkName), PageData.Cell(listing.enterpriseName), PageData.Cell(listing.sectorName),
                    PageData.Cell(listing.project.plannedInvestment.formatted(.auto)), PageData.Cell(listing.project.signedOn.description),
                    PageData.Cell(listing.project.stage.chineseName),
                ]
            })
        let sorts: [(ProjectSort, String)] = [(.signed, "签约日期↑"), (.signedDescending, "签约日期↓"), (.investmentDescending, "投资额↓"), (.name, "名称"), (.code, "编号")]
        let data: [String: Any] = [
            "sidebar": sidebar, "table": table, "total": String(rows.total), "search": search ?? "",
            "hidden": current.filter { $0.0 != "q" && $0.0 != "page" }.map { ["name": $0.0, "value": $0.1] },
            "sorts": sorts.map { ["label": $0.1, "link": Self.link(current, setting: "sort", to: $0.0.rawValue), "selected": $0.0 == sort] },
            "page": String(page), "pages": String(pages),
            "previous": page > 1 ? Self.link(current, setting: "page", to: String(page - 1)) : "",
            "next": page < pages ? Self.link(current, setting: "page", to: String(page + 1)) : "",
            "csv": "/projects.csv" + Self.queryString(current.filter { $0.0 != "page" }),
            "mayExport": user.account.role.may(.export), "mayWrite": user.account.role.may(.write),
        ]
        return html(templates.page("projects", title: "项目", chrome: chrome(user, version: head), data))
    }

    /// The list as CSV for Excel: a BOM, the Chinese headers, CRLF lines.
    func projectCSV(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        var asked = try Self.projectFilter(request)
        asked.search = request.query("q")
        let filter = asked
        let text = try await pool.read { registry -> String in
            var out = "\u{FEFF}" + CSV.line(["项目编号", "项目名称", "项目类型", "园区", "园区名称", "企业", "企业名称", "产业", "计划总投资（元）", "签约日期", "阶段", "备注"])
            // One pass in the list's order (`project list`'s own stream), not pages by OFFSET.
            try registry.forEachProject(filter) { listing in
                let project = listing.project
                out += CSV.line([
                    project.code, project.name, project.kind.chineseName, project.parkCode ?? "", listing.parkName ?? "",
                    project.enterpriseUSCC?.value ?? "", listing.enterpriseName ?? "", listing.sectorName ?? "", project.plannedInvestment.plainYuan,
                    project.signedOn.description, project.stage.chineseName, project.notes ?? "",
                ])
            }
            return out
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"projects.csv\"; filename*=UTF-8''%E9%A1%B9%E7%9B%AE.csv",
                .cacheControl: "no-store",
            ], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// One project: its fields, stages, allocations and payments, and its history.
    func projectPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let code = context.parameter("code")
        return try await projectPage(code: code, user: user, stageForm: nil)
    }

    func projectPage(code: String, user: SignedIn, stageForm: FormPage?, status: HTTPResponse.Status = .ok) async throws -> Response {
        typealias Loaded = (ProjectListing, [StageChange], [(allocation: Allocation, payments: [Disbursement])], [LoggedChange], LogHead)
        let loaded: Loaded
        do {
            loaded = try await pool.read { registry -> Loaded in
                let listing = try registry.project(code: code)
                return (
                    listing, try registry.stageHistory(of: listing.project.code), try registry.funding(ofProject: listing.project.code),
                    try registry.history(table: "project", key: listing.project.code), try registry.logHead()
                )
            }
        } catch let error as InvalidValue {
            return html(templates.page("message", title: "项目", chrome: chrome(user, version: nil), ["message": error.message.description]), status: .notFound)
        }
        let (listing, stages, funding, history, head) = loaded
        let project = listing.project
        let kind = ImportKind(rawValue: "projects")!
        let fields: [(String, String)] = [
            (kind.label(of: "code"), project.code), (kind.label(of: "name"), project.name), (kind.label(of: "kind"), project.kind.chineseName),
            (kind.label(of: "park"), [project.parkCode, listing.parkName].compactMap { $0 }.joined(separator: " ")),
            (kind.label(of: "enterprise"), [project.enterpriseUSCC?.value, listing.enterpriseName].compactMap { $0 }.joined(separator: " ")),
            (kind.label(of: "sector"), listing.sectorName ?? ""), (kind.label(of: "planned_investment"), project.plannedInvestment.formatted(.auto)),
            (kind.label(of: "signed_on"), project.signedOn.description), (kind.label(of: "stage"), project.stage.chineseName),
            (kind.label(of: "notes"), project.notes ?? ""),
        ]
        var stage = stageForm ?? Self.stageForm()
        if stageForm == nil { stage.fields[1].value = ISODate.today().description }
        let payments = funding.flatMap { item in
            item.payments.map { payment in
                [
                    PageData.Cell(payment.id), PageData.Cell(item.allocation.id), PageData.Cell(payment.amount.formatted(.wan)),
                    PageData.Cell(payment.paidOn.description), PageData.Cell(payment.payeeName ?? payment.payeeCode), PageData.Cell(payment.voucher),
                ]
            }
        }
        let data: [String: Any] = [
            "code": project.code, "name": project.name, "fields": fields.map { ["label": $0.0, "value": $0.1] },
            "edit": PageData.path("projects", project.code, "edit"), "stageAction": PageData.path("projects", project.code, "stage"),
            "stageForm": stage.values, "mayWrite": user.account.role.may(.write), "csrf": user.csrf,
            "stages": PageData.table(
                [("阶段", false), ("日期", false)], stages.map { [PageData.Cell($0.stage.chineseName), PageData.Cell($0.enteredOn.description)] }),
            "allocations": PageData.table(
                [("批复编号", false), ("资金", false), ("金额", true), ("批复日期", false), ("批复文号", false)],
                funding.map { item in
                    [
                        PageData.Cell(item.allocation.id),
                        PageData.Cell(item.allocation.fundCode, link: PageData.path("funds", item.allocation.fundCode)),
                        PageData.Cell(item.allocation.amount.formatted(.wan)), PageData.Cell(item.allocation.approvedOn.description),
                        PageData.Cell(item.allocation.approvalDocument),
                    ]
                }),
            "payments": PageData.table(
                [("拨付编号", false), ("批复编号", false), ("金额", true), ("拨付日期", false), ("收款单位", false), ("凭证号", false)], payments),
            "history": Self.historyTable(history),
        ]
        return html(templates.page("project", title: project.name, chrome: chrome(user, version: head), data), status: status)
    }

    static func stageForm() -> FormPage {
        FormPage(fields: [
            FormPage.Field(
                name: "stage", label: "新阶段", value: "", required: true,
                options: ProjectStage.allCases.filter { $0 != .signed }.map { ($0.rawValue, $0.chineseName) }),
            FormPage.Field(name: "on", label: "变更日期", value: "", type: "date", required: true),
        ])
    }

    static func historyTable(_ changes: [LoggedChange]) -> [String: Any] {
        PageData.table(
            [("序号", true), ("时间", false), ("操作人", false), ("操作", false), ("变化", false)],
            changes.map { change in
                [
                    PageData.Cell(String(change.entry.seq)), PageData.Cell(change.entry.at), PageData.Cell(change.entry.actor),
                    PageData.Cell(change.entry.command),
                    PageData.Cell(change.differences.map { "\($0.column): \($0.before ?? "∅") → \($0.after ?? "∅")" }.joined(separator: "；")),
                ]
            })
    }

    /// The filter column: each filter's values, their counts and links.
    static func facetData(_ facets: ProjectFacets, _ current: [(String, String)]) -> [String: Any] {
        let filterTitles = ["year": "年度", "park": "园区", "level": "级别", "county": "县区", "sector": "产业", "stage": "阶段", "kind": "类型"]
        let data = facets.facets.map { facet -> [String: Any] in
            let chosen = current.first { $0.0 == facet.name }?.1
            return [
                "title": filterTitles[facet.name] ?? facet.name,
                "all": Self.link(current, setting: facet.name, to: nil), "allSelected": chosen == nil,
                "values": facet.values.map { value -> [String: Any] in
                    [
                        "label": value.label, "count": String(value.count), "link": Self.link(current, setting: facet.name, to: value.value),
                        "selected": chosen.map { $0.sameBytes(as: value.value) } ?? false,
                    ]
                },
            ]
        }
        return ["facets": data]
    }

    // MARK: Query strings

    private static func facetKey(_ filter: ProjectFilter) -> String {
        [filter.year.map(String.init), filter.park, filter.level, filter.county, filter.sector, filter.stage, filter.kind]
            .map { $0.map { "\($0.utf8.count):\($0)" } ?? "-" }.joined(separator: "|")
    }

    /// The list's parameters as given, in a fixed order.
    private static func currentQuery(_ request: Request) -> [(String, String)] {
        (filterNames + ["q", "sort", "page"]).compactMap { name in request.query(name).map { (name, $0) } }
    }

    private static func link(_ current: [(String, String)], setting name: String, to value: String?) -> String {
        var query = current.filter { $0.0 != name && (name == "page" || $0.0 != "page") }
        if let value { query.append((name, value)) }
        return "/projects" + queryString(query)
    }

    private static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\($0.0)=\(Self.encoded($0.1))" }.joined(separator: "&")
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? ""
    }
}
