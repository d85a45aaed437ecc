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
    public let message: Message

    public var description: String { "\(check.rawValue): \(message.english)" }
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
        func add(_ check: VerifyFailure.Check, _ message: Message) {
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
        let sources = LogSources(
            legacy: present.contains(ExactText("change_log")),
            compact: present.contains(ExactText("change_entry")) && present.contains(ExactText("change_set")))
        var head = LogHead.genesis
        var entries = 0
        if sources.legacy {
            (head, entries) = try checkLegacyChain(findings)
        }
        if sources.compact {
            let (compactHead, compactEntries) = try checkCompactChain(findings, after: head)
            head = compactHead
            entries += compactEntries
        }
        var rows = 0
        var tables = 0
        for table in entities.tables where present.contains(ExactText(table.name)) {
            rows += try checkRows(of: table, sources: sources, findings)
            tables += 1
        }
        if let anchor, sources.legacy || sources.compact {
            try checkAnchor(anchor, head: head, sources: sources, findings)
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
        let reference = try Database(path: ":memory:", mode: .create, walJournal: false)
        // The schema only: the data steps write rows (the baseline, the
        // identity), which this comparison does not look at.
        _ = try entities.migrator.schemaOnly.migrate(reference)
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
}
