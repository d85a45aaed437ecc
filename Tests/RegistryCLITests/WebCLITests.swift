import Foundation
import RegistryStorage
import RegistryTestSupport
import Testing

/// `registry user …` and `registry serve` as the real binary, and a real
/// browser (Debian's chromium through selenium) against the real server.
@Suite struct WebCLITests {
    static let environment = ["REGISTRY_BCRYPT_COST": "4"]

    @Test func accountsFromTheCommandLine() throws {
        let cli = try CLIHarness()
        _ = try cli.registry("init")
        let add = try RegistryBinary.run(
            ["user", "add", "张敏", "--role", "clerk", "--db", cli.database], in: cli.folder.url, environment: Self.environment, input: "long-enough-1\n")
        #expect(add.status == 0, "\(add.stderr)")
        // Refusals: a short password, an unknown role, a second account of one name; nothing written.
        let short = try RegistryBinary.run(
            ["user", "add", "李华", "--role", "viewer", "--db", cli.database], in: cli.folder.url, environment: Self.environment, input: "short\n")
        #expect(short.status == 65 && short.stderr.contains("password"))
        let role = try RegistryBinary.run(
            ["user", "add", "李华", "--role", "boss", "--db", cli.database], in: cli.folder.url, environment: Self.environment, input: "long-enough-1\n")
        #expect(role.status == 65 && role.stderr.contains("role"))
        let twice = try RegistryBinary.run(
            ["user", "add", "张敏", "--role", "viewer", "--db", cli.database], in: cli.folder.url, environment: Self.environment, input: "long-enough-2\n")
        #expect(twice.status == 65)
        let list = try cli.registry("user", "list", "--format", "csv")
        #expect(list.stdout.split(whereSeparator: \.isNewline).count == 2)
        #expect(list.stdout.contains("张敏,clerk,"))
        #expect(try cli.registry("user", "disable", "张敏").status == 0)
        let disabled = try cli.registry("user", "list", "--format", "csv").stdout.split(whereSeparator: \.isNewline)[1].split(separator: ",")
        #expect(disabled.count == 4 && disabled[3].hasSuffix("Z"), "disabled_at is set")
        #expect(try cli.registry("user", "role", "张敏", "auditor").status == 0)
        let passwd = try RegistryBinary.run(
            ["user", "passwd", "张敏", "--db", cli.database], in: cli.folder.url, environment: Self.environment, input: "another-long-1\n")
        #expect(passwd.status == 0)
        // Every account change is in the change log, and verify holds.
        let log = try cli.registry("log", "--table", "user_account", "--format", "csv")
        #expect(log.stdout.split(whereSeparator: \.isNewline).count == 5)
        #expect(try cli.registry("verify").status == 0)
        // A hash swapped or a role raised with the sqlite3 shell is what verify reports.
        let db = try Database(path: cli.database)
        try db.executeScript("UPDATE user_account SET role = 'admin', password_hash = '$2b$04$' || substr(password_hash, 8)")
        let verify = try cli.registry("verify")
        #expect(verify.status == 1 && verify.stdout.contains("user_account"), "\(verify.stdout)")
    }

    @Test func serveRefusesABadAddressAndAMissingFile() throws {
        let cli = try CLIHarness()
        let bad = try cli.registry("serve", "--listen", "localhost")
        #expect(bad.status == 64)
        let missing = try cli.registry("serve", "--listen", "127.0.0.1:0")
        #expect(missing.status == 66)
    }

    /// The browser test of issue 17. In the full tier it must run (CI installs
    /// chromium); in the fast tier it runs where chromium is installed.
    @Test func aRealBrowserSignsInAddsAProjectAndIsRefusedAsAViewer() throws {
        let driver = "/usr/bin/chromedriver"
        guard FileManager.default.isExecutableFile(atPath: driver) else {
            #expect(!TestTier.full, "the full tier needs chromium, chromium-driver and python3-selenium (.ci/run installs them)")
            return
        }
        let cli = try CLIHarness(databaseName: "registry-demo.db")
        #expect(try cli.registry("demo").status == 0)
        for (name, role) in [("张敏", "clerk"), ("李华", "viewer")] {
            let added = try RegistryBinary.run(
                ["user", "add", name, "--role", role, "--db", cli.database], in: cli.folder.url, environment: Self.environment, input: "browser-pass-1\n")
            #expect(added.status == 0)
        }
        let server = try ServerProcess(database: cli.database, in: cli.folder.url)
        defer { server.stop() }
        let shots = ProcessInfo.processInfo.environment["REGISTRY_SCREENSHOTS"] ?? cli.path("screenshots")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Browser/browser_test.py")
        let result = try ChildProcess.run("/usr/bin/python3", [script.path, server.baseURL, shots, "张敏", "李华", "browser-pass-1"])
        #expect(result.status == 0, "\(result.output)")
        for name in ["dashboard.png", "project.png", "report.png"] {
            #expect(FileManager.default.fileExists(atPath: shots + "/" + name), "\(name)")
        }
        // The viewer's refusal is on stderr, never in the change log.
        server.stop()
        #expect(server.log.text.contains("refused GET /projects/new from 127.0.0.1 user=李华: role viewer may not write"), "\(server.log.text)")
        let log = try cli.registry("log", "--format", "csv")
        #expect(!log.stdout.contains("refused"))
    }
}

/// `registry serve --listen 127.0.0.1:0` as a child process, on the port it reports.
final class ServerProcess {
    let process = Process()
    let baseURL: String

    init(database: String, in folder: URL) throws {
        process.executableURL = RegistryBinary.url
        process.arguments = ["serve", "--db", database, "--listen", "127.0.0.1:0"]
        process.currentDirectoryURL = folder
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The first line names the address: "registry serve: http://127.0.0.1:PORT/ on …".
        var line = Data()
        while let byte = try stderr.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
        let text = String(decoding: line, as: UTF8.self)
        guard let start = text.range(of: "http://"), let end = text[start.upperBound...].firstIndex(of: "/") else {
            process.terminate()
            throw ServerFailed(output: text)
        }
        baseURL = "http://" + text[start.upperBound..<end]
        // Keep reading stderr (the refusal lines) so the server never blocks on a full pipe.
        let collected = log
        DispatchQueue.global().async {
            while let chunk = try? stderr.fileHandleForReading.read(upToCount: 4096), !chunk.isEmpty { collected.append(chunk) }
        }
    }

    /// What the server wrote to stderr so far (its refusals).
    let log = CollectedOutput()

    func stop() {
        guard process.isRunning else { return }
        process.interrupt()
        process.waitUntilExit()
    }

    struct ServerFailed: Error, CustomStringConvertible {
        let output: String
        var description: String { "registry serve did not start: \(output)" }
    }
}

/// Bytes appended by one thread, read by another.
final class CollectedOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.withLock { data += chunk } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}

/// Any program, its output and status.
enum ChildProcess {
    static func run(_ path: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
