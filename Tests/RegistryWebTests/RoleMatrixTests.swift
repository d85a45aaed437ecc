import Foundation
import HTTPTypes
import RegistryDomain
import RegistryWeb
import Testing

/// Every role against every route the server has (`WebServer.routes`, the
/// table the server itself registers): allowed means not refused, refused
/// means 403 and the change log as it was.
@Suite struct RoleMatrixTests {
    /// A real key for each path parameter, from the demo's seeds.
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: ":code/edit", with: "SW-2024-001/edit")
            .replacingOccurrences(of: "/projects/:code", with: "/projects/SW-2024-001")
            .replacingOccurrences(of: "/parks/:code", with: "/parks/SW-GX")
            .replacingOccurrences(of: "/enterprises/:uscc", with: "/enterprises/91440300192317458F")
            .replacingOccurrences(of: "/funds/:code", with: "/funds/SZ-ASSIST-2025")
            .replacingOccurrences(of: "/users/:name", with: "/users/spare")
    }

    @Test func theMatrixIsTheIssuesTable() {
        // viewer reads; clerk reads, writes and imports; auditor reads, audits
        // and exports; admin does everything.
        let expected: [UserRole: Set<UserAction>] = [
            .viewer: [.read], .clerk: [.read, .write, .importFile], .auditor: [.read, .audit, .export], .admin: Set(UserAction.allCases),
        ]
        for role in UserRole.allCases {
            for action in UserAction.allCases {
                #expect(role.may(action) == expected[role]!.contains(action), "\(role) \(action)")
            }
        }
    }

    @Test func everyRoleAgainstEveryRoute() async throws {
        let harness = try WebHarness()
        // Signing out ends the session, so it goes last.
        let routes = WebServer.routes.sorted { a, _ in a.path != "/logout" }
        #expect(routes.count >= 25)
        try await harness.serve { factory in
            for role in WebHarness.roles {
                let browser = try await factory.signedIn(role)
                _ = try await browser.get("/")
                for route in routes {
                    let path = Self.concrete(route.path)
                    let before = try harness.head()
                    let page = route.method == "GET" ? try await browser.get(path) : try await browser.post(path, [])
                    let allowed = route.action.map(role.may) ?? true
                    if allowed {
                        #expect(page.status != .forbidden && page.status != .unauthorized, "\(role) \(route) was refused")
                    } else {
                        #expect(page.status == .forbidden, "\(role) \(route) answered \(page.status)")
                        #expect(try harness.head() == before, "\(role) \(route) changed the log though refused")
                    }
                }
            }
        }
    }

    @Test func signedOutRequestsGoToTheSignInPage() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let browser = factory.browser()
            for route in WebServer.routes {
                let before = try harness.head()
                let page = route.method == "GET" ? try await browser.get(Self.concrete(route.path)) : try await browser.post(Self.concrete(route.path), [])
                if route.method == "GET" {
                    #expect(page.status == .seeOther && page.location?.hasPrefix("/login") == true, "\(route)")
                } else {
                    #expect(page.status == .unauthorized, "\(route)")
                }
                #expect(try harness.head() == before)
            }
        }
    }
}
