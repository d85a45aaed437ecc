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

    /// Who changed each row at the sender: the change sets, and per row the index of the last.
    struct Provenance: Codable {
        struct ChangeSet: Codable {
            var at: String
            var actor: String
            var command: String
        }
        var sets: [ChangeSet]
        /// [table, key JSON, index into sets]
        var rows: [[String]]
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

    /// Builds and signs a bundle.
    static func make(envelope: Envelope, changeset: Changeset, provenance: Provenance, key: SiteKey) throws -> (bytes: [UInt8], hash: String) {
        let provenanceBytes = Array(try JSONEncoder.sync.encode(provenance))
        var envelope = envelope
        envelope.payloadBytes = changeset.bytes.count
        envelope.payloadSha256 = Hex.lowercase(SHA256.hash(data: changeset.bytes))
        envelope.provenanceBytes = provenanceBytes.count
        envelope.provenanceSha256 = Hex.lowercase(SHA256.hash(data: provenanceBytes))
        let envelopeBytes = Array(try JSONEncoder.sync.encode(envelope))
        let signature = try key.sign(envelopeBytes)
        var bytes = Array((magic + "\n").utf8)
        bytes += envelopeBytes
        bytes += Array("\ned25519:\(Hex.lowercase(signature))\n".utf8)
        bytes += changeset.bytes
        bytes += provenanceBytes
        return (bytes, Hex.lowercase(SHA256.hash(data: bytes)))
    }

    /// Reads the file's structure; checks nothing that needs the sender's key.
    static func parse(_ bytes: [UInt8], path: String) throws -> SyncBundle {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var index = 0
        while lines.count < 3, index < bytes.count {
            if bytes[index] == 0x0A {
                lines.append(bytes[start..<index])
                start = index + 1
            }
            index += 1
        }
        guard lines.count == 3, String(decoding: lines[0], as: UTF8.self) == magic else {
            throw SyncError.notABundle(path: path, detail: bytes.isEmpty ? "the file is empty" : "it does not begin with a bundle's header")
        }
        let envelopeBytes = Array(lines[1])
        guard let envelope = try? JSONDecoder.sync.decode(Envelope.self, from: Data(envelopeBytes)), envelope.format == 1 else {
            throw SyncError.notABundle(path: path, detail: "its envelope is not readable")
        }
        let signatureLine = String(decoding: lines[2], as: UTF8.self)
        guard signatureLine.hasPrefix("ed25519:"), let signature = Hex.strictBytes(String(signatureLine.dropFirst(8))), signature.count == 64 else {
            throw SyncError.notABundle(path: path, detail: "it has no signature")
        }
        let payload = bytes[start...]
        guard envelope.payloadBytes >= 0, envelope.provenanceBytes >= 0,
            payload.count == envelope.payloadBytes + envelope.provenanceBytes
        else {
            throw SyncError.changedBytes(
                path: path,
                detail:
                    "it holds \(payload.count) bytes after the envelope, the envelope says \(envelope.payloadBytes + envelope.provenanceBytes): truncated or extended"
            )
        }
        let changesetEnd = payload.startIndex + envelope.payloadBytes
        return SyncBundle(
            envelope: envelope, envelopeBytes: envelopeBytes, signature: signature,
            changeset: Changeset(bytes: Array(payload[payload.startIndex..<changesetEnd])),
            provenanceBytes: Array(payload[changesetEnd...]),
            hash: Hex.lowercase(SHA256.hash(data: bytes)))
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
        try JSONDecoder.sync.decode(Provenance.self, from: Data(provenanceBytes))
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
