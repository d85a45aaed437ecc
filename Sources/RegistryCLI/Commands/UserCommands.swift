import ArgumentParser
import Foundation
import RegistryDomain
import RegistryPresentation
import RegistryWeb

/// `registry user add|list|disable|enable|passwd|role`: the accounts of `registry serve`.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Accounts for the web pages (registry serve): viewer, clerk, auditor or admin.",
        subcommands: [UserAdd.self, UserList.self, UserDisable.self, UserEnable.self, UserPasswd.self, UserRoleCommand.self]
    )

    /// The password: asked at the terminal (twice, not echoed), or one line of
    /// standard input when it is not a terminal (for scripts).
    static func readPassword() throws -> String {
        if isatty(STDIN_FILENO) == 1 {
            guard let first = getpass("密码 (password): ").map({ String(cString: $0) }) else {
                throw CLIFailure(message: "no password given", code: ExitStatus.usage)
            }
            guard let second = getpass("再输一次 (again): ").map({ String(cString: $0) }), second.utf8.elementsEqual(first.utf8) else {
                throw CLIFailure(message: "the two passwords differ; nothing was changed", code: ExitStatus.dataError)
            }
            return first
        }
        guard let line = readLine(strippingNewline: true) else { throw CLIFailure(message: "no password on standard input", code: ExitStatus.usage) }
        return line
    }

    static func hash(_ password: String) throws -> String {
        do {
            return try Passwords.hash(password)
        } catch let refused as PasswordRefused {
            throw CLIFailure(message: "\(refused.message); nothing was changed", code: ExitStatus.dataError)
        }
    }

    struct UserAdd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add an account; the password is asked for (or read from standard input).",
            discussion: "Example: registry user add 张敏 --role clerk")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The sign-in name (also the actor of the person's changes).") var name: String
        @Option(help: "viewer, clerk, auditor or admin.") var role: String

        func run() throws {
            let registry = try global.openRegistry()
            _ = try UserRole.parse(role, field: "role")
            let hash = try UserCommand.hash(try UserCommand.readPassword())
            let account = try registry.write(global.context("user add")) { try $0.addUser(name: name, role: role, passwordHash: hash) }
            say("added \(account.name) (\(account.role.rawValue) \(account.role.chineseName))")
        }
    }

    struct UserList: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

        @OptionGroup var global: GlobalOptions
        @Option(help: "Output format: table, csv or json. Default: table on a terminal, csv otherwise.") var format: OutputFormat?

        func run() throws {
            let registry = try global.openRegistry()
            var listing = Listing(fields: [.init("name", "用户名"), .init("role", "角色"), .init("created_at", "创建时间"), .init("disabled_at", "停用时间")])
            for account in try registry.users() {
                listing.rows.append([.text(account.name), .text(account.role.rawValue), .text(account.createdAt), .text(account.disabledAt)])
            }
            print(listing.render(OutputFormat.resolved(format)), terminator: "")
        }
    }

    struct UserDisable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Disable an account: its sessions stop working at once.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The sign-in name.") var name: String

        func run() throws {
            let registry = try global.openRegistry()
            let changed = try registry.write(global.context("user disable")) { try $0.disableUser(name) }
            print(changed ? "disabled \(name)" : "\(name) was already disabled")
        }
    }

    struct UserEnable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account again.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The sign-in name.") var name: String

        func run() throws {
            let registry = try global.openRegistry()
            let changed = try registry.write(global.context("user enable")) { try $0.enableUser(name) }
            print(changed ? "enabled \(name)" : "\(name) was not disabled")
        }
    }

    struct UserPasswd: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "passwd", abstract: "Set a new password; asked for, or read from standard input.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The sign-in name.") var name: String

        func run() throws {
            let registry = try global.openRegistry()
            guard try registry.user(named: name) != nil else { throw InvalidValue(field: "user", value: name, reason: "has no account") }
            let hash = try UserCommand.hash(try UserCommand.readPassword())
            try registry.write(global.context("user passwd")) { try $0.setPassword(user: name, passwordHash: hash) }
            say("password of \(name) changed")
        }
    }

    struct UserRoleCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change an account's role; it applies at the next request.")

        @OptionGroup var global: GlobalOptions
        @Argument(help: "The sign-in name.") var name: String
        @Argument(help: "viewer, clerk, auditor or admin.") var role: String

        func run() throws {
            let registry = try global.openRegistry()
            let changed = try registry.write(global.context("user role")) { try $0.setRole(user: name, role: role) }
            print(changed ? "\(name) is now \(role)" : "\(name) already has that role")
        }
    }
}
