import Foundation

/// Runs the real `registry` executable that `swift test` built, as a user would.
public struct RegistryBinary {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The built binary: next to the test bundle in SwiftPM's build folder
    /// (REGISTRY_BINARY overrides, e.g. to test an installed copy).
    public static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["REGISTRY_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        var candidates: [URL] = []
        var folder = Bundle.main.bundleURL
        for _ in 0..<3 {
            candidates.append(folder.appendingPathComponent("registry"))
            folder.deleteLastPathComponent()
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(executable.appendingPathComponent("registry"))
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) && !$0.hasDirectoryPath }
        precondition(found != nil, "registry binary not found near \(Bundle.main.bundleURL.path); set REGISTRY_BINARY")
        return found!
    }()

    /// Runs `registry arguments...` in `directory` with a clean registry environment.
    /// `input`, when given, is the child's standard input (a password for `user add`).
    public static func run(
        _ arguments: [String], in directory: URL, environment extra: [String: String] = [:], binary: URL = url, input: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["REGISTRY_DB"] = nil
        environment["REGISTRY_ACTOR"] = nil
        // The suites read the English wording of messages (LANG=en…); the
        // message suites pass LANG themselves to read both languages.
        environment["LC_ALL"] = nil
        environment["LC_MESSAGES"] = nil
        environment["LANG"] = "en_US.UTF-8"
        environment.merge(extra) { $1 }
        process.environment = environment
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        group.enter()
        DispatchQueue.global().async {
            errorData = stderr.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outputData, as: UTF8.self),
            stderr: String(decoding: errorData, as: UTF8.self))
    }
}
