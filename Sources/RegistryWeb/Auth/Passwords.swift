import Foundation
import HummingbirdBcrypt
import RegistryDomain

/// Passwords: bcrypt (hummingbird-auth's), the same for `registry user add`
/// and the sign-in form. Only the hash is ever stored.
public enum Passwords {
    /// bcrypt's cost: 12 unless `REGISTRY_BCRYPT_COST` says otherwise (the
    /// tests use 4; each step doubles the time of a sign-in).
    public static let cost: UInt8 = {
        guard let text = ProcessInfo.processInfo.environment["REGISTRY_BCRYPT_COST"], let value = UInt8(text), (4...31).contains(value)
        else { return 12 }
        return value
    }()

    /// Shortest password accepted.
    public static let minimumLength = 8

    /// The hash of a new password, or a message saying why it is refused.
    public static func hash(_ password: String, cost: UInt8 = Passwords.cost) throws -> String {
        let scalars = password.unicodeScalars.count
        guard scalars >= minimumLength else {
            throw PasswordRefused(reason: "is too short: at least \(minimumLength) characters")
        }
        // bcrypt reads at most 72 bytes; more would be ignored without a word.
        guard password.utf8.count <= 72 else {
            throw PasswordRefused(reason: "is too long: bcrypt reads at most 72 bytes (UTF-8)")
        }
        return Bcrypt.hash(password, cost: cost)
    }

    /// Whether `password` is the one `hash` was made from (slow on purpose).
    public static func verify(_ password: String, hash: String) -> Bool {
        guard password.utf8.count <= 72 else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    /// A hash to check a password against when the account does not exist,
    /// so that an unknown name costs as long as a wrong password.
    static let decoy: String = Bcrypt.hash("registry-decoy-password", cost: cost)
}

public struct PasswordRefused: Error, MessageDescribed {
    public let reason: Message
    public var message: Message { "password: \(reason)" }
}
