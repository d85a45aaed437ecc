import RegistryStorage

/// Which site owns which records, and so may change them and send the change.
///
/// - A record belongs to the site that made it. Its key says which, as a
///   rule (a county's keys carry its code, below); where the key says
///   otherwise (headquarters' `HF-PARK-2025`, made before HF was a site),
///   `sync_origin` holds the exception.
/// - Headquarters (HQ) keeps the reference data: parks and targets are made
///   only there, and reach the counties in its bundles, with its funds and
///   enterprises.
/// - A county sends its enterprises, funds, projects, stages, allocations and
///   payments. The keys it makes carry its code, so that two sites never make
///   the same key: project and fund codes typed there must begin with it
///   (`HF-2026-001`, `HF-ZX-2026`; anything else is refused), and the ids it
///   mints carry it already (`A-HF-2026-0001`). At headquarters a new code
///   that begins with a registered county's code is refused.
/// - Enterprises are shared: any site may record or correct one (a USCC is
///   the same enterprise everywhere); when two sites change the same one the
///   apply shows the conflict.
/// - Headquarters supervises: it may correct a county's project, stage,
///   allocation or payment (a county's later change to it then shows as a
///   conflict there), but not a county's fund, which it would send back down.
///   A county changes nothing of headquarters'.
enum Ownership {
    /// The tables a site of each kind sends, in dependency order (what its session records).
    static func sentTables(headquarters: Bool) -> [TableSchema] { headquarters ? sentByHeadquarters : sentByCounty }

    /// Headquarters sends reference data and its funds down.
    static let sentByHeadquarters = [Park.table, Enterprise.table, Target.table, Fund.table]
    /// A county sends up what it records.
    static let sentByCounty = [Enterprise.table, Fund.table, Project.table, StageChange.table, Allocation.table, Disbursement.table]

    /// Every table a bundle may touch.
    static let syncedTables = [
        Park.table, Enterprise.table, Target.table, Fund.table, Project.table, StageChange.table, Allocation.table, Disbursement.table,
    ]

    static func syncedTable(named name: String) -> TableSchema? {
        for table in syncedTables where table.name.sameBytes(as: name) { return table }
        return nil
    }

    static func isSent(_ table: String, headquarters: Bool) -> Bool {
        for sent in headquarters ? sentByHeadquarters : sentByCounty where sent.name.sameBytes(as: table) { return true }
        return false
    }

    // MARK: Origins

    /// The site that owns the row of `table` with `key`: its recorded
    /// exception, else the site its key names (HQ when it names none known);
    /// nil for an enterprise (shared).
    static func owner(table: String, key: [SQLValue], site: SiteContext, db: Database) throws -> String? {
        guard table != "enterprise" else { return nil }
        if let recorded = try db.scalar(
            "SELECT site FROM sync_origin WHERE table_name = ? AND row_key = ?", [.text(table), .text(CanonicalJSON.array(key))], as: String.self)
        {
            return recorded
        }
        return impliedOwner(table: table, key: key, site: site)
    }

    /// The owner the key alone names.
    static func impliedOwner(table: String, key: [SQLValue], site: SiteContext) -> String {
        if let named = keySite(table: table, key: key), let known = site.knownCodes.first(where: { $0.sameBytes(as: named) }) { return known }
        return Site.headquarters
    }

    /// Records that the row belongs to `owner`, when its key names another.
    static func recordOwner(table: String, key: [SQLValue], owner: String, site: SiteContext, db: Database) throws {
        guard table != "enterprise", !impliedOwner(table: table, key: key, site: site).sameBytes(as: owner) else { return }
        try db.execute(
            "INSERT OR REPLACE INTO sync_origin (table_name, row_key, site) VALUES (?, ?, ?)",
            [.text(table), .text(CanonicalJSON.array(key)), .text(owner)])
    }

    static func forgetOrigin(table: String, key: [SQLValue], in db: Database) throws {
        try db.execute("DELETE FROM sync_origin WHERE table_name = ? AND row_key = ?", [.text(table), .text(CanonicalJSON.array(key))])
    }

    // MARK: Keys

    /// The site a new key names: the code before the first `-` of a project's
    /// or fund's code (a stage: its project's), the second part of a minted id.
    static func keySite(table: String, key: [SQLValue]) -> String? {
        guard case .text(let text)? = key.first else { return nil }
        // By UTF-8 bytes: `-` is one byte, and a site code is ASCII.
        let bytes = text.utf8
        guard let firstDash = bytes.firstIndex(of: 0x2D) else { return nil }
        switch table {
        case "project", "fund", "project_stage":
            return String(decoding: bytes[..<firstDash], as: UTF8.self)
        case "allocation", "disbursement":
            let rest = bytes[bytes.index(after: firstDash)...]
            guard let secondDash = rest.firstIndex(of: 0x2D) else { return nil }
            return String(decoding: rest[..<secondDash], as: UTF8.self)
        default:
            return nil
        }
    }

    // MARK: Checks

    /// Refuses a local write the site may not make (see the type's comment).
    /// `creating` is true for an insert.
    static func checkLocalWrite(table: TableSchema, key: [SQLValue], creating: Bool, site: SiteContext, db: Database) throws {
        guard site.syncEnabled, syncedTable(named: table.name) != nil else { return }
        let keyText = CanonicalJSON.keyText(values: key)
        let field = table.primaryKey.first ?? "key"
        func refuse(_ reason: Message) -> InvalidValue { InvalidValue(field: field, value: keyText, reason: reason) }
        if site.isHeadquarters {
            if creating {
                if let named = keySite(table: table.name, key: key), !named.sameBytes(as: Site.headquarters),
                    site.knownCodes.contains(where: { $0.sameBytes(as: named) })
                {
                    throw refuse("begins with the code of site \(named); records made at headquarters carry no county's code")
                }
            } else if isSent(table.name, headquarters: true), let owner = try owner(table: table.name, key: key, site: site, db: db),
                !owner.sameBytes(as: site.localCode)
            {
                throw refuse("was made by site \(owner), which changes it and sends the change here")
            }
            return
        }
        if table.name == "park" || table.name == "target" {
            throw refuse("\(table.name) records are kept by headquarters (HQ) and reach this site in its bundles; they are not changed here")
        }
        if creating {
            guard table.name == "enterprise" || keySite(table: table.name, key: key)?.sameBytes(as: site.localCode) == true else {
                throw refuse(
                    "does not carry this site's code; codes and ids made at site \(site.localCode) begin with \(site.localCode)- (e.g. \(site.localCode)-2026-001), so that no two sites make the same one"
                )
            }
        } else if let owner = try owner(table: table.name, key: key, site: site, db: db), !owner.sameBytes(as: site.localCode) {
            throw refuse("was made by site \(owner), which changes it and sends the change here; it is not changed here")
        }
    }

    /// Why `sender` may not make this change of a bundle, or nil when it may.
    /// `exists`: whether the row is here (an update or delete of a row that
    /// is not is the apply's conflict, not a question of ownership).
    static func refusal(_ change: Changeset.Change, table: TableSchema, key: [SQLValue], sender: String, site: SiteContext, db: Database) throws
        -> String?
    {
        let headquarters = sender.sameBytes(as: Site.headquarters)
        guard isSent(table.name, headquarters: headquarters) else {
            return "\(table.name) records are not sent by \(headquarters ? "headquarters" : "a county")"
        }
        switch change.operation {
        case .insert:
            if !headquarters && table.name != "enterprise" && keySite(table: table.name, key: key)?.sameBytes(as: sender) != true {
                return "does not carry the code of site \(sender), which made it (its keys begin with \(sender)-)"
            }
        case .update, .delete:
            guard let owner = try owner(table: table.name, key: key, site: site, db: db), !owner.sameBytes(as: sender) else { return nil }
            return "was made by \(owner.sameBytes(as: site.localCode) ? "this site" : "site \(owner)"); site \(sender) may not change it"
        }
        return nil
    }
}
