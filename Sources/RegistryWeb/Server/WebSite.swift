import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOConcurrencyHelpers
import RegistryDomain
import RegistryPresentation
import RegistryStorage

/// One route as the server knows it: what it does and who may do it. The
/// table of them (`WebSite.routes`) is what the server enforces and what the
/// role tests walk (every role against every route).
public struct RouteSpec: Sendable, CustomStringConvertible {
    public let method: String
    public let path: String
    /// nil: open to anyone (the sign-in page, the style sheet).
    public let action: UserAction?
    public var description: String { "\(method) \(path)" }
}

/// What one route does with a request from a signed-in person who may make it.
typealias Handler = @Sendable (Request, WebContext, SignedIn, Form) async throws -> Response

/// The web pages: routes, sessions and roles over the registry file.
final class WebSite: Sendable {
    let pool: RegistryPool
    let templates: PageTemplates
    let sessions: SessionStorage<WebSession>
    let throttle: LoginThrottle
    let configuration: WebServerConfiguration
    let figures: FigureCache
    let pendingImports = PendingImports()
    let lastWrites = LastWrites()

    init(pool: RegistryPool, configuration: WebServerConfiguration, persist: some PersistDriver) throws {
        self.pool = pool
        self.configuration = configuration
        templates = try PageTemplates()
        sessions = SessionStorage(
            persist,
            configuration: SessionStorageConfiguration(
                sessionCookieParameters: SessionCookieParameters(
                    name: WebSession.cookieName, path: "/", secure: configuration.secureCookies, sameSite: .strict),
                keyPrefix: "session."))
        throttle = LoginThrottle(
            limits: LoginThrottle.Limits(
                perAccount: configuration.throttle.perAccount, perAddress: configuration.throttle.perAddress,
                window: configuration.throttle.windowSeconds))
        figures = FigureCache()
    }

    func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: SecurityHeaders())
        router.get("/assets/:file") { request, context in try self.asset(context) }
        router.get("/login") { request, context in try await self.loginPage(request, context, message: nil) }
        router.post("/login") { request, context in try await self.login(request, context) }
        for entry in RouteCatalogue.entries {
            let spec = entry.spec
            let handler = entry.make(self)
            let method = HTTPRequest.Method(rawValue: spec.method)!
            router.on(RouterPath(spec.path), method: method) { request, context in
                try await self.guarded(spec, handler, request, context)
            }
        }
        return router
    }

    /// Sign-in, role and CSRF checks, in that order, for every route.
    private func guarded(_ spec: RouteSpec, _ handler: Handler, _ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        guard let session = try await sessions.load(request: request) else {
            if request.method == .get { return redirect("/login?next=" + Self.nextParameter(request)) }
            return refused(request, context, status: .unauthorized, why: "not signed in")
        }
        let name = session.user
        guard let account = try await pool.read({ try $0.user(named: name) }), !account.isDisabled else {
            _ = try? await sessions.delete(request: request)
            refusalLog(request, context, who: name, why: "account missing or disabled")
            return redirect("/login")
        }
        let signedIn = SignedIn(account: account, csrf: session.csrf)
        if let action = spec.action, !account.role.may(action) {
            return refused(request, context, status: .forbidden, who: signedIn, why: "role \(account.role.rawValue) may not \(action.rawValue)")
        }
        var form = Form()
        if request.method == .post {
            form = try await Form.read(&request, limit: context.maxUploadSize)
            guard let token = form["csrf"], Self.constantTimeEqual(token, session.csrf) else {
                return refused(request, context, status: .forbidden, who: signedIn, why: "missing or wrong CSRF token")
            }
        }
        var context = context
        context.signedIn = signedIn
        do {
            return try await handler(request, context, signedIn, form)
        } catch let error as InvalidValue {
            // A filter or parameter of the address refused (a form shows its refusals itself).
            let page = templates.page("message", title: "无法显示", chrome: chrome(signedIn, version: nil), ["message": error.message.description])
            return html(page, status: .badRequest)
        }
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    private static func nextParameter(_ request: Request) -> String {
        let path = request.uri.path
        // Only a path of this site (no scheme, no //host) is ever a redirect target.
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return "/" }
        return path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
    }

    // MARK: Responses

    func html(_ body: String, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// A refused request: logged to stderr (never to the change log), and a page saying so.
    func refused(_ request: Request, _ context: WebContext, status: HTTPResponse.Status, who: SignedIn? = nil, why: String) -> Response {
        refusalLog(request, context, who: who?.account.name, why: why)
        let page = templates.page(
            "refused", title: "无权操作", chrome: chrome(who, version: nil),
            ["status": String(status.code), "reason": status == .forbidden ? "您的账户无权进行此操作。" : "请先登录。"])
        return html(page, status: status)
    }

    func refusalLog(_ request: Request, _ context: WebContext, who: String?, why: String) {
        let line =
            "registry serve: refused \(request.method.rawValue) \(request.uri.path) from \(context.clientAddress)"
            + " user=\(who.map { HTMLText.escapedForLog($0) } ?? "-"): \(why)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// The layout's parts for this person.
    func chrome(_ who: SignedIn?, version: LogHead?) -> Chrome {
        var chrome = Chrome()
        chrome.user = who?.account.name
        chrome.role = who?.account.role.chineseName
        chrome.csrf = who?.csrf
        chrome.dataVersion = version.map { "\($0.seq) · \($0.hash.prefix(12))" }
        if let who {
            chrome.menu = Menu.items(for: who.account.role)
        }
        return chrome
    }

    private func asset(_ context: WebContext) throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard let text = EmbeddedFiles.assets.first(where: { $0.key.sameBytes(as: file) })?.value else { throw HTTPError(.notFound) }
        let type = file.hasSuffix(".css") ? "text/css; charset=utf-8" : file.hasSuffix(".svg") ? "image/svg+xml" : "text/plain; charset=utf-8"
        return Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// What a session remembers: whose it is and its CSRF token. The account
/// itself (role, disabled) is read from the database on every request.
struct WebSession: Codable, Sendable {
    static let cookieName = "registry_session"
    let user: String
    let csrf: String

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}

/// Headers on every response: no script at all, no framing, no sniffing.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = WebContext
    static let policy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    /// The report keeps its own inline style sheet (the same file as `report year --format html`).
    static let reportPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = Response(
                status: error.status, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "\(error.status.code) \(error.status.reasonPhrase)\n")))
        }
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.policy }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}
