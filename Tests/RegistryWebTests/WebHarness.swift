import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RegistryDomain
import RegistryTestSupport
import RegistryWeb

/// A demo registry with one account per role, and a real server on loopback
/// (`.live`: Hummingbird's test framework starts it on a free port).
struct WebHarness: @unchecked Sendable {
    let folder: TemporaryDirectory
    let path: String
    static let password = "correct-horse-9"
    static let roles: [UserRole] = UserRole.allCases

    init() throws {
        folder = try TemporaryDirectory()
        path = folder.path("registry.db")
        let registry = try DemoDatabase.create(at: path, actor: "demo").registry
        let hash = try Passwords.hash(Self.password, cost: 4)
        try registry.write(WriteContext(actor: "admin-setup", command: "user add")) { writer in
            for role in Self.roles { try writer.addUser(name: Self.name(role), role: role.rawValue, passwordHash: hash) }
            try writer.addUser(name: "spare", role: "viewer", passwordHash: hash)
        }
    }

    static func name(_ role: UserRole) -> String { "\(role.rawValue)-张" }

    func registry() throws -> Registry { try Registry.open(at: path) }

    /// The change log's head: what a refused request must leave as it was.
    func head() throws -> LogHead { try registry().logHead() }

    func serve(
        lifetime: Duration = .seconds(3600), throttle: LoginThrottleLimits = LoginThrottleLimits(), secureCookies: Bool = false,
        _ body: @Sendable (Browser.Factory) async throws -> Void
    ) async throws {
        let configuration = WebServerConfiguration(
            databasePath: path, host: "127.0.0.1", port: 0, sessionLifetime: lifetime, threads: 2, throttle: throttle, secureCookies: secureCookies)
        let app = try WebServer.application(configuration)
        // The server and the client run on threads of their own: the CLI
        // suites running alongside block Swift's cooperative threads (two on
        // a 2-core machine) while they wait for child processes, and a server
        // on those threads would then not answer in time.
        try await withTaskExecutorPreference(DedicatedExecutor.shared) {
            try await app.test(.live) { client in try await body(Browser.Factory(client: client)) }
        }
    }
}

/// A task executor on Dispatch worker threads, outside the cooperative pool.
final class DedicatedExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = DedicatedExecutor()
    private let queue = DispatchQueue(label: "registry-web-tests", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// One person's browser: their cookies, and the CSRF token of the last page.
final class Browser: @unchecked Sendable {
    struct Factory: Sendable {
        let client: any TestClientProtocol
        func browser() -> Browser { Browser(client: client) }

        /// A browser signed in as `role`'s account.
        func signedIn(_ role: UserRole) async throws -> Browser {
            let browser = browser()
            let response = try await browser.login(WebHarness.name(role), WebHarness.password)
            guard response.status == .seeOther else { throw HarnessError("sign-in of \(role) answered \(response.status)") }
            return browser
        }
    }

    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String?

    init(client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
    }

    func get(_ path: String) async throws -> Page {
        try await send(path, method: .get, body: nil, contentType: nil)
    }

    /// A form post with this browser's CSRF token (unless `csrf` is given, or nil to send none).
    func post(_ path: String, _ fields: [(String, String)], csrf: String?? = .none) async throws -> Page {
        var all = fields
        switch csrf {
        case .none: if let token = self.csrf { all.append(("csrf", token)) }
        case .some(.some(let token)): all.append(("csrf", token))
        case .some(.none): break
        }
        let body = all.map { "\(Self.encoded($0.0))=\(Self.encoded($0.1))" }.joined(separator: "&")
        return try await send(path, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// A multipart post (the import upload).
    func upload(_ path: String, fields: [(String, String)], file: (name: String, filename: String, bytes: String)) async throws -> Page {
        let boundary = "----registry-test-\(UUID().uuidString)"
        var body = ""
        for (name, value) in fields + [("csrf", csrf ?? "")] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: text/csv\r\n\r\n\(file.bytes)\r\n"
        body += "--\(boundary)--\r\n"
        return try await send(path, method: .post, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    func login(_ user: String, _ password: String, next: String = "/") async throws -> Page {
        _ = try await get("/login")
        return try await post("/login", [("token", cookies["registry_login"] ?? ""), ("user", user), ("password", password), ("next", next)], csrf: .some(nil))
    }

    private func send(_ path: String, method: HTTPRequest.Method, body: String?, contentType: String?) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let text = String(buffer: response.body)
        if let token = Self.firstMatch(#"name="csrf" value="([0-9a-f]+)""#, in: text) { csrf = token }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    static func firstMatch(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)), match.numberOfRanges > 1,
            let range = Range(match.range(at: 1), in: text)
        else { return nil }
        return String(text[range])
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? ""
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
