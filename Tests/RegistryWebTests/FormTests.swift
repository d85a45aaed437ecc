import Foundation
import HTTPTypes
import RegistryDomain
import RegistryWeb
import Testing

/// Every form: its success (through the one write path, the signed-in
/// person as the actor) and its refusal (the message next to the field,
/// the database unchanged).
@Suite struct FormTests {
    struct Case: Sendable {
        let path: String
        let good: [(String, String)]
        let bad: [(String, String)]
        /// The field the refusal must be shown next to (nil: a message of the whole form).
        let badField: String?
        let command: String
    }

    static let cases: [Case] = [
        Case(
            path: "/projects",
            good: [
                ("code", "SW-2026-901"), ("name", "网页录入测试项目"), ("kind", "investment"), ("park", "SW-GX"), ("enterprise", "91440300192317458F"),
                ("sector", "new-energy"), ("planned_investment", "2.5亿"), ("signed_on", "2026-03-01"), ("notes", ""),
            ],
            bad: [("code", "SW-2026-902"), ("name", "坏金额"), ("planned_investment", "很多"), ("signed_on", "2026-03-01")],
            badField: "planned_investment", command: "web: project add"),
        Case(
            path: "/projects/SW-2024-001",
            good: [("name", "前海算力科技氢能装备项目（更正）"), ("planned_investment", "37600万"), ("signed_on", "2024-01-09"), ("park", "SW-GX")],
            bad: [("name", "前海算力科技氢能装备项目"), ("planned_investment", "37600万"), ("signed_on", "2024-13-01")],
            badField: "signed_on", command: "web: project update"),
        Case(
            path: "/projects/SW-2025-001/stage", good: [("stage", "construction"), ("on", "2025-06-01")], bad: [("stage", "signed"), ("on", "2025-06-01")],
            badField: "stage", command: "web: project stage"),
        Case(
            path: "/parks", good: [("code", "SW-TEST"), ("name", "网页测试园区"), ("level", "county"), ("county", "海丰县")],
            bad: [("code", "SW-TEST2"), ("name", "汕尾高新技术产业开发区"), ("level", "county"), ("county", "海丰县")], badField: "name",
            command: "web: park add"),
        Case(
            path: "/enterprises", good: [("uscc", "91440300MA5G8XKT13"), ("name", "网页测试企业有限公司"), ("city", "深圳")],
            bad: [("uscc", "91440300MA5G8XKT10"), ("name", "校验位错误企业")], badField: "uscc", command: "web: enterprise add"),
        Case(
            path: "/funds", good: [("code", "WEB-FUND-2026"), ("name", "网页测试资金"), ("source", "shenzhen-assistance"), ("year", "2026"), ("budget", "1亿")],
            bad: [("code", "WEB-FUND-2"), ("name", "坏预算"), ("source", "shenzhen-assistance"), ("year", "2026"), ("budget", "-1")], badField: "budget",
            command: "web: fund add"),
        Case(
            path: "/funds/SZ-ASSIST-2025/allocations",
            good: [("project", "SW-2024-001"), ("amount", "100万"), ("approved_on", "2025-06-01"), ("approval_doc", "深汕指〔2025〕99号")],
            bad: [("project", "NO-SUCH-PROJECT"), ("amount", "100万"), ("approved_on", "2025-06-01")], badField: "project",
            command: "web: fund allocate"),
        Case(
            path: "/allocations/payments",
            good: [
                ("allocation", "A-HQ-2025-0001"), ("amount", "10万"), ("paid_on", "2025-07-01"), ("payee", "91440300192317458F"), ("voucher", "PZ-WEB-0001"),
            ],
            bad: [("allocation", "A-HQ-2025-0001"), ("amount", "-5"), ("paid_on", "2025-07-01"), ("payee", "91440300192317458F"), ("voucher", "PZ-WEB-2")],
            badField: "amount", command: "web: fund disburse"),
    ]

    @Test(arguments: cases.indices) func successAndRefusal(_ index: Int) async throws {
        let form = Self.cases[index]
        let harness = try WebHarness()
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            _ = try await clerk.get("/")
            let before = try harness.head()
            let refused = try await clerk.post(form.path, form.bad)
            #expect(refused.status == .unprocessableContent, "\(form.path): \(refused.status)")
            #expect(try harness.head() == before, "a refused form wrote")
            if let field = form.badField {
                #expect(refused.body.contains("id=\"m-\(field)\""), "\(form.path): no message next to \(field)")
            }
            // The values typed are kept.
            #expect(refused.body.contains(form.bad.last!.1.replacingOccurrences(of: "<", with: "&lt;")))
            let done = try await clerk.post(form.path, form.good)
            #expect(done.status == .seeOther, "\(form.path): \(done.status) \(done.body.prefix(400))")
            let entries = try harness.registry().changes(LogFilter())
            let new = entries.filter { $0.entry.seq > before.seq }
            #expect(!new.isEmpty)
            #expect(new.allSatisfy { $0.entry.actor == WebHarness.name(.clerk) && $0.entry.command == form.command })
            // The demo marker is the only finding verify may have (the demo file now holds other changes).
            #expect(try harness.registry().verify().failures.allSatisfy { $0.check == .header })
        }
    }

    @Test func adminSetsATargetClosesAndReopensAYear() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let admin = try await factory.signedIn(.admin)
            _ = try await admin.get("/admin")
            let before = try harness.head()
            #expect(try await admin.post("/targets", [("year", "2026"), ("projects", "many")]).status == .unprocessableContent)
            #expect(try await admin.post("/years", [("year", "2024"), ("reason", ""), ("action", "close")]).status == .unprocessableContent)
            #expect(try harness.head() == before)
            #expect(try await admin.post("/targets", [("year", "2026"), ("projects", "60"), ("investment", "150亿")]).status == .seeOther)
            #expect(try harness.registry().targets(year: 2026).count == 2)
            #expect(try await admin.post("/years", [("year", "2024"), ("reason", "已报送"), ("action", "close")]).status == .seeOther)
            #expect(try harness.registry().yearStatuses().first { $0.year == 2024 }?.closed == true)
            let page = try await admin.get("/admin")
            #expect(page.body.contains("已关账") && page.body.contains("已报送"))
            #expect(try await admin.post("/years", [("year", "2024"), ("reason", "补录"), ("action", "reopen")]).status == .seeOther)
            #expect(try harness.registry().yearStatuses().first { $0.year == 2024 }?.closed == false)
            let entries = try harness.registry().changes(LogFilter()).filter { $0.entry.seq > before.seq }
            #expect(entries.allSatisfy { $0.entry.actor == WebHarness.name(.admin) })
        }
    }

    @Test func adminAddsAndDisablesAnAccount() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let admin = try await factory.signedIn(.admin)
            _ = try await admin.get("/users")
            let before = try harness.head()
            let short = try await admin.post("/users", [("user", "新同事"), ("role", "clerk"), ("password", "short")])
            #expect(short.status == .unprocessableContent && short.body.contains("id=\"m-password\""))
            let role = try await admin.post("/users", [("user", "新同事"), ("role", "boss"), ("password", "long-enough-9")])
            #expect(role.status == .unprocessableContent && role.body.contains("id=\"m-role\""))
            #expect(!role.body.contains("long-enough-9"), "a refused form never shows the password again")
            #expect(try harness.head() == before)
            #expect(try await admin.post("/users", [("user", "新同事"), ("role", "clerk"), ("password", "long-enough-9")]).status == .seeOther)
            let newcomer = factory.browser()
            #expect(try await newcomer.login("新同事", "long-enough-9").status == .seeOther)
            #expect(try await newcomer.get("/projects/new").status == .ok)
            #expect(try await admin.post("/users/" + Browser.encoded("新同事") + "/disable", []).status == .seeOther)
            #expect(try await newcomer.get("/projects/new").status == .seeOther, "disabled: back to the sign-in page")
        }
    }

    @Test func aClosedYearIsRefusedAsInTheCLI() async throws {
        let harness = try WebHarness()
        _ = try harness.registry().write(WriteContext(actor: "admin", command: "year close")) { try $0.closeYear("2024", reason: "已报送") }
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            _ = try await clerk.get("/")
            let before = try harness.head()
            let page = try await clerk.post("/projects/SW-2024-001", [("name", "改名"), ("planned_investment", "37600万"), ("signed_on", "2024-01-09")])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("已关账"), "\(page.body)")
            #expect(try harness.head() == before)
        }
    }

    @Test func anImportWithoutAUnitAsksForOneAndTheFormGivesIt() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            _ = try await clerk.get("/import")
            let sheet = "项目编号,项目名称,项目类型,计划总投资,签约日期\r\nSW-WEB-1,网页导入项目,民生,12500,2025-03-01\r\n"
            let refused = try await clerk.upload("/import", fields: [("kind", "projects")], file: ("file", "p.csv", sheet))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("没有单位") && refused.body.contains("金额单位"), "\(refused.body)")
            let dry = try await clerk.upload("/import", fields: [("kind", "projects"), ("unit", "wan")], file: ("file", "p.csv", sheet))
            #expect(dry.status == .ok, "\(dry.body)")
            #expect(dry.body.contains("计划总投资 按万元读取"), "\(dry.body)")
            let token = try #require(Browser.firstMatch(#"name="confirm" value="([0-9a-f]+)""#, in: dry.body))
            #expect(try await clerk.post("/import", [("confirm", token)]).body.contains("已导入"))
            #expect(try harness.registry().project(code: "SW-WEB-1").project.plannedInvestment.fen == 12_500_000_000)
        }
    }

    @Test func anImportIsADryRunFirstThenAllOrNothing() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            _ = try await clerk.get("/import")
            let before = try harness.head()
            let good = "code,name,level,county\r\nSW-IMP-1,导入园区一,county,海丰县\r\nSW-IMP-2,导入园区二,county,陆丰市\r\n"
            let dry = try await clerk.upload("/import", fields: [("kind", "parks")], file: ("file", "parks.csv", good))
            #expect(dry.status == .ok)
            #expect(dry.body.contains("新增 2"))
            #expect(try harness.head() == before, "the dry run wrote")
            let token = try #require(Browser.firstMatch(#"name="confirm" value="([0-9a-f]+)""#, in: dry.body))
            let done = try await clerk.post("/import", [("confirm", token)])
            #expect(done.body.contains("已导入"))
            #expect(try harness.registry().park("SW-IMP-2").park.name == "导入园区二")
            // The token is used up.
            #expect(try await clerk.post("/import", [("confirm", token)]).status == .gone)
            // A bad row: nothing written, every problem listed.
            let after = try harness.head()
            let bad = "code,name,level,county\r\nSW-IMP-3,导入园区三,county,海丰县\r\nSW-IMP-4,,national,陆丰市\r\n"
            let refused = try await clerk.upload("/import", fields: [("kind", "parks")], file: ("file", "bad.csv", bad))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("第 3 行"), "\(refused.body)")
            #expect(try harness.head() == after)
        }
    }
}
