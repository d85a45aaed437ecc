import RegistryStorage

/// Conditions on change-log entries, written once for both logs: `change_log`
/// (alias `e` for everything) and `change_entry` (alias `e`) joined with its
/// `change_set` (alias `s`: when, who, what command).
struct ChangeQuery {
    /// The aliases a condition uses, and numbered parameters (`?1`, `?2` …)
    /// so that the same arguments serve both logs.
    final class Columns {
        let entry = "e"
        let set: String
        private var counter = 0

        init(set: String) { self.set = set }

        func next() -> String {
            counter += 1
            return "?\(counter)"
        }
    }

    private var conditions: [(Columns) -> String] = []
    var arguments: [SQLValue] = []

    mutating func add(_ condition: @escaping (Columns) -> String) {
        conditions.append(condition)
    }

    func whereClause(compact: Bool) -> String {
        let columns = Columns(set: compact ? "s" : "e")
        let parts = conditions.map { $0(columns) }
        return parts.isEmpty ? "" : "WHERE " + parts.joined(separator: " AND ")
    }
}

/// Reads entries of both logs as `LoggedChange`s, oldest first, streaming:
/// change_log's entries (all older) and then the compact log's.
struct ChangeReader {
    let db: Database
    let entities: EntitySet

    private static let legacySelect =
        "SELECT e.seq, e.at, e.actor, e.command, NULL, e.table_name, e.row_key, e.before, e.after, e.hash FROM change_log AS e"
    private static let compactSelect = """
        SELECT e.seq, s.at, s.actor, s.command, s.site, e.table_name, e.row_key, e.before, e.after, lower(hex(e.hash))
        FROM change_entry AS e JOIN change_set AS s ON s.id = e.set_id
        """

    /// With a limit, the newest `limit` entries (like `tail`), still oldest first.
    func forEach(_ query: ChangeQuery, limit: Int?, _ body: (LoggedChange) throws -> Void) throws {
        let compact = try ChangeLog.isCompact(db)
        let sources: [(select: String, compact: Bool)] =
            [(Self.legacySelect, false)] + (compact ? [(Self.compactSelect, true)] : [])
        guard let limit else {
            for source in sources {
                try db.forEachStep("\(source.select) \(query.whereClause(compact: source.compact)) ORDER BY e.seq", query.arguments) { step in
                    try body(change(step, compact: source.compact))
                }
            }
            return
        }
        var newest: [LoggedChange] = []
        for source in sources.reversed() where newest.count < limit {
            try db.forEachStep(
                "\(source.select) \(query.whereClause(compact: source.compact)) ORDER BY e.seq DESC LIMIT \(max(0, limit - newest.count))",
                query.arguments
            ) { step in
                newest.append(change(step, compact: source.compact))
            }
        }
        for change in newest.reversed() { try body(change) }
    }

    private func change(_ step: Statement, compact: Bool) -> LoggedChange {
        let table = step.text(at: 5) ?? ""
        var before = step.text(at: 7)
        var after = step.text(at: 8)
        let columns = entities.table(named: table)?.columns
        if compact, let columns {
            // An insert's or a delete's row is stored as an array: shown as an object, like an update's columns.
            if before == nil, let row = after { after = Self.object(columns: columns, array: row) ?? row }
            if after == nil, let row = before { before = Self.object(columns: columns, array: row) ?? row }
        }
        let entry = ChangeEntry(
            seq: step.int64(at: 0), at: step.text(at: 1) ?? "", actor: step.text(at: 2) ?? "", command: step.text(at: 3) ?? "",
            table: table, key: step.text(at: 6) ?? "", before: before, after: after, hash: step.text(at: 9) ?? "",
            site: step.text(at: 4))
        return LoggedChange(entry: entry, differences: Self.differences(before: before, after: after))
    }

    /// `{"code":…,"name":…}` from a row's JSON array and its table's columns.
    static func object(columns: [String], array: String) -> String? {
        guard let values = FlatJSON.array(array), values.count == columns.count else { return nil }
        var out = "{"
        for (index, column) in columns.enumerated() {
            if index > 0 { out += "," }
            out += JSON.string(column) + ":" + values[index]
        }
        return out + "}"
    }

    /// For an update, the columns whose value changed; for an insert or a
    /// delete, every column that is not null. Values are JSON texts.
    static func differences(before: String?, after: String?) -> [LoggedChange.Difference] {
        let old = before.flatMap(FlatJSON.object) ?? []
        let new = after.flatMap(FlatJSON.object) ?? []
        if before == nil || after == nil {
            return (before == nil ? new : old).filter { $0.value != "null" }.map { member in
                LoggedChange.Difference(column: member.key, before: before == nil ? nil : member.value, after: after == nil ? nil : member.value)
            }
        }
        var differences: [LoggedChange.Difference] = []
        for member in old {
            let newValue = new.first { $0.key.sameBytes(as: member.key) }?.value
            if newValue.map({ !$0.sameBytes(as: member.value) }) ?? true {
                differences.append(LoggedChange.Difference(column: member.key, before: member.value, after: newValue))
            }
        }
        for member in new where !old.contains(where: { $0.key.sameBytes(as: member.key) }) {
            differences.append(LoggedChange.Difference(column: member.key, before: nil, after: member.value))
        }
        return differences
    }
}
