import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// County sync: bundles between three sites, in any legal order, and conflicts.
@Suite struct SyncTests: SyncSuite {
    let sites: SyncSites

    init() throws {
        sites = try SyncSites()
    }

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

    @Test func anEnterpriseAddedAtBothSitesIsAConflictOnlyWhenItDiffers() throws {
        let same = USCCSamples.make(801)
        let differing = USCCSamples.make(802)
        for (registry, site) in [(hq, "HQ"), (hf, "HF")] {
            try registry.write(Self.context(site, "enterprise add")) { writer in
                try writer.addEnterprise(EnterpriseFields(uscc: same, name: "两地同录企业", city: "汕尾"))
                try writer.addEnterprise(EnterpriseFields(uscc: differing, name: site == "HQ" ? "总部录入名称" : "县里录入名称", city: "汕尾"))
            }
        }
        let bundle = try export(from: "HF", to: "HQ")
        do {
            try apply(bundle, at: "HQ")
            Issue.record("a differing enterprise was applied")
        } catch SyncError.conflicts(let conflicts) {
            #expect(conflicts.map(\.key) == [differing], "the identical one is no conflict")
            #expect(conflicts.first?.kind == .addedAtBoth)
            #expect(conflicts.first?.columns.map(\.column) == ["name"])
        }
        _ = try hq.resolveSync(bundle, path: "bundle.sync", rows: ["enterprise:\(differing)"], keep: .here, note: "以工商登记为准", actor: "审核员")
        let applied = try apply(bundle, at: "HQ")
        #expect(applied.alreadyHere == 1 && applied.resolved == 1)
        try expectVerified(["HQ", "HF"])
    }

    @Test func lostAndResentBundlesDoNotBreakTheChain() throws {
        try countyProject("HF", 1, investment: "1亿")
        let first = try export(from: "HF", to: "HQ")
        let resent = try export(from: "HF", to: "HQ", resend: true)  // the same changes again, as bundle 2
        try apply(first, at: "HQ")
        #expect(try apply(resent, at: "HQ").alreadyApplied, "its changes are in already")
        _ = try export(from: "HQ", to: "HF")  // headquarters' answer, lost on the way
        try countyProject("HF", 2, investment: "1亿")
        let third = try apply(try export(from: "HF", to: "HQ"), at: "HQ")  // names bundle 2, which HQ never recorded
        #expect(!third.alreadyApplied && third.number == 3)
        let answer = try send(from: "HQ", to: "HF")  // the next answer arrives after a lost one
        #expect(answer.acknowledges == 2)
        try expectVerified(["HQ", "HF"])
    }
}
