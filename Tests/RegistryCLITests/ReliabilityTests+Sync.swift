import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// SIGKILL during `sync apply` and `sync export`: all or nothing, the history
/// verifies, and what the outbox holds agrees with what was recorded as sent.
extension ReliabilityTests {
    /// HQ and HF registered with each other; HF holds `rows` wellbeing projects
    /// imported in one command. Returns HF's key file.
    func twoSites(rows: Int) throws -> (hq: String, hf: String, key: String) {
        let keys = folder.path("keys")
        let hq = folder.path("sync-hq.db")
        let hf = folder.path("sync-hf.db")
        func run(_ db: String, _ arguments: String...) throws -> String {
            let result = try cli.registry(arguments, db: db, environment: ["REGISTRY_KEY_DIR": keys])
            try #require(result.status == 0, "\(arguments): \(result.stderr)")
            return String(result.stdout.split(separator: "\n").last ?? "")
        }
        _ = try run(hq, "init", "--site", "HQ")
        _ = try run(hf, "init", "--site", "HF")
        let hqKey = try run(hq, "site", "key")
        let hfKey = try run(hf, "site", "key")
        _ = try run(hq, "site", "add", "HF", "--name", "海丰县工作组", "--key", hfKey)
        _ = try run(hf, "site", "add", "HQ", "--name", "总部", "--key", hqKey)
        let file = folder.path("hf-projects.csv")
        let lines = ["code,name,kind,planned_investment,signed_on"] + (0..<rows).map { "HF-WB-\($0),民生项目\($0),wellbeing,\($0 % 900 + 1)万,2026-03-01" }
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        _ = try run(hf, "import", "projects", file)
        let key = try FileManager.default.contentsOfDirectory(atPath: keys).first { $0.hasPrefix("HF-") }!
        return (hq, hf, keys + "/" + key)
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func killedSyncApplyLeavesAllOrNothing() throws {
        let rows = 5_000
        let sites = try twoSites(rows: rows)
        let bundle = folder.path("HF-0001.sync")
        try #require(try cli.registry(["sync", "export", "--key", sites.key, "--output", bundle], db: sites.hf).status == 0)
        let interrupted = try killRepeatedly(["sync", "apply", bundle], base: sites.hq, kills: 20, seed: 16) { path, kill in
            let projects = try count("SELECT count(*) FROM project", in: path)
            let bundles = try count("SELECT count(*) FROM sync_bundle", in: path)
            let origins = try count("SELECT count(*) FROM sync_origin", in: path)
            // The county's keys carry its code: no owner exception is ever recorded for them.
            #expect(
                (projects == 0 && bundles == 0 || projects == rows && bundles == 1) && origins == 0,
                "kill \(kill): \(projects) projects, \(bundles) bundles, \(origins) origins")
        }
        print("reliability: sync apply killed 20 times, \(interrupted) mid-operation")
    }

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func killedSyncExportLeavesAllOrNothing() throws {
        let sites = try twoSites(rows: 5_000)
        let output = folder.path("HF-out.sync")
        let outbox = try count("SELECT count(*) FROM sync_outbox", in: sites.hf)
        let removeOutput: (String) throws -> Void = { _ in try? FileManager.default.removeItem(atPath: output) }
        let interrupted = try killRepeatedly(
            ["sync", "export", "--key", sites.key, "--output", output], base: sites.hf, kills: 20, seed: 61, prepare: removeOutput
        ) { path, kill in
            #expect(try count("SELECT count(*) FROM sync_outbox", in: path) == outbox, "kill \(kill): the outbox is as it was")
            let sent = try Database(path: path).row("SELECT to_seq, hash FROM sync_sent")
            if let sent {
                // Recorded as sent: the file is there, whole, and is the bundle recorded.
                #expect(try sent.get("to_seq", as: Int64.self) == Int64(outbox))
                #expect(try sha256(output) == (try sent.get("hash", as: String.self)), "kill \(kill)")
            }
            if FileManager.default.fileExists(atPath: output) {
                let head = try Data(contentsOf: URL(fileURLWithPath: output)).prefix(15)
                #expect(String(decoding: head, as: UTF8.self) == "registry-sync 1", "kill \(kill): a whole file or none")
            }
            try? FileManager.default.removeItem(atPath: output)
        }
        print("reliability: sync export killed 20 times, \(interrupted) mid-operation")
    }

    func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: data, as: UTF8.self).prefix(64))
    }
}
