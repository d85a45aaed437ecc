import Foundation
import Testing

/// Two tiers of tests. `swift test` runs the fast tier: everything except
/// the suites tagged `.slow` (the fuzzers, the kill and concurrency suites,
/// the large-file imports), which need minutes. `REGISTRY_TESTS=full swift test`
/// runs both; `.ci/run` does.
public enum TestTier {
    public static let full = ProcessInfo.processInfo.environment["REGISTRY_TESTS"] == "full"
    public static let note: Comment = "slow tier: set REGISTRY_TESTS=full to run it"
}

extension Tag {
    /// Minutes rather than seconds; run in the full tier only.
    @Tag public static var slow: Self
}
