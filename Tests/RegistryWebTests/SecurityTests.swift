import Foundation
import HTTPTypes
import RegistryDomain
import RegistryPresentation
import RegistryWeb
import Testing

/// CSRF, sessions, throttling, escaping, headers: each tested, not assumed.
@Suite struct SecurityTests {
    static let parkForm = [("code", "SW-CSRF"), ("name", "跨站园区"), ("level", "county"), ("county", "海丰县")]

    @Test func aFormWithoutItsTokenOrWithAnotherIsRefused() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            _ = try await clerk.get("/parks/new")
            let before = try harness.head()
            #expect(try await clerk.post("/parks", Self.parkForm, csrf: .some(nil)).status == .forbidden)
            let token = try #require(clerk.csrf)
            let other = (token.hasPrefix("0") ? "1" : "0") + String(token.dropFirst())
            #expect(try await clerk.post("/parks", Self.parkForm, csrf: other).status == .forbidden)
            // Another person's token is no good either.
            let viewer = try await factory.signedIn(.admin)
            _ = try await viewer.get("/")
            #expect(try await clerk.post("/parks", Self.parkForm, csrf: viewer.csrf).status == .forbidden)
            #expect(try harness.head() == before)
            #expect(try await clerk.post("/parks", Self.parkForm).status == .seeOther)
        }
    }

    @Test func cookiesAreHttpOnlyStrictAndTheSignInFormHasItsOwnToken() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let browser = factory.browser()
            let form = try await browser.get("/login")
            #expect(form.headers[values: .setCookie].allSatisfy { $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
            // Without the form's token (a page of another site posting here): refused.
            let forged = try await factory.browser().post(
                "/login", [("user", WebHarness.name(.admin)), ("password", WebHarness.password)], csrf: .some(nil))
            #expect(forged.status == .forbidden)
            let signed = try await browser.login(WebHarness.name(.admin), WebHarness.password, next: "//evil.example/")
            #expect(signed.status == .seeOther)
            #expect(signed.location == "/", "an open redirect")
            let session = signed.headers[values: .setCookie].first { $0.hasPrefix("registry_session=") }
            #expect(session?.contains("HttpOnly") == true && session?.contains("SameSite=Strict") == true && session?.contains("Expires=") == true)
        }
    }

    @Test func behindTLSTheCookiesAreSecure() async throws {
        let harness = try WebHarness()
        try await harness.serve(secureCookies: true) { factory in
            let browser = factory.browser()
            let form = try await browser.get("/login")
            #expect(form.headers[values: .setCookie].allSatisfy { $0.contains("Secure") })
            let signed = try await browser.login(WebHarness.name(.viewer), WebHarness.password)
            #expect(signed.headers[values: .setCookie].filter { $0.hasPrefix("registry_session=") }.allSatisfy { $0.contains("Secure") })
        }
    }

    @Test func sessionsExpire() async throws {
        let harness = try WebHarness()
        try await harness.serve(lifetime: .seconds(1)) { factory in
            let viewer = try await factory.signedIn(.viewer)
            #expect(try await viewer.get("/").status == .ok)
            try await Task.sleep(for: .milliseconds(2_200))
            let page = try await viewer.get("/")
            #expect(page.status == .seeOther && page.location?.hasPrefix("/login") == true)
        }
    }

    @Test func aDisabledAccountsSessionStopsAtOnce() async throws {
        let harness = try WebHarness()
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            #expect(try await clerk.get("/").status == .ok)
            _ = try harness.registry().write(WriteContext(actor: "admin", command: "user disable")) { try $0.disableUser(WebHarness.name(.clerk)) }
            let page = try await clerk.get("/projects")
            #expect(page.status == .seeOther && page.location == "/login")
            #expect(try await clerk.post("/parks", Self.parkForm).status == .unauthorized)
            // Nor can it sign in again.
            #expect(try await factory.browser().login(WebHarness.name(.clerk), WebHarness.password).status == .unauthorized)
            // A role lowered applies at the next request too.
            let admin = try await factory.signedIn(.admin)
            #expect(try await admin.get("/users").status == .ok)
            _ = try harness.registry().write(WriteContext(actor: "admin", command: "user role")) {
                try $0.setRole(user: WebHarness.name(.admin), role: "viewer")
            }
            #expect(try await admin.get("/users").status == .forbidden)
        }
    }

    @Test func signInIsThrottledPerAccountAndPerAddress() async throws {
        let harness = try WebHarness()
        try await harness.serve(throttle: LoginThrottleLimits(perAccount: 3, perAddress: 6, windowSeconds: 60)) { factory in
            for _ in 0..<3 {
                #expect(try await factory.browser().login(WebHarness.name(.admin), "wrong-password").status == .unauthorized)
            }
            // The right password no longer helps while the account is throttled.
            let throttled = try await factory.browser().login(WebHarness.name(.admin), WebHarness.password)
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
            // Other accounts from the same address: up to the address's limit.
            for _ in 0..<3 {
                #expect(try await factory.browser().login(WebHarness.name(.viewer), "wrong-password").status == .unauthorized)
            }
            #expect(try await factory.browser().login(WebHarness.name(.auditor), WebHarness.password).status == .tooManyRequests)
        }
    }

    @Test func hostileNamesAreEscapedEverywhere() async throws {
        let harness = try WebHarness()
        // FieldText refuses bidi controls in names, so they are planted as the
        // sqlite3 shell would, and must still come out harmless.
        let names = ["<script>alert(1)</script>\"'`", "<\u{301}script>x</script>", "&lt;b&gt;"]
        _ = try harness.registry().write(WriteContext(actor: "clerk", command: "setup")) { writer in
            for (index, name) in names.enumerated() {
                try writer.addPark(ParkFields(code: "EV-\(index)", name: name, level: "county", county: "海丰县"))
            }
        }
        try await harness.serve { factory in
            let viewer = try await factory.signedIn(.viewer)
            for path in ["/parks", "/parks/EV-0", "/parks/EV-1", "/history?table=park"] {
                let page = try await viewer.get(path)
                #expect(page.status == .ok)
                #expect(!page.body.contains("<script"), "\(path)")
                #expect(!page.body.unicodeScalars.elementsEqual("<\u{301}".unicodeScalars), "\(path)")
                #expect(!Self.containsScalars(page.body, ["<", "\u{301}"]), "\(path): a combining mark hid a <")
                #expect(page.body.contains("&lt;script&gt;") || page.body.contains("&lt;\u{301}script"), "\(path)")
            }
            #expect(try await viewer.get("/parks").body.contains("&amp;lt;b&amp;gt;"))
        }
    }

    @Test func bidiControlsAreShownNotObeyed() {
        // The escaper itself: every scalar on its own, format characters made visible.
        let text = "合同\u{202E}txt.exe\u{2066}<\u{301}"
        let escaped = HTMLText.escaped(text)
        #expect(!escaped.unicodeScalars.contains("\u{202E}"))
        #expect(escaped.contains("[U+202E]") && escaped.contains("[U+2066]") && escaped.contains("&lt;\u{301}"))
    }

    static func containsScalars(_ text: String, _ sequence: [Unicode.Scalar]) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count >= sequence.count else { return false }
        for start in 0...(scalars.count - sequence.count) where scalars[start..<(start + sequence.count)].elementsEqual(sequence) { return true }
        return false
    }
}
