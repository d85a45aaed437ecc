import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain
@testable import RegistryStorage

/// Random sequences of work, exports and deliveries between three sites
/// (deterministic by seed): bundles delivered late, twice, or out of order.
/// Every site's `verify` holds throughout, and once everything is delivered
/// headquarters holds exactly the union of the sites' own projects and
/// payments, and its report counts each once.
@Suite struct SyncSequenceTests: SyncSuite {
    let sites: SyncSites

    init() throws {
        sites = try SyncSites()
    }

    /// A bundle made and not yet delivered.
    struct Mail {
        let from: String
        let to: String
        let bytes: [UInt8]
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func anySequenceEndsWithTheUnionAtHeadquarters(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var mailbag: [Mail] = []
        var projects: [String: [String]] = ["HF": [], "LF": []]
        var delivered = 0, duplicates = 0, outOfOrder = 0
        for step in 0..<80 {
            let county = Bool.random(using: &random) ? "HF" : "LF"
            switch Int.random(in: 0..<12, using: &random) {
            case 0, 1, 2:
                let number = projects[county]!.count + 1
                try countyProject(county, number, investment: "\(Int.random(in: 1...90, using: &random))00万")
                projects[county]!.append("\(county)-2026-\(number)")
            case 3:
                guard let code = projects[county]!.randomElement(using: &random) else { continue }
                try registry(county).write(Self.context(county, "project update")) {
                    _ = try $0.updateProject(code: code, ProjectFields(plannedInvestment: "\(Int.random(in: 1...90, using: &random))亿", notes: "第\(step)步"))
                }
            case 4:
                guard let code = projects[county]!.randomElement(using: &random),
                    try registry(county).project(code: code).project.stage == .signed
                else { continue }
                try registry(county).write(Self.context(county, "project stage")) { _ = try $0.changeStage(code: code, to: "construction", on: "2026-06-01") }
            case 5:
                guard let code = projects[county]!.randomElement(using: &random) else { continue }
                try fundsWork(county, project: code)
            case 6:
                try registry("HQ").write(Self.context("HQ", "park add")) {
                    try $0.addPark(ParkFields(code: "P-\(step)", name: "新园区\(step)", level: "county", county: "陆河县"))
                }
            case 7, 8:
                let sender = Bool.random(using: &random) ? county : "HQ"
                mailbag.append(Mail(from: sender, to: sender == "HQ" ? county : "HQ", bytes: try export(from: sender, to: sender == "HQ" ? county : "HQ")))
            default:
                guard !mailbag.isEmpty else { continue }
                // Deliver one bundle: sometimes a later one first (refused when it skips changes: nothing changes), sometimes one twice.
                let pick = Int.random(in: 0..<mailbag.count, using: &random)
                let mail = mailbag[pick]
                // A bundle that carries changes must come before the later ones
                // (an empty one, an acknowledgement only, may come in any order).
                let earlier = try mailbag[..<pick].contains { other in
                    guard other.from == mail.from && other.to == mail.to else { return false }
                    let envelope = try SyncBundle.parse(other.bytes, path: "earlier").envelope
                    return envelope.fromSeq < envelope.toSeq
                }
                if earlier {
                    let head = try registry(mail.to).logHead()
                    #expect(throws: SyncError.self) { try apply(mail.bytes, at: mail.to) }
                    #expect(try registry(mail.to).logHead() == head)
                    outOfOrder += 1
                    continue
                }
                try apply(mail.bytes, at: mail.to)
                delivered += 1
                if Bool.random(using: &random) {
                    #expect(try apply(mail.bytes, at: mail.to).alreadyApplied)
                    duplicates += 1
                }
                mailbag.remove(at: pick)
            }
            if step % 15 == 14 { try expectVerified() }
        }
        // Everything still in the bag, in order, then a last round both ways.
        for mail in mailbag { try apply(mail.bytes, at: mail.to) }
        for county in ["HF", "LF"] {
            try send(from: county, to: "HQ")
            try send(from: "HQ", to: county)
        }
        try expectVerified()

        // Headquarters holds each county's own projects as the county has them, once.
        var union: [String: (Money, ProjectStage)] = [:]
        for project in try hq.projects(ProjectFilter()) where project.project.code.hasPrefix("SW-") {
            union[project.project.code] = (project.project.plannedInvestment, project.project.stage)
        }
        for county in ["HF", "LF"] {
            for project in try registry(county).projects(ProjectFilter()) {
                union[project.project.code] = (project.project.plannedInvestment, project.project.stage)
            }
        }
        let atHeadquarters = try hq.projects(ProjectFilter())
        #expect(atHeadquarters.count == union.count)
        for project in atHeadquarters {
            #expect(union[project.project.code]?.0 == project.project.plannedInvestment, "\(project.project.code)")
            #expect(union[project.project.code]?.1 == project.project.stage, "\(project.project.code)")
        }
        let report = try hq.yearReport(2026, asOf: ISODate(iso: "2026-12-31")!)
        #expect(report.totals.projects == union.count)
        #expect(report.totals.investment == Money.sum(union.values.map(\.0)))
        // And every payment, once.
        let payments = try ["HF", "LF"].reduce(0) { $0 + (try registry($1).db.scalar("SELECT count(*) FROM disbursement", as: Int.self) ?? 0) }
        #expect(try hq.db.scalar("SELECT count(*) FROM disbursement", as: Int.self) == payments)
        // The counties have headquarters' parks.
        let parks = try hq.db.scalar("SELECT count(*) FROM park", as: Int.self)
        for county in ["HF", "LF"] { #expect(try registry(county).db.scalar("SELECT count(*) FROM park", as: Int.self) == parks) }
        print("sync sequence \(seed): \(delivered) delivered, \(duplicates) twice, \(outOfOrder) out of order refused, \(union.count) projects")
    }
}
