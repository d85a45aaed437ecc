import Foundation
import Hummingbird
import HummingbirdAuth
import RegistryDomain

/// Sign-in and sign-out.
///
/// The sign-in form has no session yet, so its CSRF token is a cookie of
/// its own (SameSite=Strict, HttpOnly) that the form repeats: a page of
/// another site can neither read it nor send it.
extension WebSite {
    static let loginCookie = "registry_login"

    func loginPage(_ request: Request, _ context: WebContext, message: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let token = WebSession.newToken()
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        var data: [String: Any] = ["token": token, "next": next]
        if let message { data["message"] = message }
        let page = templates.page("login", title: "登录", chrome: chrome(nil, version: nil), data)
        var response = html(page, status: status)
        response.setCookie(
            Cookie(name: Self.loginCookie, value: token, maxAge: 600, path: "/login", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, _ context: WebContext) async throws -> Response {
        var request = request
        let form = try await Form.read(&request, limit: 64 * 1024)
        guard let sent = request.cookies[Self.loginCookie]?.value, let token = form["token"], Self.constantTimeEqual(String(sent), token) else {
            refusalLog(request, context, who: form["user"], why: "sign-in without its form token")
            return try await loginPage(request, context, message: "登录表单已过期，请重新输入。", status: .forbidden)
        }
        let name = (try? UserAccount.validName(form["user"] ?? "")) ?? ""
        let password = form["password"] ?? ""
        let address = context.clientAddress
        if let wait = throttle.retryAfter(account: name, address: address) {
            refusalLog(request, context, who: name, why: "sign-in throttled for \(wait) s")
            var response = try await loginPage(request, context, message: "登录失败次数过多，请 \(wait) 秒后再试。", status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            return response
        }
        // bcrypt runs on the SQLite threads, never on the event loop; an
        // unknown name is checked against a decoy hash, to take as long.
        let account = try await pool.read { registry -> UserAccount? in
            let account = try registry.user(named: name)
            let hash = account?.passwordHash ?? Passwords.decoy
            return Passwords.verify(password, hash: hash) ? account : nil
        }
        guard let account, !account.isDisabled else {
            throttle.failed(account: name, address: address)
            refusalLog(request, context, who: name, why: "wrong name or password, or account disabled")
            return try await loginPage(request, context, message: "用户名或密码不正确，或账户已停用。", status: .unauthorized)
        }
        throttle.succeeded(account: name)
        let session = WebSession(user: account.name, csrf: WebSession.newToken())
        let cookie = try await sessions.save(session: session, expiresIn: configuration.sessionLifetime)
        var response = redirect(Self.safeNext(form["next"]))
        response.setCookie(cookie)
        response.setCookie(
            Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/login", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func logout(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        var response = redirect("/login")
        if let cookie = try? await sessions.delete(request: request) { response.setCookie(cookie) }
        return response
    }

    /// A path of this site to go to after sign-in; anything else is `/`.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else { return "/" }
        return next
    }
}
