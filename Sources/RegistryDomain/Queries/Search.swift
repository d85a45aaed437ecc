import RegistryStorage

/// What `registry search` looks through.
public enum SearchKind: String, CaseIterable, Sendable {
    case project, enterprise, park

    public var chineseName: String {
        switch self {
        case .project: "项目"
        case .enterprise: "企业"
        case .park: "园区"
        }
    }

    /// The table, its key column, and the FTS5 index of migration 0012.
    var table: (name: String, key: String, index: String) {
        switch self {
        case .project: ("project", "code", "project_search")
        case .enterprise: ("enterprise", "uscc", "enterprise_search")
        case .park: ("park", "code", "park_search")
        }
    }
}

/// One record found, with the part that matched marked.
public struct SearchHit: Sendable, Equatable {
    public let kind: SearchKind
    public let key: String
    public let name: String
    /// Which field matched: `code` (or `uscc`), `name` or `notes`.
    public let field: String
    /// That field's text with each match between 【 and 】.
    public let marked: String
}

/// A search term as registry reads it: NFKC (full-width letters and digits
/// are the half-width ones), trimmed, 1 to 100 characters. Three characters
/// and more use the trigram index; one or two scan the tables.
public struct SearchTerm: Sendable {
    /// The forms to look for: the folded one, and the one typed when it differs.
    public let forms: [String]

    public init(_ text: String) throws {
        let folded = TextNormalization.compatibilityFolded(text).trimmingWhitespace()
        let typed = text.trimmingWhitespace()
        guard !folded.isEmpty else { throw InvalidValue(field: "search", value: text, reason: "must not be empty") }
        guard folded.unicodeScalars.count <= 100 else {
            throw InvalidValue(field: "search", value: FieldText.shown(folded), reason: "is too long: at most 100 characters")
        }
        forms = typed.sameBytes(as: folded) || typed.isEmpty ? [folded] : [folded, typed]
    }

    /// Whether the trigram index can answer: every form three characters or more.
    var usesIndex: Bool { forms.allSatisfy { $0.unicodeScalars.count >= 3 } }

    /// The scan for a short term, `form` bound as `?parameter`: the key in
    /// any case (upper-casing only when the term has letters to case, as it
    /// costs a call per row), the name and the notes as stored.
    static func scanCondition(key: String, name: String, notes: String, form: String, parameter: Int) -> String {
        let hasLetters = form.utf8.contains { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
        let keyMatch = hasLetters ? "instr(upper(\(key)), upper(?\(parameter))) > 0" : "instr(\(key), ?\(parameter)) > 0"
        return "(\(keyMatch) OR instr(\(name), ?\(parameter)) > 0 OR instr(\(notes), ?\(parameter)) > 0)"
    }

    /// The FTS5 query: each form as a phrase (quotes doubled), any of them.
    var matchExpression: String {
        forms.map { "\"" + $0.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" }.joined(separator: " OR ")
    }
}

extension Registry {
    /// Records whose code, name or notes contain `text`: projects, then
    /// enterprises, then parks, each ranked (index: BM25 with the code
    /// weighted over the name over the notes; scan: exact code first, then
    /// by where the name matches), at most `limit` of each kind.
    public func search(_ text: String, kinds: [SearchKind] = SearchKind.allCases, limit: Int = 20) throws -> [SearchHit] {
        let term = try SearchTerm(text)
        var hits: [SearchHit] = []
        for kind in kinds {
            let (table, key, index) = kind.table
            let rows: [Row]
            if term.usesIndex {
                // Field by field (the code, then the name, then the notes),
                // each through the index with a column filter, the first
                // `Self.rankedPerField` matches of each ranked in `rankedByName`.
                // A common term matches a tenth of a million projects: BM25
                // over all of them cost 90–140 ms, this costs a few.
                var seen = Set<ExactText>()
                var found: [Row] = []
                for column in [key, "name", "notes"] where found.count < limit {
                    let group = try db.rows(
                        """
                        SELECT t.\(key) AS key, t.name, t.notes FROM (
                            SELECT rowid FROM \(index) WHERE \(index) MATCH ?1 LIMIT ?2
                        ) AS hit JOIN \(table) AS t ON t.rowid = hit.rowid
                        """, [.text("\(column) : (\(term.matchExpression))"), .integer(Int64(max(Self.rankedPerField, limit)))])
                    for row in try Self.rankedByName(group, term: term) where found.count < limit {
                        if seen.insert(ExactText(try row.get("key"))).inserted { found.append(row) }
                    }
                }
                rows = found
            } else {
                let found = term.forms.indices.map { SearchTerm.scanCondition(key: key, name: "name", notes: "notes", form: term.forms[$0], parameter: $0 + 1) }
                rows = try db.rows(
                    """
                    SELECT \(key) AS key, name, notes FROM \(table)
                    WHERE \(found.joined(separator: " OR "))
                    ORDER BY \(key) = ?1 DESC, instr(name, ?1) = 0, instr(name, ?1), length(name), \(key) LIMIT ?\(term.forms.count + 1)
                    """, term.forms.map { .text($0) } + [.integer(Int64(limit))])
            }
            for row in rows {
                let keyText: String = try row.get("key")
                let name: String = try row.get("name")
                let notes: String? = try row.get("notes")
                let fields: [(String, String)] = [(key, keyText), ("name", name), ("notes", notes ?? "")]
                let (field, marked) =
                    fields.lazy.compactMap { field, value in SearchMarking.marked(value, term.forms).map { (field, $0) } }.first
                    ?? ("name", name)
                hits.append(SearchHit(kind: kind, key: keyText, name: name, field: field, marked: marked))
            }
        }
        return hits
    }

    /// How many matches of one field are ranked (and the best `limit` kept).
    static let rankedPerField = 500

    /// Rows ranked as the scan ranks them: where the term stands in the
    /// name (earlier first, absent last), then shorter names, then the key.
    private static func rankedByName(_ rows: [Row], term: SearchTerm) throws -> [Row] {
        let keyed = try rows.map { row -> (Row, Int, Int, String) in
            let name: String = try row.get("name")
            let position = term.forms.compactMap { SearchMarking.firstPosition(of: $0, in: name) }.min() ?? Int.max
            return (row, position, name.unicodeScalars.count, try row.get("key"))
        }
        return keyed.sorted { a, b in
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            return Array(a.3.utf8).lexicographicallyPrecedes(Array(b.3.utf8))
        }.map(\.0)
    }

    /// `check`'s comparison of each search index with its table (FTS5's
    /// integrity-check): the messages of the indexes that differ. It needs a
    /// connection that may write (FTS5 runs the check as an INSERT; nothing
    /// is written and the transaction is rolled back), so a read-only file
    /// is reported as not checked.
    public func checkSearchIndexes() throws -> [Message] {
        let checker: Database
        do {
            checker = try Database(path: path, mode: .readWrite, busyTimeoutMilliseconds: Self.busyTimeoutMilliseconds, walJournal: false)
        } catch {
            return ["search indexes not checked: the file cannot be opened for writing"]
        }
        var problems: [Message] = []
        for kind in SearchKind.allCases {
            let index = kind.table.index
            do {
                try checker.executeScript("BEGIN")
                defer { try? checker.executeScript("ROLLBACK") }
                try checker.executeScript("INSERT INTO \(index) (\(index), rank) VALUES ('integrity-check', 1)")
            } catch let error as SQLiteError {
                problems.append("search index \(index) does not match table \(kind.table.name) (\(error.message)); rebuild the search indexes")
            }
        }
        return problems
    }

    /// Rebuilds the three search indexes from their tables (after `check`
    /// found one edited behind registry's back). Not a change of any record:
    /// nothing is logged.
    public func rebuildSearchIndexes() throws {
        try db.transaction(.immediate) {
            for kind in SearchKind.allCases {
                let index = kind.table.index
                try db.executeScript("INSERT INTO \(index) (\(index)) VALUES ('rebuild')")
            }
        }
    }
}

/// The search indexes' side of a bulk load.
enum SearchIndexes {
    /// Runs `body` (a large import into `table`) with the index's insert
    /// trigger lifted, then indexes the rows it added in one statement and
    /// puts the trigger back as it was, byte for byte, in the same
    /// transaction: 200,000 projects took 8.5 s with the trigger row by row
    /// and 4.6 s without, and indexing them at the end takes 0.5 s. Updates
    /// and deletes during the import still go through their triggers.
    static func deferringInserts<T>(into table: String, db: Database, _ body: () throws -> T) throws -> T {
        guard let kind = SearchKind.allCases.first(where: { $0.table.name.sameBytes(as: table) }) else { return try body() }
        let (name, key, index) = kind.table
        let trigger = "\(index)_insert"
        guard let sql = try db.scalar("SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?", [.text(trigger)], as: String.self) else {
            return try body()
        }
        let before = try db.scalar("SELECT coalesce(max(rowid), 0) FROM \(name)", as: Int64.self) ?? 0
        try db.executeScript("DROP TRIGGER \(trigger)")
        let result: T
        do {
            result = try body()
        } catch {
            // The caller rolls back, which restores it anyway.
            try? db.executeScript(sql)
            throw error
        }
        try db.execute(
            "INSERT INTO \(index) (rowid, \(key), name, notes) SELECT rowid, \(key), name, notes FROM \(name) WHERE rowid > ?", [.integer(before)])
        try db.executeScript(sql)
        return result
    }
}

/// Marks where a term occurs in a text, comparing scalar by scalar with
/// simple lower-casing (as the trigram tokenizer folds case), never by
/// `Character` (a combining mark after the match must not hide it).
enum SearchMarking {
    static func marked(_ text: String, _ forms: [String]) -> String? {
        let scalars = Array(text.unicodeScalars)
        let folded = scalars.map(fold)
        var ranges: [Range<Int>] = []
        for form in forms {
            let needle = form.unicodeScalars.map(fold)
            guard !needle.isEmpty, needle.count <= folded.count else { continue }
            var start = 0
            while start + needle.count <= folded.count {
                if folded[start..<(start + needle.count)].elementsEqual(needle) {
                    ranges.append(start..<(start + needle.count))
                    start += needle.count
                } else {
                    start += 1
                }
            }
        }
        guard !ranges.isEmpty else { return nil }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        var out = String.UnicodeScalarView()
        var position = 0
        for range in ranges where range.lowerBound >= position {
            out.append(contentsOf: scalars[position..<range.lowerBound])
            out.append(contentsOf: "【".unicodeScalars)
            out.append(contentsOf: scalars[range])
            out.append(contentsOf: "】".unicodeScalars)
            position = range.upperBound
        }
        out.append(contentsOf: scalars[position...])
        return String(out)
    }

    /// Where `form` first stands in `text`, in scalars (case folded), or nil.
    static func firstPosition(of form: String, in text: String) -> Int? {
        let haystack = text.unicodeScalars.map(fold)
        let needle = form.unicodeScalars.map(fold)
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        return nil
    }

    private static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : scalar
    }
}
