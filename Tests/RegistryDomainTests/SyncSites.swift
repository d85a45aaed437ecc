import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// Three sites on real database files: headquarters (HQ) and two counties
/// (HF 海丰县, LF 陆丰市), each with its own registry and signing key,
/// registered with each other, with headquarters' reference data sent down.
final class SyncSites {
    let folder: TemporaryDirectory
    let hq: Registry
    let hf: Registry
    let lf: Registry
    let keys: [String: SiteKey]

    static let enterprise = USCCSamples.make(7)

    init() throws {
        folder = try TemporaryDirectory()
        var keys: [String: SiteKey] = [:]
        var registries: [String: Registry] = [:]
        for code in ["HQ", "HF", "LF"] {
            let (registry, _) = try Registry.create(at: folder.path("\(code).db"))
            try registry.write(Self.context(code, "init --site")) { try $0.setLocalSite(code: code, name: "\(code)站") }
            let made = try registry.makeSiteKey(path: folder.path("\(code).key"), replacing: false, actor: "管理员")
            keys[code] = try SiteKey.load(from: made.path)
            registries[code] = registry
        }
        hq = registries["HQ"]!
        hf = registries["HF"]!
        lf = registries["LF"]!
        self.keys = keys
        for county in ["HF", "LF"] {
            try hq.write(Self.context("HQ", "site add")) { try $0.addSite(code: county, name: "\(county)站", publicKey: keys[county]!.publicKeyText) }
            try registries[county]!.write(Self.context(county, "site add")) {
                try $0.addSite(code: "HQ", name: "总部", publicKey: keys["HQ"]!.publicKeyText)
            }
        }
        // Headquarters' reference data, sent down to both counties.
        try hq.write(Self.context("HQ", "setup")) { writer in
            try writer.addPark(ParkFields(code: "HF-GX", name: "海丰高新园", level: "county", county: "海丰县"))
            try writer.addPark(ParkFields(code: "LF-JL", name: "陆丰碣石园", level: "county", county: "陆丰市"))
            try writer.addEnterprise(EnterpriseFields(uscc: Self.enterprise, name: "深汕新能源有限公司", city: "深圳"))
            try writer.addFund(FundFields(code: "SZ-ASSIST-2026", name: "2026年深圳对口帮扶资金", source: "shenzhen-assistance", year: "2026", budget: "5亿"))
            try writer.setTarget(TargetFields(year: "2026", projects: "10", investment: "50亿"))
            try writer.addProject(
                ProjectFields(
                    code: "SW-2026-001", name: "总部项目", park: "HF-GX", enterprise: Self.enterprise, sector: "nev", plannedInvestment: "3亿",
                    signedOn: "2026-02-01"))
        }
        for county in ["HF", "LF"] {
            let applied = try send(from: "HQ", to: county)
            #expect(applied.counts.contains { $0.table == "park" && $0.inserted == 2 })
        }
    }

    static func context(_ site: String, _ command: String) -> WriteContext {
        WriteContext(actor: "\(site)职员", command: command)
    }

    func registry(_ code: String) -> Registry { ["HQ": hq, "HF": hf, "LF": lf][code]! }

    /// Exports a bundle from one site and returns its bytes.
    func export(from sender: String, to receiver: String, resend: Bool = false) throws -> [UInt8] {
        var bytes: [UInt8] = []
        _ = try registry(sender).exportSync(to: receiver, resend: resend, key: keys[sender]!, actor: "\(sender)职员") { bytes = $0.flatMap { $0 } }
        return bytes
    }

    @discardableResult
    func apply(_ bytes: [UInt8], at receiver: String, name: String = "bundle.sync") throws -> AppliedSync {
        try registry(receiver).applySync(bytes, path: name, actor: "\(receiver)职员")
    }

    @discardableResult
    func send(from sender: String, to receiver: String) throws -> AppliedSync {
        try apply(try export(from: sender, to: receiver), at: receiver)
    }

    func countyProject(_ site: String, _ number: Int, investment: String, signedOn: String = "2026-03-01") throws {
        try registry(site).write(Self.context(site, "project add")) { writer in
            try writer.addProject(
                ProjectFields(
                    code: "\(site)-2026-\(number)", name: "\(site)项目\(number)", park: site == "HF" ? "HF-GX" : "LF-JL", enterprise: Self.enterprise,
                    sector: "nev", plannedInvestment: investment, signedOn: signedOn))
        }
    }

    func fundsWork(_ site: String, project: String) throws {
        try registry(site).write(Self.context(site, "fund")) { writer in
            let allocation = try writer.allocate(AllocationFields(fund: "SZ-ASSIST-2026", project: project, amount: "300万", approvedOn: "2026-03-05"))
            try writer.disburse(
                DisbursementFields(allocation: allocation.id, amount: "120万", paidOn: "2026-03-20", payee: Self.enterprise, voucher: "PZ-\(project)"))
        }
    }

    func expectVerified(_ sites: [String] = ["HQ", "HF", "LF"]) throws {
        for site in sites {
            let report = try registry(site).verify()
            #expect(report.isIntact, "\(site): \(report.failures)")
        }
    }

    func fileBytes(_ site: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: folder.path("\(site).db"))) }

    // MARK: Helpers

    /// A bundle signed by `signer`'s key in `sender`'s name, with what a buggy or hostile site could put in it.
    func forge(from sender: String, changeset: Changeset, fromSeq: Int64, schemaVersion: Int? = nil, signer: String? = nil) throws -> [UInt8] {
        var changes = 0
        try changeset.forEachChange { _ in changes += 1 }
        let last = try hq.db.scalar("SELECT hash FROM sync_bundle WHERE sender = ? ORDER BY to_seq DESC LIMIT 1", [.text(sender)], as: String.self)
        let envelope = SyncBundle.Envelope(
            format: 1, sender: sender, senderName: sender, senderRegistry: "", receiver: "HQ", number: 9, fromSeq: fromSeq, toSeq: fromSeq + 1,
            schemaVersion: schemaVersion ?? Registry.migrator.migrations.last!.version, senderHead: "0:0", previous: last ?? SyncBundle.noPrevious,
            acknowledges: 0, createdAt: "2026-12-01T00:00:00Z", changes: changes, payloadBytes: 0, payloadSha256: "", provenanceBytes: 0,
            provenanceSha256: "")
        return try SyncBundle.make(
            envelope: envelope, changeset: changeset, provenance: .init(sets: [], lines: []), key: keys[signer ?? sender]!
        ).parts.flatMap { $0 }
    }

    /// The changes of `changeset` to one table only, through a scratch database.
    func withTemporaryCopy(of changeset: Changeset, keeping table: String, _ body: (Changeset) throws -> Void) throws {
        let scratch = folder.path("scratch-\(UUID().uuidString).db")
        let (copy, _) = try Registry.create(at: scratch)
        try copy.db.executeScript("PRAGMA foreign_keys = OFF")
        let session = try Session(db: copy.db)
        try session.attach(table)
        try copy.db.apply(changeset) { _ in .omit }
        try body(try session.changeset())
    }
    func countyProjectNamed(_ site: String, code: String) throws {
        try registry(site).write(Self.context(site, "project add")) { writer in
            try writer.addProject(
                ProjectFields(
                    code: code, name: "项目\(code)", park: "HF-GX", enterprise: Self.enterprise, sector: "nev", plannedInvestment: "1亿",
                    signedOn: "2026-03-01"))
        }
    }
}

/// A suite over `SyncSites`: its sites and helpers, by name.
protocol SyncSuite {
    var sites: SyncSites { get }
}

extension SyncSuite {
    var hq: Registry { sites.hq }
    var hf: Registry { sites.hf }
    var lf: Registry { sites.lf }
    var keys: [String: SiteKey] { sites.keys }
    var folder: TemporaryDirectory { sites.folder }
    static func context(_ site: String, _ command: String) -> WriteContext { SyncSites.context(site, command) }
    static var enterprise: String { SyncSites.enterprise }
    func registry(_ code: String) -> Registry { sites.registry(code) }
    func export(from sender: String, to receiver: String, resend: Bool = false) throws -> [UInt8] {
        try sites.export(from: sender, to: receiver, resend: resend)
    }
    @discardableResult
    func apply(_ bytes: [UInt8], at receiver: String, name: String = "bundle.sync") throws -> AppliedSync {
        try sites.apply(bytes, at: receiver, name: name)
    }
    @discardableResult
    func send(from sender: String, to receiver: String) throws -> AppliedSync { try sites.send(from: sender, to: receiver) }
    func countyProject(_ site: String, _ number: Int, investment: String, signedOn: String = "2026-03-01") throws {
        try sites.countyProject(site, number, investment: investment, signedOn: signedOn)
    }
    func countyProjectNamed(_ site: String, code: String) throws { try sites.countyProjectNamed(site, code: code) }
    func fundsWork(_ site: String, project: String) throws { try sites.fundsWork(site, project: project) }
    func expectVerified(_ codes: [String] = ["HQ", "HF", "LF"]) throws { try sites.expectVerified(codes) }
    func fileBytes(_ site: String) throws -> Data { try sites.fileBytes(site) }
    func forge(from sender: String, changeset: Changeset, fromSeq: Int64, schemaVersion: Int? = nil, signer: String? = nil) throws -> [UInt8] {
        try sites.forge(from: sender, changeset: changeset, fromSeq: fromSeq, schemaVersion: schemaVersion, signer: signer)
    }
    func withTemporaryCopy(of changeset: Changeset, keeping table: String, _ body: (Changeset) throws -> Void) throws {
        try sites.withTemporaryCopy(of: changeset, keeping: table, body)
    }
}
