import Crypto
import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// County sync through the built binary, as the sites' staff run it
/// (Documentation/Sync.md): keys in a folder of the test's own.
@Suite struct SyncCLITests: CLISuite {
    let cli: CLIHarness
    var keys: String { folder.path("keys") }

    init() throws {
        cli = try CLIHarness()
    }

    /// `registry --db <site>.db arguments...` with the test's key folder.
    @discardableResult
    func at(_ site: String, _ arguments: String..., actor: String? = nil) throws -> RegistryBinary.Result {
        try cli.registry(arguments, db: folder.path("\(site).db"), actor: actor, environment: ["REGISTRY_KEY_DIR": keys])
    }

    func expectOK(_ result: RegistryBinary.Result, _ what: String) {
        #expect(result.status == 0, "\(what): \(result.stderr)")
    }

    /// The public key `site key` printed (its last line).
    func publicKey(_ result: RegistryBinary.Result) -> String {
        String(result.stdout.split(separator: "\n").last ?? "")
    }

    /// HQ (with the seeds), HF and LF, each trusting the others' keys as the README says.
    @discardableResult
    func threeSites() throws -> String {
        expectOK(try at("HQ", "init", "--site", "HQ", "--site-name", "深汕指挥部"), "init HQ")
        expectOK(try at("HQ", "seed"), "seed")
        let hqKey = publicKey(try at("HQ", "site", "key"))
        for county in ["HF", "LF"] {
            expectOK(try at(county, "init", "--site", county, "--site-name", "\(county)工作组"), "init \(county)")
            let key = publicKey(try at(county, "site", "key"))
            #expect(key.hasPrefix("ed25519:") && key.utf8.count == 72)
            expectOK(try at(county, "site", "add", "HQ", "--name", "总部", "--key", hqKey), "site add HQ")
            expectOK(try at("HQ", "site", "add", county, "--name", "\(county)工作组", "--key", key), "site add \(county)")
            expectOK(try at("HQ", "sync", "export", "--to", county, "--output", folder.path("HQ-to-\(county)-1.sync")), "export to \(county)")
            expectOK(try at(county, "sync", "apply", folder.path("HQ-to-\(county)-1.sync")), "apply at \(county)")
        }
        return hqKey
    }

    func countyProject(_ site: String, _ code: String, park: String, investment: String) throws {
        let enterprise = try at(site, "enterprise", "list", "--format", "csv").stdout.split(whereSeparator: \.isNewline)[1].split(separator: ",")[0]
        expectOK(
            try at(
                site, "project", "add", "--code", code, "--name", "\(site)项目\(code)", "--park", park, "--enterprise", String(enterprise),
                "--sector", "nev", "--planned-investment", investment, "--signed-on", "2026-03-01", actor: "\(site)职员"), "project add \(code)")
    }

    @Test func aCountyAndHeadquartersWorkTogether() throws {
        try threeSites()
        try countyProject("HF", "HF-2026-001", park: "HF-ST", investment: "2亿")
        expectOK(try at("HF", "sync", "export", "--output", folder.path("HF-0001.sync")), "HF export")
        try countyProject("LF", "LF-2026-001", park: "HF-ST", investment: "3亿")
        expectOK(try at("LF", "sync", "export", "--output", folder.path("LF-0001.sync")), "LF export")

        let before = try at("HQ", "report", "year", "2026", "--as-of", "2026-12-31", "--format", "json").stdout
        let applied = try at("HQ", "sync", "apply", folder.path("HF-0001.sync"))
        expectOK(applied, "apply HF")
        #expect(applied.stdout.contains("bundle 1 of site HF"))
        expectOK(try at("HQ", "sync", "apply", folder.path("LF-0001.sync")), "apply LF")
        let again = try at("HQ", "sync", "apply", folder.path("HF-0001.sync"))
        #expect(again.status == 0 && again.stdout.contains("applied here before"))

        let report = try at("HQ", "report", "year", "2026", "--as-of", "2026-12-31")
        #expect(report.stdout.contains("HF 第1号") && report.stdout.contains("LF 第1号"))
        let json = try at("HQ", "report", "year", "2026", "--as-of", "2026-12-31", "--format", "json").stdout
        func bundles(_ text: String) throws -> [[String: Any]] {
            let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            return try #require(document?["sync_bundles"] as? [[String: Any]])
        }
        #expect(try bundles(before).isEmpty)
        #expect(try bundles(json).compactMap { $0["site"] as? String } == ["HF", "LF"])
        let status = try at("HQ", "sync", "status")
        #expect(status.stdout.contains("HF") && status.stdout.contains("第 1 包"))
        for site in ["HQ", "HF", "LF"] { expectOK(try at(site, "verify"), "verify \(site)") }

        // Back at the county: HQ's answer acknowledges what it applied.
        expectOK(try at("HQ", "sync", "export", "--to", "HF", "--output", folder.path("HQ-to-HF-2.sync")), "answer")
        let back = try at("HF", "sync", "apply", folder.path("HQ-to-HF-2.sync"))
        #expect(back.stdout.contains("HQ has applied this site's changes up to 1"), "\(back.stdout)")
    }

    @Test func aCountyMakesNoKeyOfAnotherSiteAndChangesNoParkOfHeadquarters() throws {
        try threeSites()
        let unprefixed = try at(
            "HF", "project", "add", "--code", "SW-2026-900", "--name", "无前缀", "--kind", "wellbeing", "--planned-investment", "1亿", "--signed-on", "2026-03-01")
        #expect(unprefixed.status == 65 && unprefixed.stderr.contains("HF-"))
        let park = try at("HF", "park", "update", "HF-ST", "--name", "改名")
        #expect(park.status == 65 && park.stderr.contains("headquarters"))
        let fund = try at("HQ", "fund", "add", "--code", "LF-ZX-2026", "--name", "冒名资金", "--source", "other", "--year", "2026", "--budget", "1万")
        #expect(fund.status == 65 && fund.stderr.contains("LF"))
    }

    @Test func tamperedForgedAndUnknownBundlesAreRefusedAndHeadquartersKeepsItsBytes() throws {
        let hqKey = try threeSites()
        try countyProject("HF", "HF-2026-001", park: "HF-ST", investment: "2亿")
        let good = folder.path("HF-0001.sync")
        expectOK(try at("HF", "sync", "export", "--output", good), "export")
        let goodBytes = Array(try Data(contentsOf: URL(fileURLWithPath: good)))

        var flipped = goodBytes
        flipped[goodBytes.count - 20] ^= 0x04
        try Data(flipped).write(to: URL(fileURLWithPath: folder.path("flipped.sync")))
        try Data(goodBytes.dropLast(7)).write(to: URL(fileURLWithPath: folder.path("truncated.sync")))

        // A registry pretending to be HF, signing with a key HQ never registered…
        func impostor(_ name: String, code: String, keyArguments: [String]) throws {
            expectOK(try at(name, "init", "--site", "HF"), "\(name) init")
            expectOK(try at(name, "site", "add", "HQ", "--name", "总部", "--key", hqKey), "\(name) site add")
            if keyArguments.isEmpty {
                let made = try cli.registry(["site", "key"], db: folder.path("\(name).db"), environment: ["REGISTRY_KEY_DIR": folder.path("\(name)-keys")])
                expectOK(made, "\(name) key")
            }
            expectOK(
                try at(
                    name, "project", "add", "--code", code, "--name", "冒名项目\(code)", "--kind", "wellbeing", "--planned-investment", "9亿", "--signed-on",
                    "2026-03-01"),
                "\(name) project")
            let export = try cli.registry(
                ["sync", "export", "--output", folder.path("\(name).sync")] + keyArguments, db: folder.path("\(name).db"),
                environment: ["REGISTRY_KEY_DIR": folder.path("\(name)-keys")])
            expectOK(export, "\(name) export")
        }
        try impostor("unregistered-key", code: "HF-2026-666", keyArguments: [])
        // …and one signing with LF's own key in HF's name.
        let lfKey = try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasPrefix("LF-") }!
        try impostor("lf-key", code: "HF-2026-667", keyArguments: ["--key", keys + "/" + lfKey])
        // A bundle for another site, and one from a site HQ does not know.
        expectOK(try at("LF", "sync", "export", "--output", folder.path("LF-0001.sync")), "LF export")
        try at("HQ", "sync", "export", "--to", "LF", "--output", folder.path("for-LF.sync"))

        let before = try bytes(folder.path("HQ.db"))
        // A bundle from a newer registry (schema version 99), properly signed with HF's own key.
        let hfKeyFile = try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasPrefix("HF-") }!
        let keyHex = try String(contentsOfFile: keys + "/" + hfKeyFile, encoding: .utf8).split(separator: "\n")[1]
        let hfKey = try Curve25519.Signing.PrivateKey(rawRepresentation: Hex.strictBytes(String(keyHex))!)
        let newlines = goodBytes.indices.filter { goodBytes[$0] == 0x0A }.prefix(3)
        let envelope = String(decoding: goodBytes[(newlines[0] + 1)..<newlines[1]], as: UTF8.self)
        let version = try #require(envelope.firstRange(of: /"schema_version":[0-9]+/))
        let newer = Array(envelope.replacingCharacters(in: version, with: "\"schema_version\":99").utf8)
        let signature = Hex.lowercase(try hfKey.signature(for: newer))
        let forged = Array("registry-sync 1\n".utf8) + newer + Array("\ned25519:\(signature)\n".utf8) + goodBytes[(newlines[2] + 1)...]
        try Data(forged).write(to: URL(fileURLWithPath: folder.path("newer-schema.sync")))

        let reasons = [
            "newer-schema": "schema version 99",
            "flipped": "changed after it was signed", "truncated": "truncated", "unregistered-key": "not signed by the key registered",
            "lf-key": "not signed by the key registered",
        ]
        for (name, reason) in reasons {
            let result = try at("HQ", "sync", "apply", folder.path("\(name).sync"))
            #expect(result.status == 65, "\(name): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(reason) && result.stderr.contains("nothing was applied"), "\(name): \(result.stderr)")
        }
        let addressed = try at("LF", "sync", "apply", folder.path("HF-0001.sync"))
        #expect(addressed.status == 65 && addressed.stderr.contains("addressed to site HQ"))
        #expect(try bytes(folder.path("HQ.db")) == before, "refused bundles leave headquarters' file as it was")
        expectOK(try at("HQ", "sync", "apply", good), "the good bundle still applies")
    }

    @Test func aConflictIsListedAndResolvedInEitherDirection() throws {
        try threeSites()
        try countyProject("HF", "HF-2026-001", park: "HF-ST", investment: "2亿")
        try countyProject("HF", "HF-2026-002", park: "HF-ST", investment: "1亿")
        expectOK(try at("HF", "sync", "export", "--output", folder.path("HF-1.sync")), "export 1")
        expectOK(try at("HQ", "sync", "apply", folder.path("HF-1.sync")), "apply 1")
        expectOK(try at("HQ", "project", "update", "HF-2026-001", "--planned-investment", "2.5亿", actor: "总部李"), "HQ edit")
        expectOK(try at("HF", "project", "update", "HF-2026-001", "--planned-investment", "2.2亿", actor: "县里王"), "HF edit")
        expectOK(try at("HF", "project", "update", "HF-2026-002", "--notes", "已开工准备", actor: "县里王"), "HF edit 2")
        expectOK(try at("HF", "sync", "export", "--output", folder.path("HF-2.sync")), "export 2")

        let stopped = try at("HQ", "sync", "apply", folder.path("HF-2.sync"))
        #expect(stopped.status == 1)
        for text in ["HF-2026-001", "planned_investment_fen", "2.50亿元", "2.20亿元", "总部李", "县里王"] {
            #expect(stopped.stderr.contains(text), "\(text) in \(stopped.stderr)")
        }
        let resolved = try at("HQ", "sync", "resolve", folder.path("HF-2.sync"), "--keep", "sender", "--note", "以县里批复为准", actor: "审核员")
        expectOK(resolved, "resolve")
        let shown = try at("HQ", "project", "show", "HF-2026-001").stdout
        #expect(shown.contains("2.20亿元"))
        #expect(try at("HQ", "project", "show", "HF-2026-002").stdout.contains("已开工准备"), "the rest of the bundle is applied")
        let log = try at("HQ", "log", "--table", "sync_resolution", "--format", "csv").stdout
        #expect(log.contains("审核员"))
        expectOK(try at("HQ", "verify"), "verify")
    }
}
