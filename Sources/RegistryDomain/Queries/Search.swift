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
                rows = try db.rows(
                    """
                    SELECT t.\(key) AS key, t.name, t.notes FROM \(index) JOIN \(table) AS t ON t.rowid = \(index).rowid
                    WHERE \(index) MATCH ?1 ORDER BY bm25(\(index), 10.0, 5.0, 1.0), t.\(key) LIMIT ?2
                    """, [.text(term.matchExpression), .integer(Int64(limit))])
            } else {
                let forms = term.forms + Array(repeating: term.forms[0], count: 2 - term.forms.count)
                rows = try db.rows(
                    """
                    SELECT \(key) AS key, name, notes FROM \(table)
                    WHERE instr(upper(\(key)), upper(?1)) > 0 OR instr(name, ?1) > 0 OR instr(coalesce(notes, ''), ?1) > 0
                       OR instr(upper(\(key)), upper(?2)) > 0 OR instr(name, ?2) > 0 OR instr(coalesce(notes, ''), ?2) > 0
                    ORDER BY upper(\(key)) = upper(?1) DESC, instr(name, ?1) = 0, instr(name, ?1), length(name), \(key) LIMIT ?3
                    """, [.text(forms[0]), .text(forms[1]), .integer(Int64(limit))])
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

    /// `check`'s comparison of each search index with its table (FTS5's
    /// integrity-check): the messages of the indexes that differ. It needs a
    /// connection that may write (FTS5 runs the check as an INSERT; nothing
    /// is written and the transaction is rolled back), so a read-only file
    /// is reported as not checked.
    public func checkSearchIndexes() throws -> [String] {
        let checker: Database
        do {
            checker = try Database(path: path, mode: .readWrite, busyTimeoutMilliseconds: Self.busyTimeoutMilliseconds, walJournal: false)
        } catch {
            return ["search indexes not checked: the file cannot be opened for writing"]
        }
        var problems: [String] = []
        for kind in SearchKind.allCases {
            let index = kind.table.index
            do {
                try checker.executeScript("BEGIN")
                defer { try? checker.executeScript("ROLLBACK") }
                try checker.executeScript("INSERT INTO \(index) (\(index), rank) VALUES ('integrity-check', 1)")
            } catch let error as SQLiteError {
                problems.append("search index \(index) does not match table \(kind.table.name) (\(error.message)); rebuild it with the search index rebuild")
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

    private static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first! : scalar
    }
}
