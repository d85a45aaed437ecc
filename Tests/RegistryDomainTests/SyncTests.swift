import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// County sync on real database files: headquarters (HQ) and two counties
/// (HF 海丰县, LF 陆丰市), each with its own registry and signing key.
@Suite struct SyncTests {
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

    // MARK: Three sites

    @Test func threeSitesReachHeadquartersInAnyLegalOrderAndCountOnce() throws {
        try countyProject("HF", 1, investment: "2亿")
        try fundsWork("HF", project: "HF-2026-1")
        let hf1 = try export(from: "HF", to: "HQ")
        try countyProject("HF", 2, investment: "1.5亿")
        try registry("HF").write(Self.context("HF", "stage")) { try $0.changeStage(code: "HF-2026-1", to: "construction", on: "2026-05-01") }
        let hf2 = try export(from: "HF", to: "HQ")
        try countyProject("LF", 1, investment: "4亿")
        try fundsWork("LF", project: "LF-2026-1")
        let lf1 = try export(from: "LF", to: "HQ")

        // LF first, then HF in its own order.
        try apply(lf1, at: "HQ")
        #expect(throws: SyncError.self) { try apply(hf2, at: "HQ") }  // bundle 1 is missing
        try apply(hf1, at: "HQ")
        let second = try apply(hf2, at: "HQ")
        #expect(second.counts.contains { $0.table == "project" && $0.inserted == 1 && $0.updated == 1 })
        let again = try apply(hf2, at: "HQ")
        #expect(again.alreadyApplied)
        let headAfter = try hq.logHead()
        #expect(try apply(hf1, at: "HQ").alreadyApplied)
        #expect(try hq.logHead() == headAfter, "a bundle applied again changes nothing")

        // Headquarters' figures are the union of the sites' own projects.
        let report = try hq.yearReport(2026, asOf: ISODate(iso: "2026-12-31")!)
        var union = Money.zero
        var count = 0
        for site in ["HQ", "HF", "LF"] {
            for project in try registry(site).projects(ProjectFilter(year: 2026)) where project.project.code.hasPrefix(site == "HQ" ? "SW-" : site + "-") {
                union = union.adding(project.project.plannedInvestment)!
                count += 1
            }
        }
        #expect(report.totals.projects == count)
        #expect(report.totals.projects == 4)
        #expect(report.totals.investment == union)
        #expect(report.syncedBundles.map(\.sender) == ["HF", "LF"])
        #expect(report.syncedBundles.map(\.number) == [2, 1])
        // Payments of both counties are at headquarters, once each.
        #expect(try hq.db.scalar("SELECT count(*) FROM disbursement", as: Int.self) == 2)
        try expectVerified()

        // Headquarters answers: the counties learn what it applied.
        try send(from: "HQ", to: "HF")
        let status = try hf.syncStatus()
        #expect(status.peers.first?.acknowledged == status.outboxSeq)
    }

    @Test func aMissingBundleIsNamed() throws {
        try countyProject("HF", 1, investment: "1亿")
        _ = try export(from: "HF", to: "HQ")  // lost on the way
        try countyProject("HF", 2, investment: "1亿")
        let second = try export(from: "HF", to: "HQ")
        let before = try fileBytes("HQ")
        do {
            try apply(second, at: "HQ")
            Issue.record("a gap was applied")
        } catch let error as SyncError {
            guard case .gap(_, let sender, let number, _, let lastNumber, _) = error else { throw error }
            #expect(sender == "HF" && number == 2 && lastNumber == 0)
            #expect(error.description.contains("bundle 1 is missing"))
        }
        #expect(try fileBytes("HQ") == before)
        // Sent again from what headquarters acknowledged: everything arrives.
        let resent = try export(from: "HF", to: "HQ", resend: true)
        try apply(resent, at: "HQ")
        #expect(try hq.projects(ProjectFilter(year: 2026)).count == 3)
        try expectVerified()
    }

    // MARK: Conflicts

    @Test func aRowChangedAtBothSitesStopsTheApplyUntilResolved() throws {
        try countyProject("HF", 1, investment: "2亿")
        try countyProject("HF", 2, investment: "1亿")
        try send(from: "HF", to: "HQ")
        try hq.write(Self.context("HQ", "project update")) { _ = try $0.updateProject(code: "HF-2026-1", ProjectFields(name: "总部改名")) }
        try hf.write(Self.context("HF", "project update")) { writer in
            _ = try writer.updateProject(code: "HF-2026-1", ProjectFields(name: "县里改名"))
            _ = try writer.updateProject(code: "HF-2026-2", ProjectFields(plannedInvestment: "1.2亿"))
        }
        let bundle = try export(from: "HF", to: "HQ")
        let head = try hq.logHead()
        do {
            try apply(bundle, at: "HQ")
            Issue.record("a conflict was applied")
        } catch SyncError.conflicts(let conflicts) {
            #expect(conflicts.count == 1)
            let conflict = try #require(conflicts.first)
            #expect(conflict.table == "project" && conflict.key == "HF-2026-1")
            #expect(conflict.columns.map(\.column) == ["name"])
            #expect(conflict.columns.first?.here == "总部改名" && conflict.columns.first?.sender == "县里改名")
            #expect(conflict.changedHere?.contains("HQ职员") == true)
            #expect(conflict.changedThere?.contains("HF职员") == true)
        }
        #expect(try hq.logHead() == head, "nothing applied")

        let settled = try hq.resolveSync(bundle, path: "bundle.sync", rows: ["project:HF-2026-1"], keep: .sender, note: "以县里为准", actor: "审核员")
        #expect(settled.count == 1)
        let applied = try apply(bundle, at: "HQ")
        #expect(applied.resolved == 1)
        #expect(try hq.project(code: "HF-2026-1").project.name == "县里改名")
        #expect(try hq.project(code: "HF-2026-2").project.plannedInvestment == Money(fen: 12_000_000_000), "the rest of the bundle is not lost")
        let resolutions = try hq.changes(LogFilter(table: "sync_resolution"))
        #expect(resolutions.count == 1 && resolutions.first?.entry.actor == "审核员")
        try expectVerified(["HQ", "HF"])
    }

    @Test func keepingThisSitesRowIsRecordedToo() throws {
        try countyProject("HF", 1, investment: "2亿")
        try send(from: "HF", to: "HQ")
        try hq.write(Self.context("HQ", "project update")) { _ = try $0.updateProject(code: "HF-2026-1", ProjectFields(notes: "总部核实")) }
        try hf.write(Self.context("HF", "project update")) { _ = try $0.updateProject(code: "HF-2026-1", ProjectFields(notes: "县里备注")) }
        let bundle = try export(from: "HF", to: "HQ")
        _ = try hq.resolveSync(bundle, path: "bundle.sync", rows: [], keep: .here, note: nil, actor: "审核员")
        try apply(bundle, at: "HQ")
        #expect(try hq.project(code: "HF-2026-1").project.notes == "总部核实")
        #expect(try hq.changes(LogFilter(table: "sync_resolution")).count == 1)
        try expectVerified(["HQ"])
    }

    // MARK: Refusals

    @Test func aPaymentToAnAllocationHeadquartersNeverReceivedIsRefused() throws {
        try countyProject("HF", 1, investment: "2亿")
        try send(from: "HF", to: "HQ")
        try fundsWork("HF", project: "HF-2026-1")
        // A county whose software dropped the allocation: the payment alone, signed by HF.
        let outbox = try hf.db.rows("SELECT changeset FROM sync_outbox ORDER BY seq DESC LIMIT 1")
        guard case .blob(let data) = outbox[0]["changeset"] else { throw CancellationError() }
        var onlyPayment: Changeset?
        try withTemporaryCopy(of: Changeset(bytes: Array(data)), keeping: "disbursement") { onlyPayment = $0 }
        let bytes = try forge(from: "HF", changeset: try #require(onlyPayment), fromSeq: 1)
        let before = try fileBytes("HQ")
        do {
            try apply(bytes, at: "HQ")
            Issue.record("a dangling payment was applied")
        } catch SyncError.danglingReferences(_, let rows) {
            #expect(rows.contains { $0.contains("disbursement D-HF-2026-000001") && $0.contains("allocation") })
        }
        #expect(try fileBytes("HQ") == before)
    }

    @Test func aCountyChangeIntoAClosedYearIsRefused() throws {
        try hq.write(Self.context("HQ", "year close")) { _ = try $0.closeYear("2025", reason: "年报已报送") }
        try countyProject("HF", 1, investment: "2亿", signedOn: "2025-11-01")
        do {
            try send(from: "HF", to: "HQ")
            Issue.record("a project of a closed year was applied")
        } catch SyncError.rowRefused(let sender, let table, let key, let reason) {
            #expect(sender == "HF" && table == "project" && key == "HF-2026-1")
            #expect(reason.contains("2025") && reason.contains("closed"))
        }
    }

    @Test func aCountyChangeToAParkHeadquartersOwnsIsRefused() throws {
        // The county cannot do it through registry…
        #expect(throws: InvalidValue.self) {
            try hf.write(Self.context("HF", "park update")) { _ = try $0.updatePark(code: "HF-GX", ParkFields(name: "改名")) }
        }
        // …and a bundle that carries it anyway (made with the sqlite3 shell and signed) is refused.
        let session = try Session(db: hf.db)
        try session.attach("park")
        try hf.db.execute("UPDATE park SET name = '改名' WHERE code = 'HF-GX'")
        let bytes = try forge(from: "HF", changeset: try session.changeset(), fromSeq: 0)
        do {
            try apply(bytes, at: "HQ")
            Issue.record("a county's park change was applied")
        } catch SyncError.rowRefused(_, let table, let key, _) {
            #expect(table == "park" && key == "HF-GX")
        }
    }

    @Test func tamperedForgedAndNewerBundlesAreRefusedLeavingTheFileAsItWas() throws {
        try countyProject("HF", 1, investment: "2亿")
        let good = try export(from: "HF", to: "HQ")
        let before = try fileBytes("HQ")
        var flipped = good
        flipped[flipped.count - 10] ^= 0x01
        var inEnvelope = good
        inEnvelope[30] ^= 0x01
        let truncated = Array(good.dropLast(5))
        let newer = try forge(from: "HF", changeset: try SyncBundle.parse(good, path: "x").changeset, fromSeq: 0, schemaVersion: 99)
        let byLF = try forge(from: "HF", changeset: try SyncBundle.parse(good, path: "x").changeset, fromSeq: 0, signer: "LF")
        for bad in [flipped, inEnvelope, truncated, newer, byLF, [], Array("not a bundle".utf8)] {
            #expect(throws: SyncError.self) { try apply(bad, at: "HQ") }
        }
        #expect(try fileBytes("HQ") == before)
        try apply(good, at: "HQ")
    }

    @Test func countyCodesCarryTheSite() throws {
        #expect(throws: InvalidValue.self) { try countyProjectNamed("HF", code: "2026-777") }
        #expect(throws: InvalidValue.self) { try countyProjectNamed("HF", code: "LF-2026-777") }
        try countyProjectNamed("HF", code: "HF-2026-777")
        // Headquarters cannot make a county's code either.
        #expect(throws: InvalidValue.self) {
            try hq.write(Self.context("HQ", "fund add")) {
                try $0.addFund(FundFields(code: "HF-ZX-2026", name: "假冒县级资金", source: "other", year: "2026", budget: "1万"))
            }
        }
    }

    @Test func headquartersKeepsItsRowsThatBeginWithANewCountysCode() throws {
        try hq.write(Self.context("HQ", "fund add")) {
            try $0.addFund(FundFields(code: "LH-PARK-2025", name: "陆河园区资金", source: "park-fund", year: "2025", budget: "1亿"))
        }
        let key = SiteKey.generate()
        try hq.write(Self.context("HQ", "site add")) { try $0.addSite(code: "LH", name: "陆河县工作组", publicKey: key.publicKeyText) }
        // Still headquarters' to correct (the key alone would now name LH)…
        try hq.write(Self.context("HQ", "fund update")) { _ = try $0.updateFund(code: "LH-PARK-2025", FundFields(notes: "总部资金")) }
        // …but no new record of headquarters takes LH's code.
        #expect(throws: InvalidValue.self) {
            try hq.write(Self.context("HQ", "fund add")) {
                try $0.addFund(FundFields(code: "LH-NEW-2026", name: "新资金", source: "park-fund", year: "2026", budget: "1亿"))
            }
        }
    }

    func countyProjectNamed(_ site: String, code: String) throws {
        try registry(site).write(Self.context(site, "project add")) { writer in
            try writer.addProject(
                ProjectFields(
                    code: code, name: "项目\(code)", park: "HF-GX", enterprise: Self.enterprise, sector: "nev", plannedInvestment: "1亿",
                    signedOn: "2026-03-01"))
        }
    }

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
}
