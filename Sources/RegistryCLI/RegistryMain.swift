import ArgumentParser
import Foundation

/// Entry point: parses, runs, and turns every error into one line on stderr and
/// its exit code (see `ExitStatus`).
public enum RegistryMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        do {
            var command = try RegistryCommand.parseAsRoot(movingLeadingGlobalOptions(arguments))
            try command.run()
            return 0
        } catch let error where ExitStatus.isRegistryError(error) {
            let (message, code) = ExitStatus.describe(error)
            let prefixed = (error as? CLIFailure)?.prefixed ?? true
            write(prefixed ? "registry: \(message)" : message, to: FileHandle.standardError)
            return code
        } catch {
            // The argument parser's own outcomes (help, usage errors, ExitCode)
            // keep its wording; a usage error exits 64 (EX_USAGE).
            let code = RegistryCommand.exitCode(for: error).rawValue
            write(RegistryCommand.fullMessage(for: error), to: code == 0 ? FileHandle.standardOutput : FileHandle.standardError)
            return code
        }
    }

    /// Global options are declared on every leaf command (an `@OptionGroup`
    /// each), so argument-parser accepts them after the subcommand only and
    /// `registry --db x park list` would be refused. Options given before the
    /// subcommand are moved after it, where the leaf parses them.
    static func movingLeadingGlobalOptions(_ arguments: [String]) -> [String] {
        let globalNames: Set<String> = ["--db", "--actor"]
        var leading: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if globalNames.contains(argument), index + 1 < arguments.count {
                leading += arguments[index...index + 1]
                index += 2
            } else if globalNames.contains(where: { argument.hasPrefix($0 + "=") }) {
                leading.append(argument)
                index += 1
            } else {
                break
            }
        }
        // Only in front of a real subcommand; otherwise the parser's own message
        // (unknown command, help) is clearer without our options appended.
        let subcommands = Set(RegistryCommand.configuration.subcommands.map { $0._commandName })
        guard !leading.isEmpty, index < arguments.count, subcommands.contains(arguments[index]) else { return arguments }
        return Array(arguments[index...]) + leading
    }

    static func write(_ text: String, to handle: FileHandle) {
        guard !text.isEmpty else { return }
        handle.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }
}
