import Foundation
import RegistryTestSupport
import Testing

/// Exact output, compared with the files in Tests/Fixtures/golden: `--help` of
/// every command (a changed option or message shows up in review as a diff
/// of these files) and one year-end report in text and Markdown.
///
/// After an intended change, regenerate them with
/// `REGISTRY_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests` and read the diff.
@Suite struct GoldenOutputTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
    static let updating = ProcessInfo.processInfo.environment["REGISTRY_UPDATE_GOLDEN"] == "1"

    static let commands: [[String]] = [
        [], ["init"], ["migrate"], ["park"], ["park", "add"], ["park", "list"], ["park", "show"], ["park", "update"],
        ["enterprise"], ["enterprise", "add"], ["enterprise", "list"], ["enterprise", "show"], ["enterprise", "update"],
        ["sector"], ["sector", "list"], ["project"], ["project", "add"], ["project", "list"], ["project", "show"],
        ["project", "update"], ["project", "stage"], ["import"], ["export"], ["target"], ["target", "set"],
        ["target", "list"], ["target", "remove"], ["report"], ["report", "year"], ["fund"], ["fund", "add"],
        ["fund", "list"], ["fund", "show"], ["fund", "allocate"], ["fund", "disburse"], ["audit"], ["audit", "run"],
        ["audit", "rules"], ["log"], ["history"], ["verify"], ["anchor"], ["check"], ["year"], ["year", "close"],
        ["year", "reopen"], ["year", "list"], ["backup"], ["restore"], ["seed"], ["demo"],
        ["site"], ["site", "key"], ["site", "add"], ["site", "list"], ["site", "rekey"],
        ["sync"], ["sync", "export"], ["sync", "apply"], ["sync", "status"], ["sync", "resolve"],
        ["finding"], ["finding", "list"], ["finding", "show"], ["finding", "explain"], ["finding", "confirm"], ["finding", "dismiss"],
        ["finding", "rectify"], ["enterprise", "status"], ["fund", "period"],
        ["user"], ["user", "add"], ["user", "list"], ["user", "disable"], ["user", "enable"], ["user", "passwd"], ["user", "role"], ["serve"], ["search"],
        ["template"],
    ]

    /// Compares `text` with the golden file `name`, or writes it when updating.
    func expectGolden(_ text: String, _ name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        if Self.updating {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        // Bytes, not Characters: a changed combining mark or width form is a change.
        if !expected.utf8.elementsEqual(text.utf8) {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let foundLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let line =
                zip(expectedLines, foundLines).enumerated().first { !$0.element.0.utf8.elementsEqual($0.element.1.utf8) }?.offset
                ?? min(expectedLines.count, foundLines.count)
            Issue.record(
                """
                \(name) differs at line \(line + 1):
                expected: \(line < expectedLines.count ? String(expectedLines[line]) : "(end)")
                found:    \(line < foundLines.count ? String(foundLines[line]) : "(end)")
                (REGISTRY_UPDATE_GOLDEN=1 regenerates the files)
                """)
        }
    }

    @Test(arguments: commands)
    func helpOfEveryCommand(_ path: [String]) throws {
        let cli = try CLIHarness()
        let result = try cli.run(path + ["--help"])
        #expect(result.status == 0, "\(path): \(result.stderr)")
        try expectGolden(result.stdout, "help/" + (path.isEmpty ? "registry" : path.joined(separator: "-")) + ".txt")
    }

    /// The seeded registry's 2025 report, with the data version (whose hash
    /// covers the time of each change) replaced by a placeholder.
    @Test func yearEndReportInTextAndMarkdown() throws {
        let cli = try CLIHarness()
        try cli.seeded()
        for (format, name) in [("text", "report-2025.txt"), ("markdown", "report-2025.md")] {
            let result = try cli.registry("report", "year", "2025", "--format", format)
            #expect(result.status == 0, "\(result.stderr)")
            let masked = result.stdout.replacingOccurrences(of: #"[0-9]+:[0-9a-f]{64}"#, with: "SEQ:HASH", options: .regularExpression)
            #expect(masked.contains("SEQ:HASH"))
            try expectGolden(masked, name)
        }
    }
}
