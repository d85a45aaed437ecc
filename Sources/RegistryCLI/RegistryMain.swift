import ArgumentParser
import Foundation

/// Entry point: parses, runs, and turns every error into one line on stderr and
/// its exit code (see `ExitStatus`).
public enum RegistryMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        do {
            var command = try RegistryCommand.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let error where ExitStatus.isRegistryError(error) {
            let (message, code) = ExitStatus.describe(error)
            write("registry: \(message)", to: FileHandle.standardError)
            return code
        } catch {
            // The argument parser's own outcomes (help, usage errors, ExitCode)
            // keep its wording; a usage error exits 64 (EX_USAGE).
            let code = RegistryCommand.exitCode(for: error).rawValue
            write(RegistryCommand.fullMessage(for: error), to: code == 0 ? FileHandle.standardOutput : FileHandle.standardError)
            return code
        }
    }

    static func write(_ text: String, to handle: FileHandle) {
        guard !text.isEmpty else { return }
        handle.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
