import Foundation
import RegistryStorage

/// `sync status`: this site, and for each other site what came from it and what went to it.
public struct SyncStatus: Sendable {
    public struct Peer: Sendable {
        public let site: Site
        /// The newest bundle applied here from the site.
        public let lastApplied: AppliedBundle?
        /// The newest bundle made here for the site: its number, the outbox seq it reached, when.
        public let lastSent: (number: Int, toSeq: Int64, at: String)?
        /// How far the site has applied this site's outbox (its acknowledgement).
        public let acknowledged: Int64
    }

    /// This registry's site code, and its row if sync is on.
    public let localCode: String
    public let local: Site?
    /// The newest outbox entry (0 when nothing was captured).
    public let outboxSeq: Int64
    public let peers: [Peer]
}

extension Registry {
    public func syncStatus() throws -> SyncStatus {
        try read {
            let site = try SiteContext.read(db)
            let sites = try db.rows("\(Site.table.selectSQL) ORDER BY is_local DESC, code").map(Site.init(row:))
            let peers = try sites.filter { !$0.isLocal }.map { site in
                let sent = try db.row("SELECT number, to_seq, at FROM sync_sent WHERE receiver = ? ORDER BY number DESC LIMIT 1", [.text(site.code)])
                return SyncStatus.Peer(
                    site: site, lastApplied: try AppliedBundle.last(from: site.code, in: db),
                    lastSent: try sent.map { (try $0.get("number"), try $0.get("to_seq"), try $0.get("at")) },
                    acknowledged: try db.scalar("SELECT coalesce(max(acknowledges), 0) FROM sync_bundle WHERE sender = ?", [.text(site.code)], as: Int64.self)
                        ?? 0)
            }
            return SyncStatus(
                localCode: site.localCode, local: sites.first(where: \.isLocal),
                outboxSeq: try db.scalar("SELECT coalesce(max(seq), 0) FROM sync_outbox", as: Int64.self) ?? 0, peers: peers)
        }
    }

    /// `site key`: makes this site's signing key, saves it at `path` (owner
    /// only), and records its public key here. Returns the public key text.
    public func makeSiteKey(path: String?, replacing: Bool, actor: String) throws -> (publicKey: String, path: String) {
        let key = SiteKey.generate()
        let site = try SiteContext.read(db)
        let identity = try identity()?.id ?? "registry"
        let file = path ?? SiteKey.defaultPath(site: site.localCode, identity: identity)
        // The file first: a key recorded here but never saved could sign nothing.
        try key.save(to: file, replacing: replacing)
        do {
            _ = try write(WriteContext(actor: actor, command: "site key")) { writer in try writer.setLocalKey(key.publicKeyText) }
        } catch {
            if !replacing { try? FileManager.default.removeItem(atPath: file) }
            throw error
        }
        return (key.publicKeyText, file)
    }

    /// The key file of this site: `path`, or where `site key` saves it by default.
    public func siteKeyPath(_ path: String?) throws -> String {
        if let path { return path }
        let site = try SiteContext.read(db)
        return SiteKey.defaultPath(site: site.localCode, identity: try identity()?.id ?? "registry")
    }

    /// Reads this site's signing key.
    public func loadSiteKey(_ path: String?) throws -> SiteKey {
        try SiteKey.load(from: try siteKeyPath(path))
    }
}

extension Registry {
    /// Codes recorded here that begin with `site`'s code (`HF-PARK-2025`):
    /// they stay this site's; a county record of the same code would show as
    /// a conflict, never be merged silently.
    public func codes(beginningWith site: String) throws -> [String] {
        try read {
            try db.rows(
                "SELECT code FROM project WHERE code GLOB ?1 UNION SELECT code FROM fund WHERE code GLOB ?1 ORDER BY 1 LIMIT 20",
                [.text(site + "-*")]
            ).map { try $0.get("code", as: String.self) }
        }
    }
}
