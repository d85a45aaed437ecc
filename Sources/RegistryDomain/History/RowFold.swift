import RegistryStorage

/// One row as the change log leaves it, built entry by entry in the order
/// they were written: the state `verify` compares with the table's row.
///
/// The state is kept as the log's own text while it can be (an insert's
/// JSON array, an old entry's JSON object), so that the usual row, written
/// once and never changed, is compared as one string of bytes; it is split
/// into column values only when an update arrives or a comparison fails.
/// Every comparison is of UTF-8 bytes.
struct RowFold {
    let table: TableSchema
    private(set) var state: State = .absent
    /// The entry that left `state`.
    private(set) var lastSeq: Int64 = 0

    enum State {
        case absent
        /// A compact insert's whole row (a JSON array in column order).
        case array(String)
        /// An entry of change_log (0005): the whole row as a JSON object.
        case object(String)
        /// Column by column, each value's JSON text (nil: the log gave none).
        case columns([String?])
    }

    init(table: TableSchema) {
        self.table = table
    }

    var exists: Bool {
        if case .absent = state { return false }
        return true
    }

    /// Applies one entry; returns what is inconsistent about it, if anything.
    /// The state follows the entry even then, so that one bad entry is
    /// reported once and not again for every entry after it.
    mutating func apply(seq: Int64, before: String?, after: String?, compact: Bool) -> Message? {
        defer { lastSeq = seq }
        var problem: Message?
        switch (before, after) {
        case (nil, let after?):
            if exists { problem = "inserts a row that entry \(lastSeq) already holds" }
            state = compact ? .array(after) : .object(after)
        case (let before?, let after?) where compact:
            guard exists else {
                problem = "changes a row that the log does not hold"
                state = .absent
                return problem
            }
            guard let old = FlatJSON.object(before), let new = FlatJSON.object(after), var values = columns() else {
                return "its change is not JSON that registry writes"
            }
            for (column, value) in old {
                guard let index = index(of: column) else { return "names a column the table does not have: \(column)" }
                if problem == nil, !values[index].sameBytes(as: value) {
                    problem = "its value before the change (\(column): \(value)) is not the one entry \(lastSeq) left (\(values[index] ?? "none"))"
                }
            }
            for (column, value) in new {
                guard let index = index(of: column) else { return "names a column the table does not have: \(column)" }
                values[index] = value
            }
            state = .columns(values)
        case (let before?, let after):
            if !exists {
                problem = "changes a row that the log does not hold"
            } else if !same(asRow: before, isArray: compact) {
                problem = "its row before the change is not the row entry \(lastSeq) left"
            }
            if let after {
                state = .object(after)
            } else {
                state = .absent
            }
        case (nil, nil):
            problem = "has neither a row before nor a row after"
        }
        return problem
    }

    /// Whether the live row (its values in column order) is the row the log leaves.
    func matches(_ values: [SQLValue]) -> Bool {
        switch state {
        case .absent: return false
        case .array(let text): return text.sameBytes(as: CanonicalJSON.array(values))
        case .object(let text): return text.sameBytes(as: CanonicalJSON.object(columns: table.columns, values: values))
        case .columns(let logged):
            return logged.count == values.count && zip(logged, values).allSatisfy { logged, value in logged.sameBytes(as: CanonicalJSON.value(value)) }
        }
    }

    /// Where the live row differs from the log's: `column logged → found`, or
    /// the two whole rows when the log's cannot be read column by column.
    func differences(from values: [SQLValue]) -> String {
        guard let logged = columns() else {
            return "expected \(text), found \(CanonicalJSON.object(columns: table.columns, values: values))"
        }
        var parts: [String] = []
        for (index, column) in table.columns.enumerated() {
            let found = CanonicalJSON.value(values[index])
            if !logged[index].sameBytes(as: found) { parts.append("\(column) \(logged[index] ?? "(none)") → \(found)") }
        }
        return parts.joined(separator: ", ")
    }

    /// The state as text, for a message.
    var text: String {
        switch state {
        case .absent: "(no row)"
        case .array(let text), .object(let text): text
        case .columns(let values): "[" + values.map { $0 ?? "?" }.joined(separator: ",") + "]"
        }
    }

    /// The state column by column; nil when its text is not JSON that registry writes.
    func columns() -> [String?]? {
        switch state {
        case .absent: return nil
        case .columns(let values): return values
        case .array(let text): return Self.columns(ofArray: text, count: table.columns.count)
        case .object(let text): return columns(ofObject: text)
        }
    }

    private func same(asRow text: String, isArray: Bool) -> Bool {
        switch state {
        case .array(let mine) where isArray: if mine.sameBytes(as: text) { return true }
        case .object(let mine) where !isArray: if mine.sameBytes(as: text) { return true }
        default: break
        }
        guard let mine = columns(), let theirs = isArray ? Self.columns(ofArray: text, count: table.columns.count) : columns(ofObject: text) else {
            return false
        }
        return zip(mine, theirs).allSatisfy { $0.sameBytes(as: $1) }
    }

    private static func columns(ofArray text: String, count: Int) -> [String?]? {
        guard let values = FlatJSON.array(text), values.count == count else { return nil }
        return values
    }

    private func columns(ofObject text: String) -> [String?]? {
        guard let members = FlatJSON.object(text) else { return nil }
        var values = [String?](repeating: nil, count: table.columns.count)
        for (column, value) in members {
            guard let index = index(of: column) else { return nil }
            values[index] = value
        }
        return values
    }

    private func index(of column: String) -> Int? {
        table.columns.firstIndex { $0.sameBytes(as: column) }
    }
}
