import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// Runs the fuzz targets in `Fuzz/` (CSV reader, money parser, date parser)
/// for a bounded time: libFuzzer where the toolchain has `-sanitize=fuzzer`,
/// the deterministic driver otherwise. See README, "Reliability".
@Suite struct FuzzTargetTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(.tags(.slow), .enabled(if: TestTier.full, TestTier.note))
    func fuzzTargetsFindNoCrashNoHangAndExactRoundTrips() throws {
        let output = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.root.appendingPathComponent("Fuzz/run-fuzzers.sh").path, "20", output.url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        let lines = text.split(separator: "\n").filter { $0.contains("no crash, no hang") }
        #expect(lines.count == 3, "\(text)")
        print("reliability: " + lines.joined(separator: "; "))
    }

    /// What the CSV fuzz target found: a quote or comma followed by a combining
    /// mark is one Character, so Character-based checks missed it.
    @Test func spreadsheetGuardLooksAtScalarsNotCharacters() {
        #expect(SpreadsheetText.neutralised("=\u{301}cmd") == "'=\u{301}cmd")
        #expect(SpreadsheetText.restored("'=\u{301}cmd") == "=\u{301}cmd")
        #expect(SpreadsheetText.neutralised("-12.50") == "-12.50" && SpreadsheetText.neutralised("-1,250") == "-1,250")
        #expect(SpreadsheetText.neutralised("-2+3") == "'-2+3" && SpreadsheetText.neutralised("'a") == "''a")
        for text in ["=x", "'", "''=", "+", "@a", "\tq", "普通文本", "-", "'-5"] {
            #expect(SpreadsheetText.restored(SpreadsheetText.neutralised(text)) == text, "\(text)")
        }
    }
}
