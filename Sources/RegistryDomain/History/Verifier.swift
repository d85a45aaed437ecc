import Crypto
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
        /// SQLite's own check of the file (pages, indexes against their tables).
        case file
        /// The database header (user_version, application_id) or the
        /// migrations' own record differs from what registry writes.
        case header
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
/// migrations' own. See Documentation/Usage.md, "Change history, tamper evidence, year close and backup".
struct Verifier {
    let db: Database
    /// The entities whose tables the log accounts for, and whose migrations made the schema.
    var entities: EntitySet = .builtIn
    /// At most this many failures are described; the rest are counted.
    var failureLimit = 200

    final class Findings {
        var failures: [VerifyFailure] = []
        var notShown = 0
        let limit: Int
        init(limit: Int) { self.limit = limit }
        func add(_ check: VerifyFailure.Check, _ message: String) {
            if failures.count < limit { failures.append(VerifyFailure(check: check, message: message)) } else { notShown += 1 }
        }
    }

    /// Runs every check; reads only. The caller gives one snapshot (a read transaction).
    ///
    /// - parameter integrity: what `PRAGMA integrity_check` already answered
    ///   on this snapshot (`check` runs it first); nil runs it here.
    func run(anchor: LogHead?, integrity: [String]? = nil) throws -> VerifyReport {
        let findings = Findings(limit: failureLimit)
        // First the file itself: an index whose entries no longer match its
        // table (made with writable_schema, say) is invisible to every check
        // below, which read the tables, yet the audit reads through it.
        // quick_check does not compare index content with table content
        // ("does not verify that index content matches table content"), so
        // only the full integrity_check will do.
        for problem in try integrity ?? db.integrityCheck() where problem != "ok" {
            findings.add(.file, "integrity_check: \(problem)")
        }
        let (objects, present) = try checkSchema(findings)
        if present.contains(ExactText(Migrator.historyTable)) {
            try checkHeader(findings, present: present)
        }
        var replay = Replay()
        var head = LogHead.genesis
        var entries = 0
        if present.contains(ExactText("change_log")) {
            (head, entries) = try checkChain(findings, replay: &replay)
        }
        var rows = 0
        var tables = 0
        for table in entities.tables where present.contains(ExactText(table.name)) {
            rows += try checkRows(of: table, against: &replay, findings)
            tables += 1
        }
        for (key, state) in replay.remaining() {
            let (table, rowKey) = Replay.split(key)
            findings.add(
                .data,
                "\(table) \(Self.visible(CanonicalJSON.keyText(rowKey))): deleted outside registry: entry \(state.seq) of the log holds it, the table does not")
        }
        if let anchor, present.contains(ExactText("change_log")) {
            try checkAnchor(anchor, head: head, findings)
        }
        return VerifyReport(
            head: head, entries: entries, tables: tables, rows: rows, schemaObjects: objects,
            failures: findings.failures, failuresNotShown: findings.notShown)
    }

    // MARK: Schema

    /// Compares every row of `sqlite_schema` (tables, indexes, triggers and
    /// views, SQLite's own `sqlite_autoindex_*` among them) with those the
    /// migrations make in an empty in-memory database. Names and SQL are
    /// compared by their UTF-8 bytes. Nothing is skipped by its name: a
    /// trigger called `sqlite_…`, made with `writable_schema`, fires inside
    /// registry's own writes like any other. Registry never runs ANALYZE, so
    /// a `sqlite_stat*` table is foreign too. Returns how many objects were
    /// compared and the names of the tables present.
    private func checkSchema(_ findings: Findings) throws -> (Int, Set<ExactText>) {
        let reference = try Database(path: ":memory:", mode: .create)
        _ = try entities.migrator.migrate(reference)
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
            findings.add(.schema, "\(object.type) \(Self.visible(name.text)) is not made by any migration: \(Self.visible(Self.oneLine(object.sql)))")
        }
        let tables = Set(found.filter { $0.value.type == "table" && expected[$0.key]?.type == "table" }.keys)
        return (expected.count, tables)
    }

    private struct SchemaObject: Equatable {
        let type: String
        let table: String
        let sql: String

        static func == (lhs: SchemaObject, rhs: SchemaObject) -> Bool {
            lhs.type.sameBytes(as: rhs.type) && lhs.table.sameBytes(as: rhs.table) && lhs.sql.sameBytes(as: rhs.sql)
        }
    }

    private static func schema(of db: Database) throws -> [ExactText: SchemaObject] {
        var objects: [ExactText: SchemaObject] = [:]
        try db.forEachRow("SELECT type, name, tbl_name, coalesce(sql, '') AS sql FROM sqlite_schema") { row in
            objects[ExactText(try row.get("name"))] = SchemaObject(type: try row.get("type"), table: try row.get("tbl_name"), sql: try row.get("sql"))
        }
        return objects
    }

    /// Text as a finding shows it: hidden scalars and compatibility forms
    /// escaped, so that a finding cannot hide its subject (`VisibleText`).
    static func visible(_ text: String) -> String {
        VisibleText.of(text, compatibilityForms: true)
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
            let what = Self.visible("entry \(seq) (\(entry.table) \(entry.keyText), \(entry.at) by \(entry.actor), `\(entry.command)`)")
            if seq != previous.seq + 1 {
                let missing = seq - previous.seq - 1
                findings.add(
                    .chain,
                    missing == 1
                        ? "entry \(previous.seq + 1) is missing: the log goes from \(previous.seq) to \(seq) (an entry was deleted)"
                        : "entries \(previous.seq + 1)–\(seq - 1) are missing: the log goes from \(previous.seq) to \(seq) (\(missing) entries were deleted)")
            } else {
                let computed = EntryHash.compute(
                    seq: seq, at: entry.at, actor: entry.actor, command: entry.command, table: entry.table,
                    key: entry.key, before: entry.before, after: entry.after, previous: previous.hash)
                if !computed.sameBytes(as: entry.hash) {
                    findings.add(
                        .chain,
                        "\(what): the hash does not recompute (stored \(entry.hash.prefix(16))…, computed \(computed.prefix(16))…): the entry, or the one before it, was edited"
                    )
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
            let shown = "\(table.name) \(Self.visible(CanonicalJSON.keyText(key)))"
            guard let state = replay.take(table: table.name, key: key) else {
                findings.add(.data, "\(shown): inserted outside registry: the table has it, the log does not (found \(Self.visible(row)))")
                return
            }
            guard state.digest != Replay.digest(row) else { return }
            let logged = try db.scalar("SELECT after FROM change_log WHERE seq = ?", [.integer(state.seq)], as: String.self) ?? "null"
            let differences = try db.rows(
                """
                SELECT a.key AS column, json_quote(a.value) AS logged, json_quote(b.value) AS found
                FROM json_each(?1) AS a LEFT JOIN json_each(?2) AS b ON b.key = a.key
                WHERE b.key IS NULL OR a.type IS NOT b.type OR a.value IS NOT b.value
                """, [.text(logged), .text(row)]
            ).map { difference in
                "\(try difference.get("column", as: String.self)) \(try difference.get("logged", as: String.self)) → \(try difference.get("found", as: String?.self) ?? "(no column)")"
            }
            let detail = Self.visible(differences.isEmpty ? "expected \(logged), found \(row)" : differences.joined(separator: ", "))
            findings.add(.data, "\(shown): changed outside registry: \(detail) (entry \(state.seq) of the log has the first value)")
        }
        return count
    }

    // MARK: Anchor

    private func checkAnchor(_ anchor: LogHead, head: LogHead, _ findings: Findings) throws {
        guard anchor.seq > 0 else { return }
        guard let hash = try db.scalar("SELECT hash FROM change_log WHERE seq = ?", [.integer(anchor.seq)], as: String.self) else {
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
