import RegistryStorage

/// Finds the record a typed reference names: by key first, then by exact name,
/// as staff write either in a spreadsheet.
///
/// Found references are cached for the life of the resolver (one write or one
/// query); misses are not, so a record added meanwhile is found next time.
/// Each cache holds at most `cacheLimit` references and starts again when
/// full: an import that names 200,000 enterprises once each must not keep
/// them all (memory stays flat), while one that names the same forty parks
/// a million times asks the database forty times.
final class ReferenceResolver {
    let db: Database
    private var parks: [String: String] = [:]
    private var enterprises: [String: USCC] = [:]
    private var sectors: [String: String] = [:]
    private var funds: [String: String] = [:]
    private var projects: Set<String> = []
    private var allocations: Set<String> = []
    /// Names by key, for the names a ledger keeps beside the codes.
    private var parkNames: [String: String] = [:]
    private var enterpriseNames: [String: String] = [:]

    static let cacheLimit = 4_096
    /// Suggestions scan the names: an import with thousands of unknown
    /// references gets them for its first ones only (its report shows fifty).
    private var suggestionsLeft = 50

    init(db: Database) {
        self.db = db
    }

    private static func remember<Value>(_ value: Value, for key: String, in cache: inout [String: Value]) {
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[key] = value
    }

    private static func remember(_ key: String, in cache: inout Set<String>) {
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache.insert(key)
    }

    /// Drops the cache (after a park or enterprise is renamed).
    func forget() {
        parks.removeAll()
        enterprises.removeAll()
        funds.removeAll()
        parkNames.removeAll()
        enterpriseNames.removeAll()
    }

    /// The stored name of park `code` (a key the resolver found), width-folded
    /// as a typed name is before the two are compared.
    func name(ofPark code: String) throws -> String {
        try storedName(key: code, sql: "SELECT name FROM park WHERE code = ?", in: &parkNames)
    }

    /// The stored name of enterprise `uscc`, width-folded.
    func name(ofEnterprise uscc: USCC) throws -> String {
        try storedName(key: uscc.value, sql: "SELECT name FROM enterprise WHERE uscc = ?", in: &enterpriseNames)
    }

    private func storedName(key: String, sql: String, in cache: inout [String: String]) throws -> String {
        if let name = cache[key] { return name }
        let name = TextNormalization.halfwidthTrimmed(try db.scalar(sql, [.text(key)], as: String.self) ?? "")
        Self.remember(name, for: key, in: &cache)
        return name
    }

    /// A park code from a code or an exact park name; empty means none.
    func park(_ text: String) throws -> String? {
        if let code = parks[text] { return code }
        let wanted = TextNormalization.halfwidthTrimmed(text)
        if wanted.isEmpty { return nil }
        // The code as typed, then in any case (`ssz-xm`), then the exact name.
        if let code = try db.scalar(
            """
            SELECT code FROM park WHERE code = ?1 UNION ALL SELECT code FROM park WHERE upper(code) = upper(?1)
            UNION ALL SELECT code FROM park WHERE name = ?1 LIMIT 1
            """,
            [.text(wanted)], as: String.self
        ) {
            Self.remember(code, for: text, in: &parks)
            return code
        }
        throw InvalidValue(
            field: "park", value: FieldText.shown(text),
            reason: "no park has this code or name" + (try suggestion(table: "park", key: "code", for: wanted)), nextStep: .list(.park))
    }

    /// An enterprise from a USCC or an exact enterprise name; empty means none.
    func enterprise(_ text: String) throws -> USCC? {
        if let uscc = enterprises[text] { return uscc }
        var wanted = TextNormalization.halfwidthTrimmed(text)
        if wanted.isEmpty { return nil }
        // A code typed with spaces (`91440300 192317458F`) is the code.
        let squeezed = String(wanted.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
        if squeezed.utf8.count == 18, squeezed.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }) {
            wanted = squeezed
        }
        if let uscc = try db.scalar(
            "SELECT uscc FROM enterprise WHERE uscc = upper(?1) UNION ALL SELECT uscc FROM enterprise WHERE name = ?1 LIMIT 1",
            [.text(wanted)], as: String.self
        ) {
            Self.remember(USCC(value: uscc), for: text, in: &enterprises)
            return USCC(value: uscc)
        }
        // Say what is wrong with a code that is not even valid, rather than "unknown".
        if wanted.count == 18, wanted.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            _ = try USCC.parse(wanted, field: "enterprise")
        }
        throw InvalidValue(
            field: "enterprise", value: FieldText.shown(text),
            reason: "no enterprise has this unified social credit code or name" + (try suggestion(table: "enterprise", key: "uscc", for: wanted)),
            nextStep: .add(.enterprise))
    }

    /// A sector key from a key, a Chinese name or an English name; empty means none.
    func sector(_ text: String) throws -> String? {
        if let key = sectors[text] { return key }
        let wanted = TextNormalization.halfwidthTrimmed(text)
        if wanted.isEmpty { return nil }
        if let key = try db.scalar(
            "SELECT key FROM sector WHERE key = lower(?1) OR name_zh = ?1 OR lower(name_en) = lower(?1) LIMIT 1",
            [.text(wanted)], as: String.self
        ) {
            Self.remember(key, for: text, in: &sectors)
            return key
        }
        let sectors = try db.rows("SELECT key, name_zh FROM sector ORDER BY rowid").map {
            (key: try $0.get("key", as: String.self), name: try $0.get("name_zh", as: String.self))
        }
        // `新能源汽车` for `新能源汽车及零部件`: a name that holds the text, or that the text holds.
        let near =
            sectors.filter { $0.name.unicodeScalars.count > wanted.unicodeScalars.count && $0.name.contains(wanted) }
            + sectors.filter { $0.name.unicodeScalars.count <= wanted.unicodeScalars.count && wanted.contains($0.name) }
        let hint = near.isEmpty ? "" : "; did you mean " + near.map { "\($0.name) (\($0.key))" }.joined(separator: " or ") + "?"
        throw InvalidValue(
            field: "sector", value: FieldText.shown(text),
            reason: "is not a sector\(hint); accepted: \(sectors.map { "\($0.key) (\($0.name))" }.joined(separator: ", "))", nextStep: .list(.sector))
    }

    /// `; did you mean 比亚迪股份有限公司 (91440300192317458F)?` for up to three
    /// records whose name holds the text or is held by it, or shares its
    /// first three characters; empty when none does.
    private func suggestion(table: String, key: String, for text: String) throws -> Message {
        guard !text.isEmpty, suggestionsLeft > 0 else { return "" }
        suggestionsLeft -= 1
        let prefix = String(text.unicodeScalars.prefix(3).map(Character.init))
        let rows = try db.rows(
            """
            SELECT \(key) AS key, name FROM \(table)
            WHERE instr(name, ?1) > 0 OR instr(?1, name) > 0 OR (length(?2) = 3 AND instr(name, ?2) > 0)
            ORDER BY abs(length(name) - length(?1)), name LIMIT 3
            """, [.text(text), .text(prefix)])
        guard !rows.isEmpty else { return "" }
        let names = try rows.map { "\(try $0.get("name", as: String.self)) (\(try $0.get("key", as: String.self)))" }
        return "; did you mean \(names.joined(separator: " / "))?"
    }

    /// A fund code from a code or an exact fund name.
    func fund(_ text: String) throws -> String {
        if let code = funds[text] { return code }
        let wanted = TextNormalization.halfwidthTrimmed(text)
        if !wanted.isEmpty,
            let code = try db.scalar(
                "SELECT code FROM fund WHERE code = ?1 UNION ALL SELECT code FROM fund WHERE name = ?1 LIMIT 1",
                [.text(wanted)], as: String.self
            )
        {
            Self.remember(code, for: text, in: &funds)
            return code
        }
        throw InvalidValue(field: "fund", value: FieldText.shown(text), reason: "no fund has this code or name", nextStep: .list(.fund))
    }

    /// A project code that exists (projects are named by code: names may repeat).
    func project(_ text: String) throws -> String {
        let typed = TextNormalization.halfwidthTrimmed(text)
        if projects.contains(typed) { return typed }
        guard !typed.isEmpty, let key = try ProjectCode.storedKey(text, in: db) else {
            throw InvalidValue(field: "project", value: FieldText.shown(text), reason: "no project has this code", nextStep: .list(.project))
        }
        Self.remember(key, in: &projects)
        return key
    }

    /// An allocation id that exists.
    func allocation(_ text: String) throws -> String {
        try existingKey(
            text, known: &allocations, sql: "SELECT count(*) FROM allocation WHERE id = ?", field: "allocation",
            reason: "no allocation has this id", nextStep: .showFund)
    }

    /// `text` as a key that `sql` (a count by key) finds; remembered in `known`.
    private func existingKey(_ text: String, known: inout Set<String>, sql: String, field: String, reason: Message, nextStep: NextStep) throws -> String {
        let wanted = TextNormalization.halfwidthTrimmed(text)
        if known.contains(wanted) { return wanted }
        guard !wanted.isEmpty, try db.scalar(sql, [.text(wanted)], as: Int.self) == 1 else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: reason, nextStep: nextStep)
        }
        Self.remember(wanted, in: &known)
        return wanted
    }

    /// A payee as a unified social credit code: 18 letters and digits as
    /// written on the voucher, or the exact name of a registered enterprise.
    /// The check character is not enforced here: a payee whose code is wrong
    /// was still paid, and the audit `payee-not-registered` reports it.
    func payee(_ text: String) throws -> String {
        let wanted = TextNormalization.halfwidthTrimmed(text)
        let code = wanted.uppercased()
        if code.utf8.count == 18, code.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) {
            return code
        }
        if !wanted.isEmpty, let uscc = try db.scalar("SELECT uscc FROM enterprise WHERE name = ?", [.text(wanted)], as: String.self) {
            return uscc
        }
        throw InvalidValue(
            field: "payee", value: FieldText.shown(text),
            reason: "is neither an 18-character unified social credit code (letters and digits) nor the exact name of a registered enterprise")
    }
}
