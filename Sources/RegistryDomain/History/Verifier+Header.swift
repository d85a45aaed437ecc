import RegistryStorage

/// The state of the file outside the tables that `verify` also vouches for:
/// the header fields registry relies on and the migrations' own record.
extension Verifier {
    /// - `application_id`: registry never sets it, so it must be 0.
    /// - `user_version`: 0, or the demo's marker on a file whose log holds
    ///   only the demo's own changes (`registry demo` replaces such a file,
    ///   so the marker on a real registry is an invitation to delete it).
    /// - `schema_migration`: one row per migration of this binary, with its
    ///   name and checksum byte for byte, applied at an ISO time, in order.
    func checkHeader(_ findings: Findings, present: Set<ExactText>) throws {
        let applicationID = try db.scalar("PRAGMA application_id", as: Int64.self) ?? 0
        if applicationID != 0 {
            findings.add(.header, "application_id is \(applicationID); registry never sets it (expected 0)")
        }
        let userVersion = try db.scalar("PRAGMA user_version", as: Int64.self) ?? 0
        if userVersion == DemoDatabase.marker {
            if present.contains(ExactText("change_log")), try !DemoDatabase.logHoldsOnlyDemo(db) {
                findings.add(
                    .header,
                    "user_version is the demo's marker (\(userVersion)), but the log holds changes the demo did not make: the demo would take this registry for its own and replace it"
                )
            }
        } else if userVersion != 0 {
            findings.add(.header, "user_version is \(userVersion); registry sets it only to mark a demo database (\(DemoDatabase.marker)), otherwise it is 0")
        }
        try checkMigrationRecord(findings)
    }

    private func checkMigrationRecord(_ findings: Findings) throws {
        var ours = Dictionary(uniqueKeysWithValues: entities.migrator.migrations.map { ($0.version, $0) })
        var previousTime = ""
        try db.forEachRow("SELECT version, name, checksum, applied_at FROM \(Migrator.historyTable) ORDER BY version") { row in
            let version: Int = try row.get("version")
            let name: String = try row.get("name")
            let checksum: String = try row.get("checksum")
            let appliedAt: String = try row.get("applied_at")
            guard let migration = ours.removeValue(forKey: version) else {
                findings.add(.header, "schema_migration has version \(version) (\(Verifier.visible(name))), which no migration of this program has")
                return
            }
            if !name.sameBytes(as: migration.name) {
                findings.add(.header, "schema_migration version \(version) is named \"\(Verifier.visible(name))\"; the migration is \"\(migration.name)\"")
            }
            if !checksum.sameBytes(as: migration.checksum) {
                findings.add(
                    .header, "schema_migration version \(version) has checksum \(Verifier.visible(checksum)); the migration's is \(migration.checksum)")
            }
            if !Self.isTimestamp(appliedAt) {
                findings.add(
                    .header,
                    "schema_migration version \(version) was applied at \"\(Verifier.visible(appliedAt))\", which is not a UTC time (YYYY-MM-DDTHH:MM:SSZ)")
            } else if appliedAt.utf8.lexicographicallyPrecedes(previousTime.utf8) {
                findings.add(.header, "schema_migration version \(version) was applied at \(appliedAt), before the version ahead of it (\(previousTime))")
            } else {
                previousTime = appliedAt
            }
        }
        for version in ours.keys.sorted() {
            findings.add(.header, "schema_migration has no row for version \(version) (\(ours[version]!.name)), whose tables are here")
        }
    }

    /// `2026-01-05T09:00:00Z`, as `Migrator.utcTimestamp` writes it.
    static func isTimestamp(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 20, bytes[10] == UInt8(ascii: "T"), bytes[19] == UInt8(ascii: "Z"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            ISODate(iso: String(decoding: bytes[0..<10], as: UTF8.self)) != nil
        else { return false }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return false }
        return hour < 24 && minute < 60 && second < 60
    }
}
