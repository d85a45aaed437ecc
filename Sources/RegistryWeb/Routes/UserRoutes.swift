import Foundation
import Hummingbird
import RegistryDomain

/// 用户 (admin only): the accounts, adding one, disabling one.
extension WebSite {
    func userList(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        try await userList(user, page: nil)
    }

    static func userFields() -> FormPage {
        FormPage(fields: [
            FormPage.Field(name: "user", label: "用户名", value: "", required: true),
            FormPage.Field(name: "role", label: "角色", value: "viewer", required: true, options: UserRole.allCases.map { ($0.rawValue, $0.chineseName) }),
            FormPage.Field(name: "password", label: "初始密码", value: "", type: "password", required: true),
        ])
    }

    private func userList(_ user: SignedIn, page: FormPage?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let users = try await pool.read { try $0.users() }
        let rows = users.map { account in
            [
                PageData.Cell(account.name), PageData.Cell(account.role.chineseName), PageData.Cell(account.createdAt),
                PageData.Cell(account.disabledAt.map { "已停用 \($0)" } ?? "正常"),
            ]
        }
        var formData = (page ?? Self.userFields()).values
        formData["action"] = "/users"
        let data: [String: Any] = [
            "table": PageData.table([("用户名", false), ("角色", false), ("创建时间", false), ("状态", false)], rows),
            "form": formData, "csrf": user.csrf,
            "hasDisable": users.contains { !$0.isDisabled },
            "disable": users.filter { !$0.isDisabled }.map { ["name": $0.name, "action": PageData.path("users", $0.name, "disable")] },
        ]
        return html(templates.page("users", title: "用户", chrome: chrome(user, version: nil), data), status: status)
    }

    func addUser(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let name = form["user"] ?? ""
        let role = form["role"] ?? ""
        let password = form["password"] ?? ""
        var page = Self.userFields()
        page.fill(from: form)
        page.fields[2].value = ""
        let hash: String
        do {
            hash = try await pool.read { _ in try Passwords.hash(password) }
        } catch let refused as PasswordRefused {
            page.messages["password"] = "密码\(refused.reason)"
            return try await userList(user, page: page, status: .unprocessableContent)
        }
        switch try await write(
            user, command: "user add",
            { writer in
                try writer.addUser(name: name, role: role, passwordHash: hash)
                return "/users"
            })
        {
        case .success(let location): return redirect(location)
        case .failure(let error):
            try page.show(error) { ["user": "用户名", "role": "角色"][$0] ?? $0 }
            return try await userList(user, page: page, status: .unprocessableContent)
        }
    }

    func disableUser(_ request: Request, _ context: WebContext, _ user: SignedIn, _ form: Form) async throws -> Response {
        let name = context.parameter("name")
        switch try await write(
            user, command: "user disable",
            { writer in
                try writer.disableUser(name)
                return "/users"
            })
        {
        case .success(let location): return redirect(location)
        case .failure(let error):
            var page = FormPage(fields: [])
            try page.show(error) { $0 }
            return html(
                templates.page(
                    "message", title: "用户", chrome: chrome(user, version: nil), ["message": (page.general + page.messages.values).joined(separator: "；")]),
                status: .unprocessableContent)
        }
    }
}
