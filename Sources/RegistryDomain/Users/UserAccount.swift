import RegistryStorage

/// What a signed-in person may do in the web pages (`registry serve`).
///
/// - viewer: read every page;
/// - clerk: read; add and correct projects, parks, enterprises, funds and
///   payments; imports;
/// - auditor: read; run audits; export;
/// - admin: everything, and users, targets, year close and reopen.
public enum UserRole: String, Choice {
    case viewer, clerk, auditor, admin

    public var chineseName: String {
        switch self {
        case .viewer: "查看"
        case .clerk: "录入"
        case .auditor: "审计"
        case .admin: "管理员"
        }
    }

    public var aliases: [String] { [chineseName] }
}

/// The kinds of request the web pages serve, each allowed to some roles.
/// The one table the server consults for every request (`UserRole.may`).
public enum UserAction: String, CaseIterable, Sendable {
    /// Every page that only reads.
    case read
    /// Forms that add or correct projects, parks, enterprises, funds, allocations and payments.
    case write
    /// CSV imports (dry run and confirm).
    case importFile
    /// The audit page (runs `audit run`).
    case audit
    /// CSV downloads of lists.
    case export
    /// Accounts, targets, year close and reopen.
    case administer
}

extension UserRole {
    /// Whether this role may take `action`: the allow/deny matrix of issue 17.
    public func may(_ action: UserAction) -> Bool {
        switch (self, action) {
        case (.admin, _): true
        case (_, .read): true
        case (.clerk, .write), (.clerk, .importFile): true
        case (.auditor, .audit), (.auditor, .export): true
        default: false
        }
    }
}

/// One account of the web pages (`user_account`).
public struct UserAccount: Equatable, Sendable {
    /// The sign-in name, and the actor of every change the person makes.
    public let name: String
    public var role: UserRole
    /// bcrypt (`$2b$`, 60 characters); made by the front end, never the password.
    public var passwordHash: String
    public let createdAt: String
    public var disabledAt: String?

    public var isDisabled: Bool { disabledAt != nil }

    /// Validates a sign-in name: a required single-line text of at most 64
    /// scalars (NFC, no control or bidi characters, as every name here).
    public static func validName(_ text: String) throws -> String {
        try FieldText.required(text, field: "user", maximumLength: 64)
    }

    /// Refuses anything but a bcrypt hash of the `$2b$` kind.
    static func validHash(_ hash: String) throws -> String {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, hash.utf8.starts(with: "$2b$".utf8),
            bytes.allSatisfy({ $0 >= 0x21 && $0 < 0x7F })
        else {
            throw InvalidValue(field: "password_hash", value: "(hidden)", reason: "is not a bcrypt hash ($2b$, 60 characters)")
        }
        return hash
    }
}

extension UserAccount: StoredRecord {
    static let table = TableSchema(
        name: "user_account", primaryKey: ["name"], columns: ["name", "role", "password_hash", "created_at", "disabled_at"])

    var key: [SQLValue] { [.text(name)] }
    var values: [SQLValue] { [.text(name), .text(role.rawValue), .text(passwordHash), .text(createdAt), disabledAt.sqlValue] }

    init(row: Row) throws {
        self.init(
            name: try row.get("name"), role: try UserRole.stored(try row.get("role")), passwordHash: try row.get("password_hash"),
            createdAt: try row.get("created_at"), disabledAt: try row.get("disabled_at"))
    }

    /// Accounts belong to no year.
    var closingYear: ClosingYear? { nil }
    static func isYearNeutral(from before: UserAccount, to after: UserAccount) -> Bool { true }

    static let entity = Entity(table: table)
}

extension RegistryWriter {
    /// `registry user add`: a new account with a password hash already made.
    @discardableResult
    public func addUser(name: String, role: String, passwordHash: String) throws -> UserAccount {
        let name = try UserAccount.validName(name)
        let account = UserAccount(
            name: name, role: try UserRole.parse(role, field: "role"), passwordHash: try UserAccount.validHash(passwordHash),
            createdAt: context.time, disabledAt: nil)
        if try store.find(UserAccount.self, key: account.key) != nil {
            throw InvalidValue(field: "user", value: name, reason: "already has an account")
        }
        try store.insert(account)
        return account
    }

    /// `registry user passwd`: a new password (its hash), which also enables a disabled account.
    public func setPassword(user: String, passwordHash: String) throws {
        var account = try existingUser(user)
        let before = account
        account.passwordHash = try UserAccount.validHash(passwordHash)
        try store.update(from: before, to: account)
    }

    /// `registry user disable`: the account's sessions stop working at once
    /// (the server reads the account on every request).
    @discardableResult
    public func disableUser(_ user: String) throws -> Bool {
        var account = try existingUser(user)
        guard !account.isDisabled else { return false }
        let before = account
        account.disabledAt = context.time
        return try store.update(from: before, to: account)
    }

    /// `registry user enable`.
    @discardableResult
    public func enableUser(_ user: String) throws -> Bool {
        var account = try existingUser(user)
        let before = account
        account.disabledAt = nil
        return try store.update(from: before, to: account)
    }

    /// `registry user role`.
    @discardableResult
    public func setRole(user: String, role: String) throws -> Bool {
        var account = try existingUser(user)
        let before = account
        account.role = try UserRole.parse(role, field: "role")
        return try store.update(from: before, to: account)
    }

    private func existingUser(_ user: String) throws -> UserAccount {
        let name = try UserAccount.validName(user)
        guard let account = try store.find(UserAccount.self, key: [.text(name)]) else {
            throw InvalidValue(field: "user", value: name, reason: "has no account")
        }
        return account
    }
}

extension Registry {
    /// The account named exactly `name` (bytes, after NFC), or nil.
    public func user(named name: String) throws -> UserAccount? {
        guard let valid = try? UserAccount.validName(name) else { return nil }
        return try db.record(UserAccount.self, key: [.text(valid)])
    }

    /// Every account, by name.
    public func users() throws -> [UserAccount] {
        try db.rows("\(UserAccount.table.selectSQL) ORDER BY name").map(UserAccount.init(row:))
    }
}
