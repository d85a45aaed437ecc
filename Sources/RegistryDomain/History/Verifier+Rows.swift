import RegistryStorage

extension Verifier {
    /// Compares every row of `table` with the row the log leaves for its key,
    /// as a merge of two streams in the same order: the log's entries for the
    /// table by key (the `(table_name, row_key)` indexes) and then by entry
    /// number, and the table's rows by the same key text (`json_array` of the
    /// primary key, which is what the log stores; SQLite sorts it, spilling to
    /// disk when large). Memory holds one key's entries at a time, however
    /// large the registry. Keys are compared as bytes, as SQLite orders them.
    func checkRows(of table: TableSchema, sources: LogSources, _ findings: Findings) throws -> Int {
        var parts: [String] = []
        if sources.legacy { parts.append("SELECT row_key, seq, before, after, 0 FROM change_log WHERE table_name = ?1") }
        if sources.compact { parts.append("SELECT row_key, seq, before, after, 1 FROM change_entry WHERE table_name = ?1") }
        if parts.isEmpty { parts.append("SELECT '', 0, NULL, NULL, 0 WHERE 0") }
        let log = try db.prepare(parts.joined(separator: " UNION ALL ") + " ORDER BY 1, 2")
        try log.bind([.text(table.name)])
        let live = try db.prepare(
            "SELECT json_array(\(table.primaryKey.joined(separator: ", "))), \(table.columns.joined(separator: ", ")) FROM \(table.name) ORDER BY 1")

        var logWaiting = try log.step()
        /// The next key's entries, folded.
        func nextLogged() throws -> (key: String, fold: RowFold)? {
            guard logWaiting else { return nil }
            let key = log.text(at: 0) ?? ""
            var fold = RowFold(table: table)
            while logWaiting, (log.text(at: 0) ?? "").sameBytes(as: key) {
                let seq = log.int64(at: 1)
                if let problem = fold.apply(seq: seq, before: log.text(at: 2), after: log.text(at: 3), compact: log.int64(at: 4) == 1) {
                    findings.add(.chain, "entry \(seq) (\(table.name) \(Self.visible(CanonicalJSON.keyText(key)))): \(problem)")
                }
                logWaiting = try log.step()
            }
            return (key, fold)
        }

        let columnCount = table.columns.count
        var logged = try nextLogged()
        var liveWaiting = try live.step()
        var count = 0
        while liveWaiting || logged != nil {
            let liveKey = liveWaiting ? live.text(at: 0) ?? "" : nil
            if let entry = logged, liveKey.map({ entry.key.utf8.lexicographicallyPrecedes($0.utf8) }) ?? true {
                if entry.fold.exists {
                    findings.add(
                        .data,
                        "\(table.name) \(Self.visible(CanonicalJSON.keyText(entry.key))): deleted outside registry: entry \(entry.fold.lastSeq) of the log holds it, the table does not"
                    )
                }
                logged = try nextLogged()
                continue
            }
            guard let liveKey else { break }
            count += 1
            let values = (1...columnCount).map { live.value(at: Int32($0)) }
            // Made only for a finding: most rows have none.
            var shown: String { "\(table.name) \(Self.visible(CanonicalJSON.keyText(liveKey)))" }
            if let entry = logged, entry.key.sameBytes(as: liveKey) {
                if !entry.fold.exists {
                    findings.add(
                        .data,
                        "\(shown): inserted outside registry: entry \(entry.fold.lastSeq) of the log deleted it, the table has it (found \(Self.visible(CanonicalJSON.object(columns: table.columns, values: values))))"
                    )
                } else if !entry.fold.matches(values) {
                    findings.add(
                        .data,
                        "\(shown): changed outside registry: \(Self.visible(entry.fold.differences(from: values))) (entry \(entry.fold.lastSeq) of the log has the first value)"
                    )
                }
                logged = try nextLogged()
            } else {
                findings.add(
                    .data,
                    "\(shown): inserted outside registry: the table has it, the log does not (found \(Self.visible(CanonicalJSON.object(columns: table.columns, values: values))))"
                )
            }
            liveWaiting = try live.step()
        }
        return count
    }
}
