import Crypto
import Foundation
import RegistryStorage

/// A sync bundle file: a signed envelope, then the payload.
///
///     registry-sync 1\n
///     {envelope as JSON}\n
///     ed25519:<signature over the envelope line's bytes, hex>\n
///     <changeset bytes><provenance bytes>
///
/// The envelope names the sender and receiver, the range of the sender's
/// outbox the changeset carries, the schema version, the sender's log head,
/// the previous bundle's SHA-256, what the sender acknowledges of the
/// receiver's bundles, and the length and SHA-256 of both payload parts. The
/// signature covers the envelope and so, through the hashes, every byte. The
/// changeset is SQLite's own format (the session extension); the provenance
/// says who changed each row at the sender and when, for conflicts.
struct SyncBundle {
    struct Envelope: Codable, Equatable {
        var format: Int
        var sender: String
        var senderName: String
        var senderRegistry: String
        var receiver: String
        var number: Int
        var fromSeq: Int64
        var toSeq: Int64
        var schemaVersion: Int
        var senderHead: String
        var previous: String
        /// The receiver's outbox is applied at the sender up to here.
        var acknowledges: Int64
        var createdAt: String
        var changes: Int
        var payloadBytes: Int
        var payloadSha256: String
        var provenanceBytes: Int
        var provenanceSha256: String
    }

    /// Who changed each row at the sender: the change sets, and per row
    /// (a line `table<TAB>key JSON<TAB>set index`) the index of the last;
    /// a row named twice takes its last line.
    struct Provenance {
        struct ChangeSet: Codable {
            var at: String
            var actor: String
            var command: String
        }
        var sets: [ChangeSet]
        var lines: [UInt8]

        init(sets: [ChangeSet], lines: [UInt8]) {
            self.sets = sets
            self.lines = lines
        }

        init(decoding bytes: [UInt8]) throws {
            guard let end = bytes.firstIndex(of: 0x0A) else { throw SyncError.notABundle(path: "", detail: "its provenance is not readable") }
            sets = try JSONDecoder.sync.decode([ChangeSet].self, from: Data(bytes[..<end]))
            lines = Array(bytes[(end + 1)...])
        }

        /// Who changed each row last, by row.
        func byRow() -> [ExactText: ChangeSet] {
            var found: [ExactText: ChangeSet] = [:]
            for line in lines.split(separator: 0x0A) {
                let fields = line.split(separator: 0x09, maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3, let index = Int(String(decoding: fields[2], as: UTF8.self)), sets.indices.contains(index) else { continue }
                let table = String(decoding: fields[0], as: UTF8.self)
                let key = String(decoding: fields[1], as: UTF8.self)
                found[SyncResolution.rowIdentity(table: table, key: key)] = sets[index]
            }
            return found
        }
    }

    static let magic = "registry-sync 1"
    static let noPrevious = String(repeating: "0", count: 64)

    let envelope: Envelope
    let envelopeBytes: [UInt8]
    let signature: [UInt8]
    let changeset: Changeset
    let provenanceBytes: [UInt8]
    /// SHA-256 of the whole file, hex: the bundle's name in both sites' records.
    let hash: String

    /// Builds and signs a bundle: the file's bytes in parts (header and
    /// envelope, changeset, provenance), written one after the other, so the
    /// changeset is never copied into a second buffer.
    static func make(envelope: Envelope, changeset: Changeset, provenance: Provenance, key: SiteKey) throws -> (parts: [[UInt8]], hash: String) {
        let setsLine = Array(try JSONEncoder.sync.encode(provenance.sets)) + [0x0A]
        var envelope = envelope
        envelope.payloadBytes = changeset.bytes.count
        envelope.payloadSha256 = Hex.lowercase(SHA256.hash(data: changeset.bytes))
        envelope.provenanceBytes = setsLine.count + provenance.lines.count
        var provenanceHash = SHA256()
        provenanceHash.update(data: setsLine)
        provenanceHash.update(data: provenance.lines)
        envelope.provenanceSha256 = Hex.lowercase(provenanceHash.finalize())
        let envelopeBytes = Array(try JSONEncoder.sync.encode(envelope))
        let signature = try key.sign(envelopeBytes)
        let head = Array((magic + "\n").utf8) + envelopeBytes + Array("\ned25519:\(Hex.lowercase(signature))\n".utf8)
        let parts = [head, changeset.bytes, setsLine, provenance.lines]
        var whole = SHA256()
        for part in parts { whole.update(data: part) }
        return (parts, Hex.lowercase(whole.finalize()))
    }

    /// Reads a bundle file: the header first, then the changeset and the
    /// provenance each straight into a buffer of its own.
    static func read(path: String) throws -> SyncBundle {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SyncError.notABundle(path: path, detail: "the file cannot be read") }
        defer { try? handle.close() }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        return try parse(size: size, path: path) { offset, count in
            try handle.seek(toOffset: UInt64(offset))
            return Array(try handle.read(upToCount: count) ?? Data())
        }
    }

    /// Reads the structure of a bundle held in memory.
    static func parse(_ bytes: [UInt8], path: String) throws -> SyncBundle {
        try parse(size: bytes.count, path: path) { offset, count in Array(bytes[offset..<min(bytes.count, offset + count)]) }
    }

    /// The header is at most `headLimit` bytes (an envelope is a few hundred).
    static let headLimit = 64 << 10

    /// Reads the file's structure through `read(offset, count)`; checks
    /// nothing that needs the sender's key.
    private static func parse(size: Int, path: String, read: (Int, Int) throws -> [UInt8]) throws -> SyncBundle {
        let first = try read(0, min(size, headLimit))
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while lines.count < 3, index < first.count {
            if first[index] == 0x0A {
                lines.append(first[start..<index])
                start = index + 1
            }
            index += 1
        }
        guard lines.count == 3, String(decoding: lines[0], as: UTF8.self) == magic else {
            throw SyncError.notABundle(path: path, detail: size == 0 ? "the file is empty" : "it does not begin with a bundle's header")
        }
        let envelopeBytes = Array(lines[1])
        guard let envelope = try? JSONDecoder.sync.decode(Envelope.self, from: Data(envelopeBytes)), envelope.format == 1 else {
            throw SyncError.notABundle(path: path, detail: "its envelope is not readable")
        }
        let signatureLine = String(decoding: lines[2], as: UTF8.self)
        guard signatureLine.hasPrefix("ed25519:"), let signature = Hex.strictBytes(String(signatureLine.dropFirst(8))), signature.count == 64 else {
            throw SyncError.notABundle(path: path, detail: "it has no signature")
        }
        let rest = size - start
        // The envelope is not yet verified here: its lengths are checked
        // against the file before any arithmetic (a forged Int.max must be
        // refused, not overflow).
        guard (0...rest).contains(envelope.payloadBytes), (0...rest).contains(envelope.provenanceBytes),
            rest - envelope.payloadBytes == envelope.provenanceBytes
        else {
            throw SyncError.changedBytes(
                path: path,
                detail:
                    "it holds \(rest) bytes after the envelope, the envelope says \(envelope.payloadBytes) and \(envelope.provenanceBytes): truncated or extended"
            )
        }
        let changeset = try read(start, envelope.payloadBytes)
        let provenance = try read(start + envelope.payloadBytes, envelope.provenanceBytes)
        guard changeset.count == envelope.payloadBytes, provenance.count == envelope.provenanceBytes else {
            throw SyncError.changedBytes(path: path, detail: "the file ended early")
        }
        var whole = SHA256()
        whole.update(data: first[..<start])
        whole.update(data: changeset)
        whole.update(data: provenance)
        return SyncBundle(
            envelope: envelope, envelopeBytes: envelopeBytes, signature: signature, changeset: Changeset(bytes: changeset),
            provenanceBytes: provenance, hash: Hex.lowercase(whole.finalize()))
    }

    /// Checks the signature with the sender's public key, then every byte against the signed hashes.
    func verify(publicKey: String, path: String) throws {
        guard SiteKey.isValid(signature: signature, of: envelopeBytes, publicKey: publicKey) else {
            throw SyncError.badSignature(path: path, sender: envelope.sender)
        }
        guard Hex.lowercase(SHA256.hash(data: changeset.bytes)).sameBytes(as: envelope.payloadSha256) else {
            throw SyncError.changedBytes(path: path, detail: "the changes do not match their signed SHA-256")
        }
        guard Hex.lowercase(SHA256.hash(data: provenanceBytes)).sameBytes(as: envelope.provenanceSha256) else {
            throw SyncError.changedBytes(path: path, detail: "the provenance does not match its signed SHA-256")
        }
    }

    func provenance() throws -> Provenance {
        try Provenance(decoding: provenanceBytes)
    }
}

extension JSONEncoder {
    /// Bundles' JSON: snake_case keys, sorted, no escaped slashes.
    static var sync: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JSONDecoder {
    static var sync: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
