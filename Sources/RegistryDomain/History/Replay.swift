import Crypto

/// The rows the log leaves, key by key, while it is read in order: for each
/// (table, key), the entry that last wrote it and a digest of that row's text.
///
/// A digest instead of the text keeps memory to tens of bytes per row; the
/// text is read again, by entry number, only for a row that differs. Keys and
/// digests are of the UTF-8 bytes, never of Swift `String`s: two texts that
/// Unicode calls canonically equivalent (`K` and the KELVIN SIGN) are
/// different rows and different values to SQLite, and must be to `verify`.
struct Replay {
    struct State {
        let seq: Int64
        let digest: Digest
    }

    /// The first 16 bytes of the SHA-256 of the text's UTF-8 bytes: a
    /// collision cannot be arranged by whoever writes the rows.
    struct Digest: Hashable {
        let high: UInt64
        let low: UInt64
    }

    private var rows: [[UInt8]: State] = [:]

    static func digest(_ text: String) -> Digest {
        let hash = SHA256.hash(data: Array(text.utf8))
        return hash.withUnsafeBytes { raw in
            Digest(
                high: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                low: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    private static func key(_ table: String, _ rowKey: String) -> [UInt8] {
        Array(table.utf8) + [1] + Array(rowKey.utf8)
    }

    static func split(_ key: [UInt8]) -> (String, String) {
        guard let separator = key.firstIndex(of: 1) else { return (String(decoding: key, as: UTF8.self), "") }
        return (String(decoding: key[..<separator], as: UTF8.self), String(decoding: key[(separator + 1)...], as: UTF8.self))
    }

    /// Applies an entry; returns what is inconsistent about it, if anything.
    mutating func apply(_ entry: ChangeEntry) -> String? {
        let key = Self.key(entry.table, entry.key)
        let current = rows[key]
        var problem: String?
        switch (entry.before, current) {
        case (nil, let current?):
            problem = "inserts a row that entry \(current.seq) already holds"
        case (let before?, nil):
            problem = "changes a row that the log does not hold (\(before.prefix(60))…)"
        case (let before?, let current?) where Self.digest(before) != current.digest:
            problem = "its row before the change is not the row entry \(current.seq) left"
        default:
            break
        }
        if let after = entry.after {
            rows[key] = State(seq: entry.seq, digest: Self.digest(after))
        } else {
            rows[key] = nil
        }
        return problem
    }

    /// The state of one row, removed (so that what remains at the end are rows deleted behind registry's back).
    mutating func take(table: String, key: String) -> State? {
        rows.removeValue(forKey: Self.key(table, key))
    }

    func remaining() -> [([UInt8], State)] {
        rows.sorted { $0.value.seq < $1.value.seq }.map { ($0.key, $0.value) }
    }
}
