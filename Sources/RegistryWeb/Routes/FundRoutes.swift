import Foundation
import Hummingbird
import RegistryDomain

/// 资金: budget, allocated, disbursed and rate; a fund's page with its
/// allocations and payments, and the forms that record them.
extension WebSite {
    func fundList(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let year = try request.query("year").map { try Self.year($0) }
        let (funds, head) = try await pool.read { registry in (try registry.funds(year: year), try registry.logHead()) }
        let table = PageData.table(
            [("资金编号", false), ("资金名称", false), ("来源", false), ("年度", true), ("预算", true), ("已批复", true), ("已拨付", true), ("拨付率", true)],
            funds.map { summary in
                [
                    PageData.Cell(summary.fund.code, link: PageData.path("funds", summary.fund.code)), PageData.Cell(summary.fund.name),
                    PageData.Cell(summary.fund.source.chineseName), PageData.Cell(String(summary.fund.year)),
                    PageData.Cell(summary.fund.budget.formatted(.wan)),
                    PageData.Cell(summary.allocated.formatted(.wan)), PageData.Cell(summary.disbursed.formatted(.wan)),
                    PageData.Cell(summary.disbursementRateBasisPoints.map { Percent.text(basisPoints: $0) } ?? "—"),
                ]
            })
        let data: [String: Any] = ["heading": "资金", "table": table, "add": user.account.role.may(.write) ? "/funds/new" : "", "addTitle": "添加资金"]
        return html(templates.page("list", title: "资金", chrome: chrome(user, version: head), data))
    }

    static func fundFields() -> FormPage {
        var page = fields("funds", ["code", "name", "source", "year", "budget", "notes"])
        page.fields[2].options = FundSource.allCases.map { ($0.rawValue, $0.chineseName) }
        page.fields[3].value = String(ISODate.today().year)
        page.fields[4].hint = "如 8亿、5000万"
        return page
    }

    func fundForm(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        formPage("form", title: "添加资金", user, Self.fundFields(), action: "/funds")
    }

    func addFund(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let fields = FundFields(
            code: form["code"], name: form["name"], source: form["source"], year: form["year"], budget: form["budget"], notes: form.nonEmpty("notes"))
        return try await submit(user, form, page: { Self.fundFields() }, kind: "funds", title: "添加资金", action: "/funds", command: "fund add") { writer in
            PageData.path("funds", try writer.addFund(fields).code)
        }
    }

    func fundPage(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        try await fundPage(code: context.parameter("code"), user: user, allocation: nil, payment: nil)
    }

    static func allocationFields() -> FormPage { fields("allocations", ["project", "amount", "approved_on", "approval_doc", "notes"]) }

    static func paymentFields(_ allocations: [AllocationSummary]) -> FormPage {
        var page = fields("disbursements", ["allocation", "amount", "paid_on", "payee", "payee_name", "voucher", "purpose"])
        page.fields[0].options = allocations.map { ($0.allocation.id, "\($0.allocation.id) \($0.projectName)") }
        return page
    }

    func fundPage(code: String, user: SignedIn, allocation: FormPage?, payment: FormPage?, status: HTTPResponse.Status = .ok) async throws -> Response {
        typealias Loaded = (FundSummary, [AllocationSummary], [Disbursement], LogHead)
        let loaded: Loaded
        do {
            loaded = try await pool.read { registry -> Loaded in
                let fund = try registry.fund(code)
                return (fund.summary, fund.allocations, fund.disbursements, try registry.logHead())
            }
        } catch let error as InvalidValue {
            return html(templates.page("message", title: "资金", chrome: chrome(user, version: nil), ["message": error.message.description]), status: .notFound)
        }
        let (summary, allocations, payments, head) = loaded
        let fund = summary.fund
        var allocationForm = allocation ?? Self.allocationFields()
        var paymentForm = payment ?? Self.paymentFields(allocations)
        if allocation == nil { allocationForm.fields[2].value = ISODate.today().description }
        if payment == nil { paymentForm.fields[2].value = ISODate.today().description }
        var allocationData = allocationForm.values
        allocationData["action"] = PageData.path("funds", fund.code, "allocations")
        var paymentData = paymentForm.values
        paymentData["action"] = "/allocations/payments"
        let data: [String: Any] = [
            "heading": fund.name,
            "fields": [
                ["label": "资金编号", "value": fund.code], ["label": "来源", "value": fund.source.chineseName], ["label": "年度", "value": String(fund.year)],
                ["label": "预算", "value": fund.budget.formatted(.wan)], ["label": "已批复", "value": summary.allocated.formatted(.wan)],
                ["label": "已拨付", "value": summary.disbursed.formatted(.wan)],
                ["label": "拨付率", "value": summary.disbursementRateBasisPoints.map { Percent.text(basisPoints: $0) } ?? "—"],
            ],
            "tables": [
                [
                    "title": "资金批复",
                    "table": PageData.table(
                        [("批复编号", false), ("项目", false), ("金额", true), ("批复日期", false), ("已拨付", true), ("拨付率", true)],
                        allocations.map { item in
                            [
                                PageData.Cell(item.allocation.id),
                                PageData.Cell(
                                    "\(item.allocation.projectCode) \(item.projectName)", link: PageData.path("projects", item.allocation.projectCode)),
                                PageData.Cell(item.allocation.amount.formatted(.wan)), PageData.Cell(item.allocation.approvedOn.description),
                                PageData.Cell(item.disbursed.formatted(.wan)), PageData.Cell(Percent.text(basisPoints: item.disbursementRateBasisPoints)),
                            ]
                        }),
                ],
                [
                    "title": "拨付",
                    "table": PageData.table(
                        [("拨付编号", false), ("批复编号", false), ("金额", true), ("拨付日期", false), ("收款单位", false), ("凭证号", false)],
                        payments.map { payment in
                            [
                                PageData.Cell(payment.id), PageData.Cell(payment.allocationID), PageData.Cell(payment.amount.formatted(.wan)),
                                PageData.Cell(payment.paidOn.description), PageData.Cell(payment.payeeName ?? payment.payeeCode),
                                PageData.Cell(payment.voucher),
                            ]
                        }),
                ],
            ],
            "forms": user.account.role.may(.write)
                ? [
                    ["formTitle": "记录资金批复", "csrf": user.csrf, "form": allocationData],
                    ["formTitle": "记录拨付", "csrf": user.csrf, "form": paymentData],
                ] : [],
        ]
        return html(templates.page("record", title: fund.name, chrome: chrome(user, version: head), data), status: status)
    }

    func allocate(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let code = context.parameter("code")
        let fields = AllocationFields(
            fund: code, project: form["project"], amount: form["amount"], approvedOn: form["approved_on"], approvalDocument: form.nonEmpty("approval_doc"),
            notes: form.nonEmpty("notes"))
        switch try await write(
            user, command: "fund allocate",
            { writer in
                _ = try writer.allocate(fields)
                return PageData.path("funds", code)
            })
        {
        case .success(let location): return redirect(location)
        case .failure(let error):
            var page = Self.allocationFields()
            page.fill(from: form)
            try page.show(error) { ImportKind(rawValue: "allocations")!.label(of: $0) }
            return try await fundPage(code: code, user: user, allocation: page, payment: nil, status: .unprocessableContent)
        }
    }

    func disburse(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let allocationID = form["allocation"] ?? context.parameter("id")
        let fields = DisbursementFields(
            allocation: allocationID, amount: form["amount"], paidOn: form["paid_on"], payee: form["payee"], payeeName: form.nonEmpty("payee_name"),
            voucher: form["voucher"], purpose: form.nonEmpty("purpose"))
        let fundCode = try await pool.read { registry in try registry.allocation(id: allocationID)?.fundCode }
        switch try await write(
            user, command: "fund disburse",
            { writer in
                let payment = try writer.disburse(fields)
                return fundCode.map { PageData.path("funds", $0) } ?? PageData.path("allocations", payment.allocationID)
            })
        {
        case .success(let location): return redirect(location)
        case .failure(let error):
            guard let fundCode else {
                return html(
                    templates.page("message", title: "拨付", chrome: chrome(user, version: nil), ["message": "批复编号“\(allocationID)”不存在"]),
                    status: .unprocessableContent)
            }
            let allocations = try await pool.read { try $0.fund(fundCode).allocations }
            var page = Self.paymentFields(allocations)
            page.fill(from: form)
            try page.show(error) { ImportKind(rawValue: "disbursements")!.label(of: $0) }
            return try await fundPage(code: fundCode, user: user, allocation: nil, payment: page, status: .unprocessableContent)
        }
    }
}
