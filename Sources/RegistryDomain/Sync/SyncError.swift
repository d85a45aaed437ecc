/// Why a sync command refused, named for the person at either site.
public enum SyncError: Error, MessageDescribed, Sendable {
    case keyExists(path: String)
    case keyMissing(path: String)
    case keyExposed(path: String)
    case keyUnreadable(path: String, detail: String)
    /// Sync needs this registry's site, or the other site, registered first.
    case notSyncing
    case unknownSite(String)
    case siteExists(String)
    case siteCodeFixed(reason: String)
    case noReceiver
    /// The file is not a bundle, or not a whole one.
    case notABundle(path: String, detail: String)
    case wrongReceiver(path: String, receiver: String, local: String)
    case unknownSender(path: String, sender: String)
    case senderHasNoKey(path: String, sender: String)
    case badSignature(path: String, sender: String)
    case changedBytes(path: String, detail: String)
    case schemaMismatch(path: String, bundle: Int, local: Int)
    case gap(path: String, sender: String, number: Int, fromSeq: Int64, lastNumber: Int, lastSeq: Int64)
    case overlap(path: String, sender: String, fromSeq: Int64, lastSeq: Int64)
    case chainBroken(path: String, sender: String, number: Int)
    case rowRefused(sender: String, table: String, key: String, reason: String)
    case danglingReferences(sender: String, rows: [String])
    case conflicts([SyncConflict])
    case nothingToResolve(path: String, row: String?)

    public var message: Message {
        switch self {
        case .keyExists(let path):
            "a site key exists already at \(path); a new key must then be registered at every site that receives this site's bundles"
        case .keyMissing(let path):
            "no site key at \(path); make one at this site first (it prints the public key to send to headquarters)"
        case .keyExposed(let path):
            "the site key \(path) may be read by other users; make it readable by its owner only (mode 0600)"
        case .keyUnreadable(let path, let detail):
            "cannot use the site key \(path): \(detail)"
        case .notSyncing:
            "this registry has no site registered; register this site or the site it exchanges bundles with first"
        case .unknownSite(let code):
            "no site \(code) is registered here"
        case .siteExists(let code):
            "site \(code) is registered already"
        case .siteCodeFixed(let reason):
            "the site code cannot be set: \(reason)"
        case .noReceiver:
            "headquarters sends to one county at a time: name the receiving site"
        case .notABundle(let path, let detail):
            "\(path) is not a whole registry sync bundle (\(detail)); nothing was applied"
        case .wrongReceiver(let path, let receiver, let local):
            "\(path) is addressed to site \(receiver), not to this site (\(local)); nothing was applied"
        case .unknownSender(let path, let sender):
            "\(path) comes from site \(sender), which is not registered here; nothing was applied"
        case .senderHasNoKey(let path, let sender):
            "\(path) comes from site \(sender), whose public key is not registered here; nothing was applied"
        case .badSignature(let path, let sender):
            "\(path) is not signed by the key registered for site \(sender) (forged, or signed by another site's key); nothing was applied"
        case .changedBytes(let path, let detail):
            "\(path) was changed after it was signed (\(detail)); nothing was applied; ask the sender for the file again"
        case .schemaMismatch(let path, let bundle, let local):
            "\(path) was made by a registry at schema version \(bundle), this one is at \(local); both sites must run the same version; nothing was applied"
        case .gap(let path, let sender, let number, let fromSeq, let lastNumber, let lastSeq):
            "\(path) is bundle \(number) of site \(sender), starting after its change \(fromSeq), but only changes up to \(lastSeq) (bundle \(lastNumber)) are applied here: bundle \(lastNumber + 1) is missing; apply it first, or send \(sender) a bundle from this site (it carries what is applied here) and ask \(sender) to send again from there; nothing was applied"
        case .overlap(let path, let sender, let fromSeq, let lastSeq):
            "\(path) starts after change \(fromSeq) of site \(sender), but changes up to \(lastSeq) are applied here already; send \(sender) a bundle from this site (it carries what is applied here), then ask \(sender) to send again from there; nothing was applied"
        case .chainBroken(let path, let sender, let number):
            "\(path) (bundle \(number) of site \(sender)) does not follow the last bundle applied here from \(sender); nothing was applied"
        case .rowRefused(let sender, let table, let key, let reason):
            "\(table) \(key) from site \(sender): \(reason); nothing was applied"
        case .danglingReferences(let sender, let rows):
            "the bundle of site \(sender) refers to records this site does not have: \(rows.joined(separator: "; ")); nothing was applied"
        case .conflicts(let conflicts):
            "\(conflicts.count) conflict(s) between the bundle and this site's records; nothing was applied"
        case .nothingToResolve(let path, let row):
            row.map { "\(path) has no conflict on \($0)" } ?? "\(path) has no conflict with this site's records"
        }
    }
}

/// One row changed at both sites (or changed at one and deleted at the
/// other): what the apply stopped on.
public struct SyncConflict: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Changed at both sites.
        case changedAtBoth = "changed at both sites"
        /// Added at both sites with different values.
        case addedAtBoth = "added at both sites"
        /// Changed by the sender, deleted here.
        case missingHere = "not found here"
    }

    public let kind: Kind
    public let table: String
    /// As people type it: `HF-2026-001`, `HF-2026-001/construction`.
    public let key: String
    /// The key as the change log stores it (a JSON array).
    public let keyJSON: String
    /// Each differing column: its name, the value here, the sender's.
    public let columns: [(column: String, here: String, sender: String)]
    /// Who last changed the row here, and when (from this site's change log).
    public let changedHere: String?
    /// Who changed it at the sender, and when (from the bundle).
    public let changedThere: String?

    public static func == (a: SyncConflict, b: SyncConflict) -> Bool {
        a.kind == b.kind && a.table == b.table && a.keyJSON.sameBytes(as: b.keyJSON)
            && a.columns.map(\.column) == b.columns.map(\.column) && a.columns.map(\.here) == b.columns.map(\.here)
            && a.columns.map(\.sender) == b.columns.map(\.sender)
    }
}
