import Foundation
import HTTPTypes
import RegistryDomain
import RegistryWeb
import Testing

/// Every page renders on the demo registry, with the figures of the CLI.
@Suite struct PageTests {
    @Test func everyPageRendersOnTheDemo() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let admin = try await factory.signedIn(.admin)
            let pages: [(String, String)] = [
                ("/?year=2025", "2025年共引进招商项目52个，计划总投资131.50亿元"),
                ("/projects", "项目"), ("/projects?year=2025&level=county", "县级"), ("/projects/SW-2024-001", "前海算力科技氢能装备项目"),
                ("/projects/SW-2024-001/edit", "更正项目"), ("/projects/new", "添加项目"),
                ("/parks", "汕尾高新技术产业开发区"), ("/parks/SW-GX", "汕尾高新技术产业开发区"), ("/parks/new", "添加园区"),
                ("/enterprises", "比亚迪股份有限公司"), ("/enterprises/91440300192317458F", "比亚迪股份有限公司"), ("/enterprises/new", "添加企业"),
                ("/funds", "SZ-ASSIST-2025"), ("/funds/SZ-ASSIST-2025", "2025年深圳对口帮扶资金"),
                ("/audit?year=2025&as_of=2025-12-31", "审计"), ("/report?year=2025", "2025年度招商引资报告"),
                ("/history", "变更记录"), ("/history?table=park&key=SW-GX", "SW-GX"), ("/import", "试导入"), ("/users", "spare"), ("/admin", "年度目标"),
                ("/search?q=" + Browser.encoded("比亚迪"), "【比亚迪】股份有限公司"), ("/search?q=" + Browser.encoded("储能"), "【储能】"), ("/search", "搜索"),
                ("/funds/new", "添加资金"),
            ]
            for (path, text) in pages {
                let page = try await admin.get(path)
                #expect(page.status == .ok, "\(path): \(page.status)")
                #expect(page.body.contains(text), "\(path) lacks \(text)")
                #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, "\(path)")
                #expect(!page.body.contains("<script"), "\(path)")
            }
            // The report is the CLI's own HTML file.
            let report = try await admin.get("/report?year=2025&as_of=2025-12-31")
            #expect(report.body.contains("共引进招商项目52个"))
            // Unknown records are a page that says so, not a crash.
            #expect(try await admin.get("/projects/NO-SUCH").status == .notFound)
            #expect(try await admin.get("/projects?year=abc").status == .badRequest)
        }
    }

    @Test func listFiltersCountSearchPageAndSort() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let viewer = try await factory.signedIn(.viewer)
            let all = try await viewer.get("/projects?year=2025")
            let listed = try harness.registry().projectPage(ProjectFilter(year: 2025)).total
            #expect(all.body.contains("共 \(listed) 个"))
            // Counts beside the values: 2025's levels add up to 52.
            let county = try harness.registry().projectPage(ProjectFilter(year: 2025, level: "county")).total
            let shown = Browser.firstMatch(#"level=county">县级</a> <span class="count">(\d+)</span>"#, in: all.body)
            #expect(shown == String(county), "the count beside 县级 is the list it links to")
            // Two Chinese characters find by name; codes in any case.
            let search = try await viewer.get("/projects?q=" + Browser.encoded("氢能"))
            #expect(search.body.contains("前海算力科技氢能装备项目"))
            let code = try await viewer.get("/projects?q=sw-2024-001")
            #expect(code.body.contains("SW-2024-001"))
            // Paging: 50 a page.
            let first = try await viewer.get("/projects")
            #expect(first.body.contains("第 1 / "))
            let sorted = try await viewer.get("/projects?sort=-investment")
            #expect(sorted.status == .ok)
            // CSV for Excel is an export: an auditor's, not a viewer's.
            #expect(try await viewer.get("/projects.csv").status == .forbidden)
            let auditor = try await factory.signedIn(.auditor)
            let csv = try await auditor.get("/projects.csv?year=2025")
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.body.hasPrefix("\u{FEFF}项目编号,"))
            #expect(csv.body.split(whereSeparator: \.isNewline).count == listed + 1)
        }
    }
}

extension PageTests {
    @Test func aRefusedFilterIsAPageThatSaysSo() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let viewer = try await factory.signedIn(.viewer)
            for path in ["/history?since=yesterday", "/history?table=nosuch", "/audit?year=1", "/?year=3000", "/report?as_of=2025-02-30", "/funds?year=x"] {
                let page = try await (path.hasPrefix("/audit") ? factory.signedIn(.auditor) : viewer).get(path)
                #expect(page.status == .badRequest, "\(path): \(page.status)")
            }
            let history = try await viewer.get("/history")
            #expect(history.status == .ok && history.body.contains("<table>"))
        }
    }
}
