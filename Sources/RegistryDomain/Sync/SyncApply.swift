import Foundation
import RegistryStorage

/// What `sync apply` did.
public struct AppliedSync: Sendable {
    public let sender: String
    public let number: Int
    public let fromSeq: Int64
    public let toSeq: Int64
    public let hash: String
    /// True when the bundle (or a later one covering it) was applied before: nothing changed.
    public let alreadyApplied: Bool
    /// Per table: rows inserted, updated, deleted here.
    public let counts: [(table: String, inserted: Int, updated: Int, deleted: Int)]
    /// Rows the bundle brought that were here already, as the bundle has them.
    public let alreadyHere: Int
    /// Conflicts settled by a recorded resolution.
    public let resolved: Int
    /// This site's outbox, as far as the sender has applied it.
    public let acknowledges: Int64
}

extension Registry {
    /// `sync apply`: checks a bundle and applies it, all or nothing.
    ///
    /// In this order: the sender must be registered and the bundle addressed
    /// here; the signature must be the sender's registered key; every byte
    /// must match the signed hashes; the schema version must be this one's; a
    /// bundle applied before is reported and changes nothing; a gap in the
    /// sender's sequence names the missing bundle. Every row is then checked as
    /// the write path checks it (`SyncRowCheck`, closed years, `Ownership`),
    /// the changeset is applied with `sqlite3changeset_apply_v2`, and every row
    /// it changed is appended to this site's change log, with one entry for
    /// the bundle itself (`sync_bundle`). A conflict stops it all
    /// (`SyncError.conflicts`) until it is resolved (`resolveSync`).
    public func applySync(_ bytes: [UInt8], path: String, actor: String) throws -> AppliedSync {
        try applySync(try SyncBundle.parse(bytes, path: path), path: path, actor: actor)
    }

    /// `applySync` of the bundle file at `path`, read a part at a time.
    public func applySync(file path: String, actor: String) throws -> AppliedSync {
        try applySync(try SyncBundle.read(path: path), path: path, actor: actor)
    }

    private func applySync(_ bundle: SyncBundle, path: String, actor: String) throws -> AppliedSync {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let context = WriteContext(actor: actor, command: "sync apply \(name)")
        return try write(context, capturing: false) { writer in
            try SyncApplication(bundle: bundle, path: path, writer: writer).run()
        }
    }

    /// The conflicts a bundle would stop on, without applying it.
    public func syncConflicts(_ bytes: [UInt8], path: String, actor: String) throws -> [SyncConflict] {
        try conflicts(of: try SyncBundle.parse(bytes, path: path), path: path, actor: actor)
    }

    /// Applies the bundle in a transaction that is always rolled back, and returns what it stopped on.
    private func conflicts(of bundle: SyncBundle, path: String, actor: String) throws -> [SyncConflict] {
        struct Trial: Error { let conflicts: [SyncConflict] }
        do {
            _ = try write(WriteContext(actor: actor, command: "sync resolve"), capturing: false) { writer in
                do {
                    _ = try SyncApplication(bundle: bundle, path: path, writer: writer).run()
                } catch SyncError.conflicts(let conflicts) {
                    throw Trial(conflicts: conflicts)
                }
                throw Trial(conflicts: [])
            }
        } catch let trial as Trial {
            return trial.conflicts
        }
        return []
    }

    /// `sync resolve`: records, for each conflict of the bundle (or those of
    /// `rows`, given as `table:key`), which side to keep; the records go
    /// through the write path, so each choice is in the change log. Applying
    /// the bundle then keeps this site's row or takes the sender's, as chosen.
    public func resolveSync(_ bytes: [UInt8], path: String, rows: [String], keep: SyncResolution.Keep, note: String?, actor: String) throws
        -> [SyncConflict]
    {
        let bundle = try SyncBundle.parse(bytes, path: path)
        let conflicts = try conflicts(of: bundle, path: path, actor: actor)
        var chosen = conflicts
        if !rows.isEmpty {
            chosen = try rows.map { wanted in
                guard let match = conflicts.first(where: { "\($0.table):\($0.key)".sameBytes(as: wanted) || "\($0.table):\($0.keyJSON)".sameBytes(as: wanted) })
                else { throw SyncError.nothingToResolve(path: path, row: wanted) }
                return match
            }
        }
        guard !chosen.isEmpty else { throw SyncError.nothingToResolve(path: path, row: nil) }
        let checkedNote = try FieldText.notes(note, field: "note")
        try write(WriteContext(actor: actor, command: "sync resolve \(URL(fileURLWithPath: path).lastPathComponent)"), capturing: false) { writer in
            for conflict in chosen {
                if keep == .sender, conflict.kind == .missingHere {
                    throw SyncError.rowRefused(
                        sender: bundle.envelope.sender, table: conflict.table, key: conflict.key,
                        reason: "was deleted here, so the sender's change cannot be taken over it; keep this site's side, or record the row again")
                }
                try writer.store.insert(
                    SyncResolution(bundleHash: bundle.hash, table: conflict.table, rowKey: conflict.keyJSON, keep: keep, note: checkedNote))
            }
        }
        return chosen
    }
}

/// One bundle being applied, inside the write transaction.
private final class SyncApplication {
    let bundle: SyncBundle
    let path: String
    let writer: RegistryWriter
    var db: Database { writer.db }
    var sender: String { bundle.envelope.sender }

    /// Rows whose incoming change is not applied (here already, or kept here).
    var omitted: Set<ExactText> = []
    /// Rows where the sender's change replaced this site's row: the row before.
    var replaced: [ExactText: [SQLValue?]] = [:]
    var conflicts: [SyncConflict] = []
    var refusal: SyncError?
    var resolutions: [ExactText: SyncResolution.Keep] = [:]
    var alreadyHere = 0
    var resolvedCount = 0
    var site = SiteContext(localCode: "", syncEnabled: false, knownCodes: [])
    var checkedTables: Set<ExactText> = []

    init(bundle: SyncBundle, path: String, writer: RegistryWriter) {
        self.bundle = bundle
        self.path = path
        self.writer = writer
    }

    func run() throws -> AppliedSync {
        let envelope = bundle.envelope
        let site = try writer.store.site()
        guard site.syncEnabled else { throw SyncError.notSyncing }
        guard envelope.receiver.sameBytes(as: site.localCode) else {
            throw SyncError.wrongReceiver(path: path, receiver: envelope.receiver, local: site.localCode)
        }
        guard let peer = try db.record(Site.self, key: [.text(envelope.sender)]), !peer.isLocal else {
            throw SyncError.unknownSender(path: path, sender: envelope.sender)
        }
        guard let publicKey = peer.publicKey else { throw SyncError.senderHasNoKey(path: path, sender: peer.code) }
        try bundle.verify(publicKey: publicKey, path: path)
        let schema = writer.entitiesMigrationVersion
        guard envelope.schemaVersion == schema else {
            throw SyncError.schemaMismatch(path: path, bundle: envelope.schemaVersion, local: schema)
        }
        let last = try AppliedBundle.last(from: sender, in: db)
        let lastSeq = last?.toSeq ?? 0
        if try db.scalar("SELECT count(*) FROM sync_bundle WHERE hash = ?", [.text(bundle.hash)], as: Int.self) == 1
            || (envelope.toSeq < lastSeq) || (envelope.toSeq == lastSeq && envelope.fromSeq < envelope.toSeq)
        {
            return result(alreadyApplied: true, counts: [])
        }
        guard envelope.fromSeq <= lastSeq else {
            throw SyncError.gap(
                path: path, sender: sender, number: envelope.number, fromSeq: envelope.fromSeq, lastNumber: last?.number ?? 0, lastSeq: lastSeq)
        }
        guard envelope.fromSeq == lastSeq else { throw SyncError.overlap(path: path, sender: sender, fromSeq: envelope.fromSeq, lastSeq: lastSeq) }
        // The previous bundle it names, if it is one applied here, must end
        // where this one starts. (One that is not known here may be a bundle
        // sent again or lost on the way: the sequence check above decides.)
        let named = try db.scalar(
            "SELECT to_seq FROM sync_bundle WHERE sender = ? AND hash = ?", [.text(sender), .text(envelope.previous)], as: Int64.self)
        guard named == nil || named == envelope.fromSeq else {
            throw SyncError.chainBroken(path: path, sender: sender, number: envelope.number)
        }

        resolutions = try SyncResolution.all(for: bundle.hash, in: db)
        self.site = site
        do {
            try db.apply(bundle.changeset, tables: acceptsTable, onConflict: answer)
        } catch {
            // An abort answer makes SQLite return an error; the reason is ours.
            throw refusal ?? error
        }
        if let refusal { throw refusal }
        guard conflicts.isEmpty else { throw SyncError.conflicts(try withProvenance(conflicts)) }
        let counts = try checkAndLog()
        let total = counts.reduce(0) { $0 + $1.inserted + $1.updated + $1.deleted }
        try writer.store.insert(
            AppliedBundle(
                sender: sender, number: envelope.number, fromSeq: envelope.fromSeq, toSeq: envelope.toSeq, hash: bundle.hash,
                senderHead: envelope.senderHead, acknowledges: envelope.acknowledges, changes: total, appliedAt: writer.context.time))
        return result(alreadyApplied: false, counts: counts)
    }

    func result(alreadyApplied: Bool, counts: [(table: String, inserted: Int, updated: Int, deleted: Int)]) -> AppliedSync {
        let envelope = bundle.envelope
        return AppliedSync(
            sender: envelope.sender, number: envelope.number, fromSeq: envelope.fromSeq, toSeq: envelope.toSeq, hash: bundle.hash,
            alreadyApplied: alreadyApplied, counts: counts, alreadyHere: alreadyHere, resolved: resolvedCount, acknowledges: envelope.acknowledges)
    }

    // MARK: Checks

    /// Whether the changes to `table` are applied: only a table bundles
    /// carry; any other (the change log, the outbox, a site's own records)
    /// refuses the whole bundle.
    func acceptsTable(_ name: String) -> Bool {
        guard Ownership.syncedTable(named: name) != nil else {
            if refusal == nil { refusal = .rowRefused(sender: sender, table: name, key: "", reason: "is not a table that bundles carry") }
            return false
        }
        return true
    }

    /// The table's columns here are this build's, in its order (what the
    /// change log's entries assume); checked once per table.
    func checkColumns(_ table: TableSchema, _ change: Changeset.Change) throws {
        guard !checkedTables.contains(ExactText(table.name)) else { return }
        let names = try db.rows("SELECT name FROM pragma_table_info(?)", [.text(table.name)]).map { try $0.get("name", as: String.self) }
        guard names.count == change.primaryKey.count, names == table.columns else {
            throw SyncError.rowRefused(sender: sender, table: table.name, key: "", reason: "has other columns here")
        }
        checkedTables.insert(ExactText(table.name))
    }

    /// Each row as applied: owned by the sender, valid as the write path
    /// validates (`SyncRowCheck`), in an open year. In the apply's
    /// transaction, after `sqlite3changeset_apply_v2` and in the same pass
    /// as its log entry, so each row is decoded once; a refusal rolls it all back.
    func check(_ change: Changeset.Change, _ table: TableSchema, key: [SQLValue], before: [SQLValue]?, after: [SQLValue]?) throws {
        // The key's text only when something is refused (this runs for every row).
        func refuse(_ reason: String) -> SyncError {
            .rowRefused(sender: sender, table: table.name, key: CanonicalJSON.keyText(values: key), reason: reason)
        }
        if let reason = try Ownership.refusal(change, table: table, key: key, sender: sender, site: site, db: db) { throw refuse(reason) }
        do {
            if let before { try writer.store.checkOpen(try SyncRowCheck.check(table, before), what: "\(table.name) \(CanonicalJSON.keyText(values: key))") }
            if let after { try writer.store.checkOpen(try SyncRowCheck.check(table, after), what: "\(table.name) \(CanonicalJSON.keyText(values: key))") }
        } catch let error as InvalidValue {
            throw refuse(error.description)
        } catch let errors as InvalidValues {
            throw refuse(errors.description)
        } catch let error as UnexpectedStoredValue {
            throw refuse("\(error)")
        }
    }

    // MARK: The conflict handler

    func answer(_ conflict: ChangesetConflict) -> ChangesetConflict.Answer {
        guard let change = conflict.change else {
            // Foreign keys: name the rows that refer to nothing, then abort.
            refusal = .danglingReferences(sender: sender, rows: danglingRows())
            return .abort
        }
        let keyJSON = CanonicalJSON.array(change.key)
        let identity = SyncResolution.rowIdentity(table: change.table, key: keyJSON)
        let current = conflict.current ?? []
        switch conflict.kind {
        case .constraint:
            // The write path's own message when the row is one it would refuse.
            var reason = "breaks a rule of this registry's database here (a name used by another record, say)"
            if change.operation == .insert, let table = Ownership.syncedTable(named: change.table) {
                do {
                    _ = try SyncRowCheck.check(table, change.new.map { $0 ?? .null })
                } catch {
                    reason = "\(error)"
                }
            }
            refusal = .rowRefused(sender: sender, table: change.table, key: CanonicalJSON.keyText(values: change.key), reason: reason)
            return .abort
        case .foreignKey:
            refusal = .danglingReferences(sender: sender, rows: danglingRows())
            return .abort
        case .notFound:
            if change.operation == .delete {
                alreadyHere += 1
                omitted.insert(identity)
                return .omit
            }
            if resolutions[identity] == .here {
                resolvedCount += 1
                omitted.insert(identity)
                return .omit
            }
            conflicts.append(makeConflict(.missingHere, change, current: [], keyJSON: keyJSON))
            return .omit
        case .data, .conflict:
            let incoming = change.operation == .delete ? [] : change.new
            let same = change.operation != .delete && current.indices.allSatisfy { incoming[$0] == nil || incoming[$0] == current[$0] }
            if same {
                alreadyHere += 1
                omitted.insert(identity)
                return .omit
            }
            switch resolutions[identity] {
            case .here:
                resolvedCount += 1
                omitted.insert(identity)
                return .omit
            case .sender:
                resolvedCount += 1
                replaced[identity] = current
                return .replace
            case nil:
                conflicts.append(makeConflict(conflict.kind == .conflict ? .addedAtBoth : .changedAtBoth, change, current: current, keyJSON: keyJSON))
                return .omit
            }
        }
    }

    func makeConflict(_ kind: SyncConflict.Kind, _ change: Changeset.Change, current: [SQLValue?], keyJSON: String) -> SyncConflict {
        let table = Ownership.syncedTable(named: change.table)
        var columns: [(column: String, here: String, sender: String)] = []
        let count = max(current.count, change.old.count, change.new.count)
        for index in 0..<count {
            let name = table.map { index < $0.columns.count ? $0.columns[index] : "column \(index + 1)" } ?? "column \(index + 1)"
            let here = index < current.count ? current[index] : nil
            let there: SQLValue?? = change.operation == .delete ? .some(nil) : (index < change.new.count ? change.new[index] : nil)
            switch kind {
            case .missingHere:
                if let value = there ?? nil { columns.append((name, "(deleted here)", Self.shown(value, column: name))) }
            case .changedAtBoth, .addedAtBoth:
                if change.operation == .delete {
                    if let here, let old = index < change.old.count ? change.old[index] : nil, here != old {
                        columns.append((name, Self.shown(here, column: name), "(deleted)"))
                    }
                } else if let value = there ?? nil, value != (here ?? .null) {
                    columns.append((name, here.map { Self.shown($0, column: name) } ?? "", Self.shown(value, column: name)))
                }
            }
        }
        let here = try? db.row(
            """
            SELECT s.at, s.actor FROM change_entry AS e JOIN change_set AS s ON s.id = e.set_id
            WHERE e.table_name = ? AND e.row_key = ? ORDER BY e.seq DESC LIMIT 1
            """, [.text(change.table), .text(keyJSON)])
        let changedHere = here.flatMap { row in (try? row.get("actor", as: String.self)).map { "\($0), \((try? row.get("at", as: String.self)) ?? "")" } }
        return SyncConflict(
            kind: kind, table: change.table, key: CanonicalJSON.keyText(values: change.key), keyJSON: keyJSON, columns: columns,
            changedHere: changedHere, changedThere: nil)
    }

    /// The conflicts with who changed each row at the sender, from the bundle.
    func withProvenance(_ conflicts: [SyncConflict]) throws -> [SyncConflict] {
        guard let provenance = try? bundle.provenance() else { return conflicts }
        let byRow = provenance.byRow()
        return conflicts.map { conflict in
            let set = byRow[SyncResolution.rowIdentity(table: conflict.table, key: conflict.keyJSON)]
            return SyncConflict(
                kind: conflict.kind, table: conflict.table, key: conflict.key, keyJSON: conflict.keyJSON, columns: conflict.columns,
                changedHere: conflict.changedHere, changedThere: set.map { "\($0.actor) at \(sender), \($0.at)" })
        }
    }

    static func shown(_ value: SQLValue, column: String) -> String {
        switch value {
        case .null: "(empty)"
        case .integer(let fen) where column.hasSuffix("_fen"): Money(fen: fen).formatted(.auto)
        case .integer(let number): String(number)
        case .text(let text): FieldText.shown(text)
        case .real(let number): String(number)
        case .blob(let data): "(\(data.count) bytes)"
        }
    }

    /// The rows that refer to a record that is not here (PRAGMA foreign_key_check).
    func danglingRows() -> [String] {
        var found: [String] = []
        for table in Ownership.syncedTables {
            guard let rows = try? db.rows("SELECT rowid, parent FROM pragma_foreign_key_check(?)", [.text(table.name)]) else { continue }
            for row in rows.prefix(20) {
                let parent = (try? row.get("parent", as: String.self)) ?? "?"
                let key =
                    (try? db.row("SELECT \(table.primaryKey.joined(separator: ", ")) FROM \(table.name) WHERE rowid = ?", [row["rowid"]]))
                    .flatMap { $0 }.map { CanonicalJSON.keyText(values: $0.values) } ?? "?"
                found.append("\(table.name) \(key) refers to a \(parent) that is not here")
            }
        }
        return found.isEmpty ? ["a record refers to a record that is not here"] : found
    }

    // MARK: The change log

    /// Checks each row the apply changed (`check`) and appends it to this
    /// site's log, as `RowStore` would.
    func checkAndLog() throws -> [(table: String, inserted: Int, updated: Int, deleted: Int)] {
        // Per synced table, by its place in `Ownership.syncedTables`.
        var counts = Array(repeating: (inserted: 0, updated: 0, deleted: 0), count: Ownership.syncedTables.count)
        var seen = Array(repeating: false, count: Ownership.syncedTables.count)
        var order: [Int] = []
        let log = writer.store.log
        try bundle.changeset.forEachChange { change in
            guard let place = Ownership.syncedTables.firstIndex(where: { $0.name.sameBytes(as: change.table) }) else { return }
            let table = Ownership.syncedTables[place]
            if !seen[place] {
                try checkColumns(table, change)
                seen[place] = true
                order.append(place)
            }
            let key = change.key
            if !omitted.isEmpty || !replaced.isEmpty {
                let identity = SyncResolution.rowIdentity(table: change.table, key: CanonicalJSON.array(key))
                if omitted.contains(identity) { return }
                if let current = replaced[identity] {
                    // The sender's change taken over this site's row: logged against the row that was here.
                    let old = current.map { $0 ?? .null }
                    let new = change.operation == .insert ? change.new.map { $0 ?? .null } : old.indices.map { change.new[$0] ?? old[$0] }
                    try check(change, table, key: key, before: old, after: new)
                    try log.append(table, key: key, before: old, after: new)
                    if change.operation == .insert { try Ownership.recordOwner(table: table.name, key: key, owner: sender, site: site, db: db) }
                    counts[place].updated += 1
                    return
                }
            }
            switch change.operation {
            case .insert:
                let row = change.new.map { $0 ?? .null }
                try check(change, table, key: key, before: nil, after: row)
                try log.append(table, key: key, before: nil, after: row)
                try Ownership.recordOwner(table: table.name, key: key, owner: sender, site: site, db: db)
                counts[place].inserted += 1
            case .delete:
                let row = change.old.map { $0 ?? .null }
                try check(change, table, key: key, before: row, after: nil)
                try log.append(table, key: key, before: row, after: nil)
                try Ownership.forgetOrigin(table: table.name, key: key, in: db)
                counts[place].deleted += 1
            case .update:
                guard let current = try db.row("\(table.selectSQL) WHERE \(table.keyCondition)", key)?.values else { return }
                let before = current.indices.map { change.new[$0] == nil ? current[$0] : (change.old[$0] ?? .null) }
                try check(change, table, key: key, before: before, after: current)
                try log.append(table, key: key, before: before, after: current)
                counts[place].updated += 1
            }
        }
        return order.map { place in
            (table: Ownership.syncedTables[place].name, inserted: counts[place].inserted, updated: counts[place].updated, deleted: counts[place].deleted)
        }
    }
}

extension RegistryWriter {
    /// This build's schema version (the newest migration).
    var entitiesMigrationVersion: Int { Registry.migrator.migrations.last?.version ?? 0 }
}
