import ArgumentParser
import Foundation
import RegistryDomain

/// Entry point: parses, runs, and turns every error into one line on stderr and
/// its exit code (see `ExitStatus`).
public enum RegistryMain {
    public static func run(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Int32 {
        let (language, rest) = takingLanguage(arguments)
        guard let language else {
            write("registry: \(Message("--lang: accepted: zh (中文), en (English)"))", to: FileHandle.standardError)
            return ExitStatus.usage
        }
        Language.current = language
        do {
            var command = try RegistryCommand.parseAsRoot(movingLeadingGlobalOptions(rest))
            try command.run()
            return 0
        } catch let error where ExitStatus.isRegistryError(error) {
            let (message, code) = ExitStatus.describe(error)
            let prefixed = (error as? CLIFailure)?.prefixed ?? true
            write(prefixed ? "registry: \(message)" : message.description, to: FileHandle.standardError)
            return code
        } catch {
            // The argument parser's own outcomes (help, usage errors, ExitCode)
            // keep its wording; a usage error exits 64 (EX_USAGE).
            let code = RegistryCommand.exitCode(for: error).rawValue
            write(RegistryCommand.fullMessage(for: error), to: code == 0 ? FileHandle.standardOutput : FileHandle.standardError)
            return code
        }
    }

    /// `--lang zh|en` anywhere before `--` (every command takes it), else the
    /// environment's locale (`LANG=en_US.UTF-8`); nil for a language not offered.
    static func takingLanguage(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment) -> (Language?, [String]) {
        var option: String?
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                rest += arguments[index...]
                break
            }
            if argument == "--lang", index + 1 < arguments.count {
                option = arguments[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix("--lang=") {
                option = String(argument.dropFirst("--lang=".count))
                index += 1
                continue
            }
            rest.append(argument)
            index += 1
        }
        return (Language.chosen(option: option, environment: environment), rest)
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
