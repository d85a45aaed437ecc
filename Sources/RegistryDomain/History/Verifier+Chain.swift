import Foundation
import RegistryStorage

/// Which logs a database holds: `change_log` (migration 0005, closed by
/// 0007) and the compact `change_set` + `change_entry` (0007).
struct LogSources {
    let legacy: Bool
    let compact: Bool
}

extension Verifier {
    /// Walks change_log in order: every hash must recompute from the entry and
    /// the previous hash, and numbers must run 1, 2, 3 … without gaps.
    /// Streams: one entry in memory at a time.
    func checkLegacyChain(_ findings: Findings) throws -> (LogHead, Int) {
        var previous = LogHead.genesis
        var count = 0
        try db.forEachStep("SELECT seq, at, actor, command, table_name, row_key, before, after, hash FROM change_log ORDER BY seq") { step in
            let seq = step.int64(at: 0)
            let entry = ChangeEntry(
                seq: seq, at: step.text(at: 1) ?? "", actor: step.text(at: 2) ?? "", command: step.text(at: 3) ?? "",
                table: step.text(at: 4) ?? "", key: step.text(at: 5) ?? "", before: step.text(at: 6), after: step.text(at: 7),
                hash: step.text(at: 8) ?? ""
            )
            count += 1
            if let gap = Self.gap(from: previous.seq, to: seq) {
                findings.add(.chain, gap)
            } else {
                let computed = EntryHash.compute(
                    seq: seq, at: entry.at, actor: entry.actor, command: entry.command, table: entry.table,
                    key: entry.key, before: entry.before, after: entry.after, previous: previous.hash)
                if !computed.sameBytes(as: entry.hash) {
                    let what = Self.visible("entry \(seq) (\(entry.table) \(entry.keyText), \(entry.at) by \(entry.actor), `\(entry.command)`)")
                    findings.add(
                        .chain,
                        "\(what): the hash does not recompute (stored \(entry.hash.prefix(16))…, computed \(computed.prefix(16))…): the entry, or the one before it, was edited"
                    )
                }
            }
            previous = LogHead(seq: seq, hash: entry.hash)
        }
        return (previous, count)
    }

    /// Walks the compact log in order, its sets alongside: each set's hash
    /// must recompute from its fields, each entry's from its fields, its
    /// set's hash and the previous entry's hash (the first one's previous is
    /// change_log's last), and numbers must continue without gaps. Every set
    /// must have entries, and entries name sets in order. Streams.
    func checkCompactChain(_ findings: Findings, after legacyHead: LogHead) throws -> (LogHead, Int) {
        struct SetFields {
            let id: Int64
            let at: String
            let actor: String
            let command: String
            let hash: [UInt8]
        }
        let sets = try db.prepare("SELECT id, at, actor, command, site, hash FROM change_set ORDER BY id")
        var setWaiting = try sets.step()
        func readSet() -> SetFields {
            let fields = SetFields(
                id: sets.int64(at: 0), at: sets.text(at: 1) ?? "", actor: sets.text(at: 2) ?? "", command: sets.text(at: 3) ?? "",
                hash: Self.bytes(sets.value(at: 5)))
            let computed = EntryHash.set(id: fields.id, at: fields.at, actor: fields.actor, command: fields.command, site: sets.text(at: 4) ?? "")
            if computed != fields.hash {
                findings.add(
                    .chain,
                    "change set \(fields.id) (\(Self.visible(fields.at)) by \(Self.visible(fields.actor)), `\(Self.visible(fields.command))`): the hash does not recompute: the set (who, when, command or site) was edited"
                )
            }
            return fields
        }
        func setWithoutEntries() {
            let fields = readSet()
            findings.add(
                .chain,
                "change set \(fields.id) (\(Self.visible(fields.at)) by \(Self.visible(fields.actor)), `\(Self.visible(fields.command))`) has no entries: they were deleted"
            )
        }

        var current: SetFields?
        var previousSeq = legacyHead.seq
        var previousBytes = EntryHash.hexBytes(legacyHead.hash)
        var count = 0
        try db.forEachStep("SELECT seq, set_id, table_name, row_key, before, after, hash FROM change_entry ORDER BY seq") { step in
            let seq = step.int64(at: 0)
            let setID = step.int64(at: 1)
            if current?.id != setID {
                while setWaiting, sets.int64(at: 0) < setID {
                    setWithoutEntries()
                    setWaiting = try sets.step()
                }
                if setWaiting, sets.int64(at: 0) == setID {
                    current = readSet()
                    setWaiting = try sets.step()
                } else {
                    findings.add(.chain, "entry \(seq) names change set \(setID), which is missing or out of order: the set was deleted or the entry edited")
                    current = SetFields(id: setID, at: "?", actor: "?", command: "?", hash: [])
                }
            }
            let set = current!
            let table = step.text(at: 2) ?? ""
            let key = step.text(at: 3) ?? ""
            let stored = Self.bytes(step.value(at: 6))
            count += 1
            if let gap = Self.gap(from: previousSeq, to: seq) {
                findings.add(.chain, gap)
            } else {
                let computed = EntryHash.entry(
                    seq: seq, setID: setID, setHash: set.hash, table: table, key: key, before: step.text(at: 4), after: step.text(at: 5),
                    previous: previousBytes)
                if computed != stored {
                    let what = Self.visible(
                        "entry \(seq) (\(table) \(CanonicalJSON.keyText(key)), \(set.at) by \(set.actor), `\(set.command)`)")
                    findings.add(
                        .chain,
                        "\(what): the hash does not recompute (stored \(EntryHash.hex(stored).prefix(16))…, computed \(EntryHash.hex(computed).prefix(16))…): the entry, or the one before it, was edited"
                    )
                }
            }
            previousBytes = stored
            previousSeq = seq
        }
        while setWaiting {
            setWithoutEntries()
            setWaiting = try sets.step()
        }
        return (count == 0 ? legacyHead : LogHead(seq: previousSeq, hash: EntryHash.hex(previousBytes)), count)
    }

    /// What is wrong when entry `seq` follows entry `previous`, if anything.
    static func gap(from previous: Int64, to seq: Int64) -> Message? {
        guard seq != previous + 1 else { return nil }
        let missing = seq - previous - 1
        if missing < 0 { return "entry \(seq) follows entry \(previous): the numbers go back (an entry was edited)" }
        return missing == 1
            ? "entry \(previous + 1) is missing: the log goes from \(previous) to \(seq) (an entry was deleted)"
            : "entries \(previous + 1)–\(seq - 1) are missing: the log goes from \(previous) to \(seq) (\(missing) entries were deleted)"
    }

    /// A stored hash's bytes (a BLOB; anything else, written behind registry's back, as its text's bytes).
    static func bytes(_ value: SQLValue) -> [UInt8] {
        switch value {
        case .blob(let data): [UInt8](data)
        case .text(let text): Array(text.utf8)
        default: []
        }
    }

    // MARK: Anchor

    func checkAnchor(_ anchor: LogHead, head: LogHead, sources: LogSources, _ findings: Findings) throws {
        guard anchor.seq > 0 else { return }
        var hash: String?
        if sources.compact, let blob = try db.row("SELECT hash FROM change_entry WHERE seq = ?", [.integer(anchor.seq)]) {
            hash = EntryHash.hex(Self.bytes(blob.values[0]))
        } else if sources.legacy {
            hash = try db.scalar("SELECT hash FROM change_log WHERE seq = ?", [.integer(anchor.seq)], as: String.self)
        }
        guard let hash else {
            findings.add(
                .anchor,
                "the published head \(anchor.seq):\(anchor.hash.prefix(16))… is not in the log, which ends at entry \(head.seq): entries were removed from the end (or the anchor is another registry's)"
            )
            return
        }
        if !hash.sameBytes(as: anchor.hash) {
            findings.add(
                .anchor,
                "entry \(anchor.seq) has hash \(hash.prefix(16))…, the published head says \(anchor.hash.prefix(16))…: the history up to the anchor was rewritten"
            )
        }
    }
}
