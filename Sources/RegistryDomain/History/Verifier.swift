import RegistryStorage

/// One thing `verify` found wrong, precise enough to act on.
public struct VerifyFailure: Sendable, Equatable, CustomStringConvertible {
    public enum Check: String, Sendable {
        /// An entry's hash does not recompute, or entries are missing.
        case chain
        /// A row differs from what replaying the log gives.
        case data
        /// A table, index or trigger differs from what the migrations made.
        case schema
        /// The log no longer contains a published head.
        case anchor
    }

    public let check: Check
    public let message: String

    public var description: String { "\(check.rawValue): \(message)" }
}

/// What `verify` checked and found.
public struct VerifyReport: Sendable {
    public let head: LogHead
    public let entries: Int
    public let tables: Int
    public let rows: Int
    public let schemaObjects: Int
    public let failures: [VerifyFailure]
    /// Failures found beyond those kept in `failures`.
    public let failuresNotShown: Int

    public var isIntact: Bool { failures.isEmpty }
}

/// Proves (or disproves) that the registry's rows are exactly what its change
/// history says, that the history is unbroken, and that the schema is the
/// migrations' own. See README, "Change history and tamper evidence".
struct Verifier {
    let db: Database
    /// At most this many failures are described; the rest are counted.
    var failureLimit = 200

    private final class Findings {
        var failures: [VerifyFailure] = []
        var notShown = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func add(_ check: VerifyFailure.Check, _ message: String) {
            if failures.count < limit { failures.append(VerifyFailure(check: check, message: message)) } else { notShown += 1 }
        }
    }

    /// Runs every check; reads only. The caller gives one snapshot (a read transaction).
    func run(anchor: LogHead?) throws -> VerifyReport {
        let findings = Findings(limit: failureLimit)
        let (objects, present) = try checkSchema(findings)
        var replay = Replay()
        var head = LogHead.genesis
        var entries = 0
        if present.contains("change_log") {
            (head, entries) = try checkChain(findings, replay: &replay)
        }
        var rows = 0
        var tables = 0
        for table in RecordedTables.all where present.contains(table.name) {
            rows += try checkRows(of: table, against: &replay, findings)
            tables += 1
        }
        for (key, state) in replay.remaining() {
            let (table, rowKey) = Replay.split(key)
            findings.add(.data, "\(table) \(CanonicalJSON.keyText(rowKey)): deleted outside registry: entry \(state.seq) of the log holds it, the table does not")
        }
        if let anchor, present.contains("change_log") {
            try checkAnchor(anchor, head: head, findings)
        }
        return VerifyReport(head: head, entries: entries, tables: tables, rows: rows, schemaObjects: objects,
                            failures: findings.failures, failuresNotShown: findings.notShown)
    }

    // MARK: Schema

    /// Compares every table, index and trigger with those the migrations make
    /// in an empty in-memory database. Returns how many objects were compared
    /// and the names of the tables present.
    private func checkSchema(_ findings: Findings) throws -> (Int, Set<String>) {
        let reference = try Database(path: ":memory:", mode: .create)
        _ = try Registry.migrator.migrate(reference)
        let expected = try Self.schema(of: reference)
        let found = try Self.schema(of: db)
        for (name, object) in expected.sorted(by: { $0.key < $1.key }) {
            guard let actual = found[name] else {
                findings.add(.schema, "\(object.type) \(name) is missing (the migrations create it; it was dropped)")
                continue
            }
            if actual != object {
                let (expectedPart, foundPart) = Self.difference(object.sql, actual.sql)
                findings.add(.schema, "\(object.type) \(name) differs from what the migrations made: expected \(expectedPart); found \(foundPart)")
            }
        }
        for (name, object) in found.sorted(by: { $0.key < $1.key }) where expected[name] == nil {
            findings.add(.schema, "\(object.type) \(name) is not made by any migration: \(Self.oneLine(object.sql))")
        }
        let tables = Set(found.filter { $0.value.type == "table" && expected[$0.key]?.type == "table" }.keys)
        return (expected.count, tables)
    }

    private struct SchemaObject: Equatable {
        let type: String
        let table: String
        let sql: String
    }

    private static func schema(of db: Database) throws -> [String: SchemaObject] {
        var objects: [String: SchemaObject] = [:]
        try db.forEachRow("SELECT type, name, tbl_name, coalesce(sql, '') AS sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'") { row in
            objects[try row.get("name")] = SchemaObject(type: try row.get("type"), table: try row.get("tbl_name"), sql: try row.get("sql"))
        }
        return objects
    }

    /// The two texts from a little before where they first differ, so that
    /// the change is visible even in a long CREATE TABLE.
    private static func difference(_ expected: String, _ found: String) -> (String, String) {
        let left = Array(oneLine(expected, limit: .max))
        let right = Array(oneLine(found, limit: .max))
        var common = 0
        while common < min(left.count, right.count) && left[common] == right[common] { common += 1 }
        let start = max(0, common - 40)
        func excerpt(_ text: [Character]) -> String {
            let end = min(text.count, start + 120)
            return (start > 0 ? "…" : "") + String(text[start..<end]) + (end < text.count ? "…" : "")
        }
        return (excerpt(left), excerpt(right))
    }

    private static func oneLine(_ sql: String, limit: Int = 160) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
        let text = words.joined(separator: " ")
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    // MARK: Chain

    /// Walks the log in order: every hash must recompute from the entry and
    /// the previous hash, numbers must run 1, 2, 3 … without gaps, and each
    /// entry's `before` must be the row as the log had left it.
    private func checkChain(_ findings: Findings, replay: inout Replay) throws -> (LogHead, Int) {
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
            let what = "entry \(seq) (\(entry.table) \(entry.keyText), \(entry.at) by \(entry.actor), `\(entry.command)`)"
            if seq != previous.seq + 1 {
                let missing = seq - previous.seq - 1
                findings.add(.chain, missing == 1
                    ? "entry \(previous.seq + 1) is missing: the log goes from \(previous.seq) to \(seq) (an entry was deleted)"
                    : "entries \(previous.seq + 1)–\(seq - 1) are missing: the log goes from \(previous.seq) to \(seq) (\(missing) entries were deleted)")
            } else {
                let computed = EntryHash.compute(seq: seq, at: entry.at, actor: entry.actor, command: entry.command, table: entry.table,
                                                 key: entry.key, before: entry.before, after: entry.after, previous: previous.hash)
                if computed != entry.hash {
                    findings.add(.chain, "\(what): the hash does not recompute (stored \(entry.hash.prefix(16))…, computed \(computed.prefix(16))…): the entry, or the one before it, was edited")
                }
            }
            if let problem = replay.apply(entry) {
                findings.add(.chain, "\(what): \(problem)")
            }
            previous = LogHead(seq: seq, hash: entry.hash)
        }
        return (previous, count)
    }

    // MARK: Data

    /// Compares every row of `table` with the row the log leaves for its key.
    private func checkRows(of table: TableSchema, against replay: inout Replay, _ findings: Findings) throws -> Int {
        var count = 0
        try RecordedTables.forEachRow(of: table, in: db) { key, row in
            count += 1
            let shown = "\(table.name) \(CanonicalJSON.keyText(key))"
            guard let state = replay.take(table: table.name, key: key) else {
                findings.add(.data, "\(shown): inserted outside registry: the table has it, the log does not (found \(row))")
                return
            }
            guard state.digest != Replay.digest(row) else { return }
            let logged = try db.scalar("SELECT after FROM change_log WHERE seq = ?", [.integer(state.seq)], as: String.self) ?? "null"
            let differences = try db.rows("""
                SELECT a.key AS column, json_quote(a.value) AS logged, json_quote(b.value) AS found
                FROM json_each(?1) AS a LEFT JOIN json_each(?2) AS b ON b.key = a.key
                WHERE b.key IS NULL OR a.type IS NOT b.type OR a.value IS NOT b.value
                """, [.text(logged), .text(row)]).map { difference in
                "\(try difference.get("column", as: String.self)) \(try difference.get("logged", as: String.self)) → \(try difference.get("found", as: String?.self) ?? "(no column)")"
            }
            let detail = differences.isEmpty ? "expected \(logged), found \(row)" : differences.joined(separator: ", ")
            findings.add(.data, "\(shown): changed outside registry: \(detail) (entry \(state.seq) of the log has the first value)")
        }
        return count
    }

    // MARK: Anchor

    private func checkAnchor(_ anchor: LogHead, head: LogHead, _ findings: Findings) throws {
        guard anchor.seq > 0 else { return }
        guard let hash = try db.scalar("SELECT hash FROM change_log WHERE seq = ?", [.integer(anchor.seq)], as: String.self) else {
            findings.add(.anchor, "the published head \(anchor.seq):\(anchor.hash.prefix(16))… is not in the log, which ends at entry \(head.seq): entries were removed from the end (or the anchor is another registry's)")
            return
        }
        if hash != anchor.hash {
            findings.add(.anchor, "entry \(anchor.seq) has hash \(hash.prefix(16))…, the published head says \(anchor.hash.prefix(16))…: the history up to the anchor was rewritten")
        }
    }
}

/// The rows the log leaves, key by key, while it is read in order: for each
/// (table, key), the entry that last wrote it and a digest of that row's text.
///
/// A digest instead of the text keeps memory to tens of bytes per row; the
/// text is read again, by entry number, only for a row that differs.
struct Replay {
    struct State {
        let seq: Int64
        let digest: Int
    }

    private var rows: [String: State] = [:]

    static func digest(_ text: String) -> Int {
        var hasher = Hasher()
        hasher.combine(text)
        return hasher.finalize()
    }

    private static func key(_ table: String, _ rowKey: String) -> String { table + "\u{1}" + rowKey }

    static func split(_ key: String) -> (String, String) {
        let parts = key.split(separator: "\u{1}", maxSplits: 1)
        return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
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

    func remaining() -> [(String, State)] {
        rows.sorted { $0.value.seq < $1.value.seq }.map { ($0.key, $0.value) }
    }
}
