import Foundation
import RegistryDomain
import Testing

@testable import RegistryWeb

/// The figures kept per data version: fresh at the same version, the version
/// before for at most the refresh interval, and never older than a session's
/// own last write.
@Suite struct FigureCacheTests {
    static func head(_ seq: Int64) -> LogHead { LogHead(seq: seq, hash: String(repeating: String(seq % 10), count: 64)) }

    @Test func staleForAtMostTheIntervalAndNeverOlderThanYourOwnWrite() throws {
        let cache = FigureCache(refreshInterval: 0.3)
        var computed = 0
        func value(_ seq: Int64, atLeast: Int64? = nil) -> (Int, Int64) {
            let (value, head) = cache.value("k", head: Self.head(seq), atLeast: atLeast) { () -> Int in
                computed += 1
                return Int(seq)
            }
            return (value, head.seq)
        }
        #expect(value(1) == (1, 1))
        #expect(value(1) == (1, 1) && computed == 1, "the same version is not recomputed")
        // A write moved the version on: within the interval, the figures before (and their version).
        #expect(value(2) == (1, 1) && computed == 1)
        // Unless this session wrote version 2 itself.
        #expect(value(2, atLeast: 2) == (2, 2) && computed == 2)
        #expect(value(3) == (2, 2))
        Thread.sleep(forTimeInterval: 0.35)
        #expect(value(3) == (3, 3) && computed == 3, "recomputed once the interval has passed")
    }

    @Test func aClerkSeesTheirOwnProjectOnTheDashboardAtOnce() async throws {
        let harness = try WebHarness()
        let year = ISODate.today().year
        try await harness.serve { factory in
            let clerk = try await factory.signedIn(.clerk)
            func count() async throws -> Int {
                let page = try await clerk.get("/?year=\(year)")
                return Int(Browser.firstMatch(#"共引进招商项目(\d+)个"#, in: page.body) ?? "") ?? -1
            }
            let before = try await count()
            _ = try await clerk.get("/projects/new")
            let added = try await clerk.post(
                "/projects",
                [
                    ("code", "SW-\(year)-RYW"), ("name", "即时可见项目"), ("kind", "investment"), ("park", "SW-GX"),
                    ("enterprise", "91440300192317458F"), ("sector", "new-energy"), ("planned_investment", "1亿"), ("signed_on", ISODate.today().description),
                ])
            #expect(added.status == .seeOther, "\(added.body.prefix(300))")
            #expect(try await count() == before + 1)
            let list = try await clerk.get("/projects?year=\(year)")
            #expect(list.body.contains("SW-\(year)-RYW"))
        }
    }
}
