import Crypto
import Foundation
import RegistryStorage

/// A site's Ed25519 signing key (swift-crypto's `Curve25519.Signing`).
///
/// The private key never goes into the database, so no backup, bundle or
/// copy of the registry file carries it. It lives in a file of its own:
/// `$REGISTRY_KEY_DIR/<site>-<registry id>.key`, by default under
/// `~/.config/registry/keys/`, in a folder made with mode 0700 and a file
/// made with mode 0600 (owner only), refused when anyone else may read it.
/// Protect it as you would an SSH key: whoever holds it can sign bundles in
/// the site's name until headquarters registers a new key.
public struct SiteKey {
    let privateKey: Curve25519.Signing.PrivateKey

    /// The public key as people pass it on: 64 lower-case hex digits.
    public var publicKeyText: String { Hex.lowercase(privateKey.publicKey.rawRepresentation) }

    public static func generate() -> SiteKey { SiteKey(privateKey: Curve25519.Signing.PrivateKey()) }

    func sign(_ bytes: [UInt8]) throws -> [UInt8] { Array(try privateKey.signature(for: bytes)) }

    /// Where the key of `site` of registry `identity` is kept.
    public static func defaultPath(site: String, identity: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        let folder: String
        if let dir = environment["REGISTRY_KEY_DIR"], !dir.isEmpty {
            folder = dir
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            folder = home + "/.config/registry/keys"
        }
        return folder + "/\(site)-\(identity).key"
    }

    static let header = "registry site key (Ed25519); keep this file private"

    /// Writes the key to `path`, which must not exist (a key is replaced only on purpose).
    func save(to path: String, replacing: Bool) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if FileManager.default.fileExists(atPath: path) {
            guard replacing else { throw SyncError.keyExists(path: path) }
            try FileManager.default.removeItem(atPath: path)
        }
        let text = "\(Self.header)\n\(Hex.lowercase(privateKey.rawRepresentation))\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw SyncError.keyUnreadable(path: path, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw SyncError.keyUnreadable(path: path, detail: String(cString: strerror(errno)))
        }
    }

    /// Reads the key at `path`; refuses a file that others may read.
    static func load(from path: String) throws -> SiteKey {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SyncError.keyMissing(path: path) }
        guard info.st_mode & 0o077 == 0 else { throw SyncError.keyExposed(path: path) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SyncError.keyUnreadable(path: path, detail: "not a registry site key")
        }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count == 2, lines[0] == header, let raw = Hex.strictBytes(lines[1]), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw SyncError.keyUnreadable(path: path, detail: "not a registry site key") }
        return SiteKey(privateKey: key)
    }

    /// Whether `signature` is `site`'s (whose public key is `publicKey`, hex) over `bytes`.
    static func isValid(signature: [UInt8], of bytes: [UInt8], publicKey: String) -> Bool {
        guard let raw = Hex.strictBytes(publicKey), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }

    /// A public key as typed (`ed25519:` prefix optional): 64 hex digits.
    static func parsePublicKey(_ text: String) throws -> String {
        var key = TextNormalization.halfwidthTrimmed(text).lowercased()
        if key.hasPrefix("ed25519:") { key.removeFirst("ed25519:".count) }
        guard let raw = Hex.strictBytes(key), raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw InvalidValue(
                field: "key", value: FieldText.shown(text),
                reason: "is not an Ed25519 public key; 64 hex digits as the site's key command printed them are accepted")
        }
        return key
    }
}
