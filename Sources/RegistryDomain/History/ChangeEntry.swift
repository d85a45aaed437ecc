import Crypto
import Foundation
import RegistryStorage

/// One entry of the change history: a row inserted (`before` nil), updated,
/// or deleted (`after` nil) by a command, and the hash that chains it to the
/// entry before.
public struct ChangeEntry: Sendable, Equatable {
    public let seq: Int64
    /// UTC, ISO 8601 to the second (`2026-01-05T09:00:00Z`).
    public let at: String
    public let actor: String
    public let command: String
    public let table: String
    /// JSON array of the primary-key values (`["SW-2025-001"]`).
    public let key: String
    /// JSON object of the whole row, in column order.
    public let before: String?
    public let after: String?
    /// Hex SHA-256 of this entry's fields and the previous entry's hash.
    public let hash: String
    /// The registry (its identity) where the change was made; nil for
    /// entries older than migration 0007, all made here.
    public var site: String? = nil

    public enum Action: String, Sendable {
        case insert, update, delete
    }

    public var action: Action {
        before == nil ? .insert : after == nil ? .delete : .update
    }

    /// The key as people write it: the values joined by `/` (`SW-2025-001/construction`).
    public var keyText: String { CanonicalJSON.keyText(key) }
}

/// A point in the history that can be published and checked later: the
/// sequence number and hash of the newest entry, written `seq:hash`.
public struct LogHead: Sendable, Equatable, CustomStringConvertible {
    public let seq: Int64
    public let hash: String

    /// The head of an empty log: nothing before the first entry.
    public static let genesis = LogHead(seq: 0, hash: String(repeating: "0", count: 64))

    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    public var description: String { "\(seq):\(hash)" }

    /// Reads `1234:9f2c…` (the full 64-digit hash).
    public init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 0 else { return nil }
        let hash = parts[1].lowercased()
        guard hash.utf8.count == 64, hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        self.init(seq: seq, hash: hash)
    }
}

/// The hash of an entry: SHA-256 over a canonical byte encoding.
///
/// Why this encoding: a tag names the format and its version (domain
/// separation: a hash of something else can never pass for an entry's), and
/// every field is length-prefixed with a null marker, so that no two
/// different entries encode to the same bytes ("ab"+"c" vs "a"+"bc", NULL vs
/// empty text). The previous hash goes last, as raw bytes.
enum EntryHash {
    static let tag = Array("registry/change-log/v1".utf8)

    static func compute(
        seq: Int64, at: String, actor: String, command: String, table: String,
        key: String, before: String?, after: String?, previous: String
    ) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + key.utf8.count + (before?.utf8.count ?? 0) + (after?.utf8.count ?? 0))
        appendLength(tag.count, to: &bytes)
        bytes += tag
        append(String(seq), to: &bytes)
        for field in [at, actor, command, table, key] { append(field, to: &bytes) }
        append(before, to: &bytes)
        append(after, to: &bytes)
        bytes += hexBytes(previous)
        return hex(SHA256.hash(data: bytes))
    }

    static let setTag = Array("registry/change-set/v2".utf8)
    static let entryTag = Array("registry/change-entry/v2".utf8)

    /// A change set's hash (migration 0007): its number, time, actor, command and site.
    static func set(id: Int64, at: String, actor: String, command: String, site: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        appendLength(setTag.count, to: &bytes)
        bytes += setTag
        for field in [String(id), at, actor, command, site] { append(field, to: &bytes) }
        return Array(SHA256.hash(data: bytes))
    }

    /// A compact entry's hash (migration 0007): its number, its set's number
    /// and stored hash, table, key, before and after as stored, and the
    /// previous entry's hash (of either log).
    static func entry(
        seq: Int64, setID: Int64, setHash: [UInt8], table: String, key: String, before: String?, after: String?, previous: [UInt8]
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160 + key.utf8.count + (before?.utf8.count ?? 0) + (after?.utf8.count ?? 0))
        appendLength(entryTag.count, to: &bytes)
        bytes += entryTag
        append(String(seq), to: &bytes)
        append(String(setID), to: &bytes)
        appendLength(setHash.count, to: &bytes)
        bytes += setHash
        append(table, to: &bytes)
        append(key, to: &bytes)
        append(before, to: &bytes)
        append(after, to: &bytes)
        appendLength(previous.count, to: &bytes)
        bytes += previous
        return Array(SHA256.hash(data: bytes))
    }

    private static func append(_ text: String?, to bytes: inout [UInt8]) {
        guard let text else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        appendLength(text.utf8.count, to: &bytes)
        bytes += text.utf8
    }

    private static func appendLength(_ length: Int, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: UInt64(length).bigEndian) { bytes += $0 }
    }

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        Hex.lowercase(digest)
    }

    /// The 32 bytes of a 64-digit hex hash (a stored hash is checked to be one).
    static func hexBytes(_ text: String) -> [UInt8] {
        func nibble(_ c: UInt8) -> UInt8 {
            c <= 57 ? c &- 48 : (c | 0x20) &- 87
        }
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index + 1 < utf8.count {
            out.append(nibble(utf8[index]) << 4 | nibble(utf8[index + 1]))
            index += 2
        }
        return out
    }
}
