import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// County sync: what a bundle may not do, and keys that never collide.
@Suite struct SyncRefusalTests: SyncSuite {
    let sites: SyncSites

    init() throws {
        sites = try SyncSites()
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

    @Test func lengthsInAForgedEnvelopeCannotOverflow() throws {
        for (payload, provenance) in [(Int.max, 1), (1, Int.max), (Int.max, Int.max), (-1, 0)] {
            let envelope = SyncBundle.Envelope(
                format: 1, sender: "HF", senderName: "HF", senderRegistry: "", receiver: "HQ", number: 1, fromSeq: 0, toSeq: 1, schemaVersion: 1,
                senderHead: "0:0", previous: SyncBundle.noPrevious, acknowledges: 0, createdAt: "2026-12-01T00:00:00Z", changes: 0,
                payloadBytes: payload, payloadSha256: "", provenanceBytes: provenance, provenanceSha256: "")
            let bytes =
                Array("registry-sync 1\n".utf8) + Array(try JSONEncoder.sync.encode(envelope)) + Array("\ned25519:\(String(repeating: "ab", count: 64))\n".utf8)
                + Array("xyz".utf8)
            #expect(throws: SyncError.self) { try apply(bytes, at: "HQ") }
        }
    }
}
