import RegistryStorage

/// This site and the sites it exchanges bundles with. Headquarters (HQ)
/// exchanges with each county; a county only with headquarters.
extension RegistryWriter {
    /// `init --site HF --site-name 海丰县工作组`: names this registry's site.
    ///
    /// The code can change only while nothing has been recorded here (the
    /// ids minted here carry it, and other sites know the registry by it).
    @discardableResult
    public func setLocalSite(code codeText: String, name nameText: String?) throws -> Site {
        let code = try SiteCode.parse(codeText)
        let name = try FieldText.required(nameText ?? code, field: "site_name")
        let site = try store.site()
        let current = try db.row("\(Site.table.selectSQL) WHERE is_local = 1").map(Site.init(row:))
        if !code.sameBytes(as: site.localCode) {
            if let current {
                throw SyncError.siteCodeFixed(reason: "this registry is site \(current.code) already")
            }
            let recorded =
                try db.scalar(
                    """
                    SELECT (SELECT count(*) FROM park) + (SELECT count(*) FROM enterprise) + (SELECT count(*) FROM project)
                         + (SELECT count(*) FROM fund) + (SELECT count(*) FROM target) + (SELECT count(*) FROM allocation)
                         + (SELECT count(*) FROM disbursement) + (SELECT count(*) FROM site)
                    """, as: Int.self) ?? 0
            guard recorded == 0 else {
                throw SyncError.siteCodeFixed(
                    reason: "this registry holds \(recorded) record(s) made as site \(site.localCode); set the site when the registry is created")
            }
            try store.update(from: LocalSiteRecord(code: site.localCode), to: LocalSiteRecord(code: code))
            store.forgetSite()
        }
        if var current {
            current.name = name
            try store.update(from: try store.find(Site.self, key: current.key)!, to: current)
            return current
        }
        let local = Site(code: code, name: name, publicKey: nil, isLocal: true, addedAt: context.time)
        try enableSync { try store.insert(local) }
        return local
    }

    /// Records this site's own public key (the private key stays in its file).
    func setLocalKey(_ publicKey: String) throws -> Site {
        let site = try store.site()
        if var local = try db.row("\(Site.table.selectSQL) WHERE is_local = 1").map(Site.init(row:)) {
            let before = local
            local.publicKey = publicKey
            try store.update(from: before, to: local)
            return local
        }
        let local = Site(code: site.localCode, name: site.localCode, publicKey: publicKey, isLocal: true, addedAt: context.time)
        try enableSync { try store.insert(local) }
        return local
    }

    /// `site add HF --name 海丰县工作组 --key …`: trusts another site's bundles
    /// signed by that key. Headquarters adds counties; a county adds headquarters.
    @discardableResult
    public func addSite(code codeText: String, name nameText: String, publicKey keyText: String) throws -> Site {
        var checks = FieldChecks()
        let code = try checks.check { try SiteCode.parse(codeText) }
        let name = try checks.check { try FieldText.required(nameText, field: "name") }
        let key = try checks.check { try SiteKey.parsePublicKey(keyText) }
        try checks.throwIfAny()
        let local = try store.site()
        guard !code!.sameBytes(as: local.localCode) else {
            throw InvalidValue(field: "site", value: code!, reason: "is this registry's own site")
        }
        if local.isHeadquarters {
            guard !code!.sameBytes(as: Site.headquarters) else {
                throw InvalidValue(field: "site", value: code!, reason: "is headquarters' code; a county's code is another, e.g. HF")
            }
        } else {
            guard code!.sameBytes(as: Site.headquarters) else {
                throw InvalidValue(field: "site", value: code!, reason: "is not headquarters (HQ); a county exchanges bundles with headquarters only")
            }
        }
        if try store.find(Site.self, key: [.text(code!)]) != nil { throw SyncError.siteExists(code!) }
        let site = Site(code: code!, name: name!, publicKey: key!, isLocal: false, addedAt: context.time)
        try enableSync { try store.insert(site) }
        if local.isHeadquarters { try keepHeadquartersRows(named: code!) }
        return site
    }

    /// A new key for a registered site (after it lost or replaced its own).
    @discardableResult
    public func replaceSiteKey(code codeText: String, publicKey keyText: String) throws -> Site {
        let code = try SiteCode.parse(codeText)
        let key = try SiteKey.parsePublicKey(keyText)
        guard let before = try store.find(Site.self, key: [.text(code)]), !before.isLocal else { throw SyncError.unknownSite(code) }
        var after = before
        after.publicKey = key
        try store.update(from: before, to: after)
        return after
    }

    /// Headquarters' rows whose keys begin with the new county's code
    /// (`HF-PARK-2025`, made before HF was a site) stay headquarters': their
    /// owner is recorded, since the key alone would now name the county.
    private func keepHeadquartersRows(named code: String) throws {
        let site = try store.site()
        let prefix = [SQLValue.text(code + "-*")]
        let middle = [SQLValue.text("*-" + code + "-*")]
        let rows: [(TableSchema, String, [SQLValue])] = [
            (Project.table, "SELECT code FROM project WHERE code GLOB ?", prefix),
            (StageChange.table, "SELECT project_code, stage FROM project_stage WHERE project_code GLOB ?", prefix),
            (Fund.table, "SELECT code FROM fund WHERE code GLOB ?", prefix),
            (Allocation.table, "SELECT id FROM allocation WHERE id GLOB ?", middle),
            (Disbursement.table, "SELECT id FROM disbursement WHERE id GLOB ?", middle),
        ]
        for (table, sql, arguments) in rows {
            for row in try db.rows(sql, arguments) {
                try Ownership.recordOwner(table: table.name, key: row.values, owner: site.localCode, site: site, db: db)
            }
        }
    }

    /// Runs `insert` (the first site row switches sync on) and, when sync was
    /// off, stores the baseline: what this site sends, as it is now.
    private func enableSync(_ insert: () throws -> Void) throws {
        let wasEnabled = try store.site().syncEnabled
        try insert()
        store.forgetSite()
        if !wasEnabled {
            try SyncCapture.writeBaseline(db, headquarters: try store.site().isHeadquarters, at: context.time)
        }
    }
}
