import RegistryStorage

/// A site that keeps a registry: headquarters (`HQ`) or a county working
/// group (`HF` 海丰县工作组). This registry's own site is `isLocal`; the others
/// are the sites it exchanges bundles with, each trusted by its public key.
public struct Site: Equatable, Sendable {
    /// Upper-case letters and digits, at most 8 (the code every id minted there carries).
    public let code: String
    public var name: String
    /// The Ed25519 public key, 64 lower-case hex digits; nil until given.
    public var publicKey: String?
    public let isLocal: Bool
    /// UTC, ISO 8601 to the second.
    public let addedAt: String

    /// Headquarters' site code. Every other code is a county's.
    public static let headquarters = "HQ"

    public var isHeadquarters: Bool { code.sameBytes(as: Self.headquarters) }
}

extension Site: StoredRecord {
    static let table = TableSchema(name: "site", primaryKey: ["code"], columns: ["code", "name", "public_key", "is_local", "added_at"])

    var key: [SQLValue] { [.text(code)] }

    var values: [SQLValue] {
        [.text(code), .text(name), publicKey.sqlValue, .integer(isLocal ? 1 : 0), .text(addedAt)]
    }

    init(row: Row) throws {
        self.init(
            code: try row.get("code"), name: try row.get("name"), publicKey: try row.get("public_key"),
            isLocal: try row.get("is_local"), addedAt: try row.get("added_at"))
    }

    /// Never frozen: a site belongs to no year.
    var closingYear: ClosingYear? { nil }

    /// Recorded: which key a site is trusted by is part of the history.
    static let entity = Entity(table: table)
}

/// The code of a site as typed: upper-case letters and digits, 1 to 8.
enum SiteCode {
    static func parse(_ text: String, field: String = "site") throws -> String {
        let code = TextNormalization.compatibilityFolded(TextNormalization.halfwidthTrimmed(text))
        let valid =
            (1...8).contains(code.unicodeScalars.count)
            && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        guard valid else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text), reason: "is not a site code; 1 to 8 upper-case letters or digits are accepted, e.g. HF")
        }
        return code
    }
}

/// This registry's site as the write path needs it: its code, whether sync
/// is on (a site is registered), and the codes of every registered site.
struct SiteContext {
    let localCode: String
    /// False until a site is registered: then nothing is captured or checked.
    let syncEnabled: Bool
    /// Every registered site's code, this one's included.
    let knownCodes: [String]

    var isHeadquarters: Bool { localCode.sameBytes(as: Site.headquarters) }

    static func read(_ db: Database) throws -> SiteContext {
        let local = try db.scalar("SELECT code FROM local_site", as: String.self) ?? Site.headquarters
        guard try db.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'site'", as: Int.self) == 1 else {
            return SiteContext(localCode: local, syncEnabled: false, knownCodes: [local])
        }
        let codes = try db.rows("SELECT code FROM site ORDER BY code").map { try $0.get("code", as: String.self) }
        var known = codes
        if !known.contains(where: { $0.sameBytes(as: local) }) { known.append(local) }
        return SiteContext(localCode: local, syncEnabled: !codes.isEmpty, knownCodes: known)
    }
}

/// The site code of this registry (`local_site`): changed only by
/// `init --site`, before anything is minted here.
struct LocalSiteRecord: Equatable, StoredRecord {
    let code: String

    static var table: TableSchema { LocalSite.entity.table }
    var key: [SQLValue] { [.integer(1)] }
    var values: [SQLValue] { [.integer(1), .text(code)] }

    init(code: String) { self.code = code }

    init(row: Row) throws {
        self.init(code: try row.get("code"))
    }

    /// Never frozen: the site is no year's record.
    var closingYear: ClosingYear? { nil }
}
