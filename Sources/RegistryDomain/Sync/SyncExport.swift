import Foundation
import RegistryStorage

/// What `sync export` made.
public struct ExportedBundle: Sendable {
    public let receiver: String
    public let number: Int
    public let fromSeq: Int64
    public let toSeq: Int64
    /// Row changes in the bundle (each row once, with its net change).
    public let changes: Int
    public let bytes: Int
    public let hash: String
    /// How far this site acknowledges the receiver's bundles.
    public let acknowledges: Int64
}

extension Registry {
    /// `sync export`: everything of this site's outbox the receiver has not
    /// been sent yet (or, with `resend`, not yet acknowledged), merged into
    /// one changeset, signed with `key`, handed to `write` as the file's parts.
    ///
    /// The bundle is recorded as sent in the same transaction in which its
    /// file is put in place (written to a temporary file, then renamed), so a
    /// crash leaves either no file and no record, or a file the receiver can
    /// apply; a file whose record was lost is sent again by the next bundle.
    public func exportSync(
        to receiverText: String?, resend: Bool, key: SiteKey, actor: String, write: (_ parts: [[UInt8]]) throws -> Void
    ) throws -> ExportedBundle {
        try self.write(WriteContext(actor: actor, command: "sync export"), capturing: false) { writer in
            let db = writer.db
            let site = try writer.store.site()
            guard site.syncEnabled, let local = try db.row("\(Site.table.selectSQL) WHERE is_local = 1").map(Site.init(row:)) else {
                throw SyncError.notSyncing
            }
            let receiver: String
            if let receiverText {
                receiver = try SiteCode.parse(receiverText, field: "to")
            } else {
                guard !site.isHeadquarters else { throw SyncError.noReceiver }
                receiver = Site.headquarters
            }
            guard let peer = try db.record(Site.self, key: [.text(receiver)]), !peer.isLocal else { throw SyncError.unknownSite(receiver) }
            if let publicKey = local.publicKey, !publicKey.sameBytes(as: key.publicKeyText) {
                throw SyncError.keyUnreadable(path: "(the key given)", detail: "it is not the key registered for this site (\(local.code))")
            }

            let lastSent = try db.row(
                "SELECT number, to_seq, hash FROM sync_sent WHERE receiver = ? ORDER BY number DESC LIMIT 1", [.text(peer.code)])
            let number = (try lastSent?.get("number", as: Int.self) ?? 0) + 1
            let received = try AppliedBundle.last(from: peer.code, in: db)
            var fromSeq = try lastSent?.get("to_seq", as: Int64.self) ?? 0
            if resend {
                fromSeq = try db.scalar("SELECT max(acknowledges) FROM sync_bundle WHERE sender = ?", [.text(peer.code)], as: Int64.self) ?? 0
            }
            // The chain links the bundles that carry changes: an empty one (an
            // acknowledgement only) may be lost without breaking it.
            let previous =
                fromSeq == 0
                ? SyncBundle.noPrevious
                : try db.scalar(
                    "SELECT hash FROM sync_sent WHERE receiver = ? AND to_seq = ? AND from_seq < to_seq ORDER BY number DESC LIMIT 1",
                    [.text(peer.code), .integer(fromSeq)], as: String.self) ?? SyncBundle.noPrevious
            let toSeq = max(fromSeq, try db.scalar("SELECT coalesce(max(seq), 0) FROM sync_outbox", as: Int64.self) ?? 0)

            let (changeset, provenance) = try Self.merge(db, after: fromSeq, upTo: toSeq)
            var changes = 0
            try changeset.forEachChange(keysOnly: true) { _ in changes += 1 }
            let head = try ChangeLog.head(in: db)
            let envelope = SyncBundle.Envelope(
                format: 1, sender: local.code, senderName: local.name, senderRegistry: try RegistryIdentity.read(in: db)?.id ?? "",
                receiver: peer.code, number: number, fromSeq: fromSeq, toSeq: toSeq,
                schemaVersion: entities.migrator.migrations.last?.version ?? 0, senderHead: head.description, previous: previous,
                acknowledges: received?.toSeq ?? 0, createdAt: writer.context.time, changes: changes,
                payloadBytes: 0, payloadSha256: "", provenanceBytes: 0, provenanceSha256: "")
            let bundle = try SyncBundle.make(envelope: envelope, changeset: changeset, provenance: provenance, key: key)
            try db.execute(
                "INSERT INTO sync_sent (receiver, number, from_seq, to_seq, hash, at) VALUES (?, ?, ?, ?, ?, ?)",
                [.text(peer.code), .integer(Int64(number)), .integer(fromSeq), .integer(toSeq), .text(bundle.hash), .text(writer.context.time)])
            try write(bundle.parts)
            return ExportedBundle(
                receiver: peer.code, number: number, fromSeq: fromSeq, toSeq: toSeq, changes: changes, bytes: bundle.parts.reduce(0) { $0 + $1.count },
                hash: bundle.hash, acknowledges: envelope.acknowledges)
        }
    }

    /// The outbox entries after `fromSeq` up to `toSeq` as one changeset, and
    /// who made the last change to each row (for the receiver's conflicts).
    /// A single entry is sent as it is; several go through SQLite's change group.
    static func merge(_ db: Database, after fromSeq: Int64, upTo toSeq: Int64) throws -> (Changeset, SyncBundle.Provenance) {
        var group: ChangeGroup?
        var single: Changeset?
        var sets: [SyncBundle.Provenance.ChangeSet] = []
        var setIndex: [Int64: Int] = [:]
        var lines: [UInt8] = []
        // About a quarter of the changes' bytes; reserved so growing it does not hold two copies.
        let outboxBytes =
            try db.scalar(
                "SELECT coalesce(sum(length(changeset)), 0) FROM sync_outbox WHERE seq > ? AND seq <= ?", [.integer(fromSeq), .integer(toSeq)], as: Int.self)
            ?? 0
        lines.reserveCapacity(outboxBytes / 3)
        let entries = try db.prepare(
            """
            SELECT o.changeset, o.set_id, s.at, s.actor, s.command, o.at
            FROM sync_outbox AS o LEFT JOIN change_set AS s ON s.id = o.set_id
            WHERE o.seq > ? AND o.seq <= ? ORDER BY o.seq
            """)
        try entries.bind([.integer(fromSeq), .integer(toSeq)])
        while try entries.step() {
            let changeset = Changeset(bytes: entries.bytes(at: 0))
            guard !changeset.bytes.isEmpty else { continue }
            if let first = single {
                group = try ChangeGroup()
                try group!.add(first)
                single = nil
            }
            if let group { try group.add(changeset) } else { single = changeset }
            let index: Int
            if case .integer(let id) = entries.value(at: 1) {
                if let known = setIndex[id] {
                    index = known
                } else {
                    index = sets.count
                    setIndex[id] = index
                    sets.append(.init(at: entries.text(at: 2) ?? "", actor: entries.text(at: 3) ?? "", command: entries.text(at: 4) ?? ""))
                }
            } else {
                index = sets.count
                sets.append(.init(at: entries.text(at: 5) ?? "", actor: "registry", command: "baseline (sync switched on)"))
            }
            let suffix = Array("\t\(index)\n".utf8)
            try changeset.forEachChange(keysOnly: true) { change in
                lines += change.table.utf8
                lines.append(0x09)
                lines += CanonicalJSON.array(change.key).utf8
                lines += suffix
            }
        }
        let merged = try group?.output() ?? single ?? Changeset(bytes: [])
        return (merged, SyncBundle.Provenance(sets: sets, lines: lines))
    }
}
