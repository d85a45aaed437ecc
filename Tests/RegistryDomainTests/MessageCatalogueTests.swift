import Foundation
import Testing

@testable import RegistryDomain

/// The one message catalogue: every message the sources write has its
/// Chinese wording, each wording takes the same arguments as its id, and
/// rendering puts arguments (and nested messages) where each language wants them.
@Suite struct MessageCatalogueTests {
    @Test func aMessageRendersInEitherLanguageWithItsArgumentsInPlace() {
        let date = "2025-03-01"
        let message: Message = "is before the signing date \(date); a project is signed first"
        #expect(message.id == "is before the signing date {0}; a project is signed first")
        #expect(message.text(in: .en) == "is before the signing date 2025-03-01; a project is signed first")
        #expect(message.text(in: .zh) == "早于签约日期 2025-03-01；项目须先签约")
        // The Chinese puts the arguments in another order.
        let step: Message = "project \("SW-1") is \("construction") (\("在建")) since \("2025-04-01")"
        #expect(step.text(in: .zh) == "项目 SW-1 自 2025-04-01 起为在建（construction）")
        // A message inside a message is rendered in the same language.
        let problem = ImportProblem(line: 3, column: "计划总投资", value: "-3", reason: "is negative; amounts must be zero or more")
        #expect(problem.message.text(in: .zh) == "第 3 行，计划总投资 列：值 \"-3\"：为负数；金额必须大于或等于零")
        #expect(problem.message.text(in: .en) == "line 3, column 计划总投资: value \"-3\": is negative; amounts must be zero or more")
        // Text that is not a message is never translated, whatever it says.
        #expect(Message.verbatim("is required").text(in: .zh) == "is required")
        // An argument that looks like a slot stays as it is.
        let braces: Message = "has no sheet \"\("{0}")\"; its sheets are: \("a")"
        #expect(braces.text(in: .zh) == "没有名为“{0}”的工作表；其工作表有：a")
    }

    @Test func theLanguageComesFromTheOptionThenTheLocale() {
        #expect(Language.chosen(option: nil, environment: [:]) == .zh)
        #expect(Language.chosen(option: nil, environment: ["LANG": "C.UTF-8"]) == .zh)
        #expect(Language.chosen(option: nil, environment: ["LANG": "en_US.UTF-8"]) == .en)
        #expect(Language.chosen(option: nil, environment: ["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"]) == .zh)
        #expect(Language.chosen(option: nil, environment: ["LC_MESSAGES": "en_GB", "LANG": "zh_CN"]) == .en)
        #expect(Language.chosen(option: "en", environment: ["LANG": "zh_CN.UTF-8"]) == .en)
        #expect(Language.chosen(option: "zh-CN", environment: ["LANG": "en_US"]) == .zh)
        #expect(Language.chosen(option: "fr", environment: [:]) == nil)
    }

    @Test func everyChineseWordingTakesTheArgumentsOfItsId() {
        #expect(MessageCatalogue.chinese.count > 400)
        for (id, chinese) in MessageCatalogue.chinese {
            #expect(Self.slots(id) == Self.slots(chinese), "\(id) → \(chinese)")
            let hasChinese = chinese.unicodeScalars.contains { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
            #expect(hasChinese || chinese == id, "\(id) has no Chinese wording")
        }
    }

    /// Scans the sources for the literals written as messages (a refusal's
    /// reason, a line the CLI says, a usage error) and asks the catalogue for
    /// each one's Chinese.
    @Test func everyMessageTheSourcesWriteHasItsChineseWording() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var checked = 0
        var missing: [String] = []
        for target in ["RegistryDomain", "RegistryPresentation", "RegistryCLI", "RegistryWeb"] {
            let folder = root.appendingPathComponent("Sources/\(target)")
            let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
                .filter { $0.pathExtension == "swift" && !$0.lastPathComponent.hasPrefix("MessageCatalogue") }
            for file in files {
                let source = try String(contentsOf: file, encoding: .utf8)
                for (line, id) in Self.messageLiterals(in: source) {
                    checked += 1
                    if MessageCatalogue.chinese[id] == nil { missing.append("\(file.lastPathComponent):\(line): \(id)") }
                }
            }
        }
        #expect(checked > 250)
        #expect(missing.isEmpty, "no Chinese wording for:\n\(missing.joined(separator: "\n"))")
    }

    /// `{0}`, `{1}` … in a template, as a set.
    static func slots(_ text: String) -> Set<String> {
        var found: Set<String> = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "}") else { break }
            if Int(after[..<close]) != nil { found.insert(String(after[..<close])) }
            rest = after[after.index(after: close)...]
        }
        return found
    }

    /// The ids of the string literals that are messages: the ones given as a
    /// `reason:` or `detail:`, said (`say`, `sayError`), thrown as a usage error
    /// or a `CLIFailure`, passed to a `refuse` helper, typed `Message`, or a
    /// case of an error's `message`; interpolations become
    /// `{0}`, `{1}` …, as `Message` makes them.
    static func messageLiterals(in source: String) -> [(Int, String)] {
        let contexts = ["reason: ", "detail: ", "say(", "sayError(", "usageError(", "CLIFailure(message: ", "refuse(", ": Message = "]
        let scalars = Array(source.unicodeScalars)
        var found: [(Int, String)] = []
        var index = 0
        var line = 1
        var lineStart = 0
        var previousLine = ""
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(scalars[range])) }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" {
                previousLine = text(lineStart..<index)
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            if scalar == "/", index + 1 < scalars.count, scalars[index + 1] == "/" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                continue
            }
            guard scalar == "\"" else {
                index += 1
                continue
            }
            if index + 2 < scalars.count, scalars[index + 1] == "\"", scalars[index + 2] == "\"" {
                // A multi-line literal: not a message here; skip it.
                index += 3
                while index + 2 < scalars.count, !(scalars[index] == "\"" && scalars[index + 1] == "\"" && scalars[index + 2] == "\"") {
                    if scalars[index] == "\n" { line += 1 }
                    index += 1
                }
                index += 3
                continue
            }
            let before = text(lineStart..<index)
            let trimmedPrevious = previousLine.trimmingCharacters(in: .whitespaces)
            let isMessage =
                contexts.contains { before.hasSuffix($0) }
                || (before.trimmingCharacters(in: .whitespaces).isEmpty
                    && (trimmedPrevious.hasSuffix("reason:") || trimmedPrevious.hasSuffix("detail:") || trimmedPrevious.hasSuffix("message:")
                        || ["say(", "sayError(", "usageError(", "refuse(", "Message ="].contains { trimmedPrevious.hasSuffix($0) }
                        // A case of an error's `message` switch.
                        || (trimmedPrevious.hasPrefix("case .") && trimmedPrevious.hasSuffix(":"))))
            index += 1
            var id = ""
            var arguments = 0
            while index < scalars.count, scalars[index] != "\"", scalars[index] != "\n" {
                if scalars[index] == "\\", index + 1 < scalars.count {
                    let escaped = scalars[index + 1]
                    if escaped == "(" {
                        var depth = 1
                        index += 2
                        while index < scalars.count, depth > 0 {
                            if scalars[index] == "(" {
                                depth += 1
                            } else if scalars[index] == ")" {
                                depth -= 1
                            } else if scalars[index] == "\"" {
                                index += 1
                                while index < scalars.count, scalars[index] != "\"" { index += scalars[index] == "\\" ? 2 : 1 }
                            }
                            index += 1
                        }
                        id += "{\(arguments)}"
                        arguments += 1
                        continue
                    }
                    switch escaped {
                    case "n": id += "\n"
                    case "t": id += "\t"
                    default: id.unicodeScalars.append(escaped)
                    }
                    index += 2
                    continue
                }
                id.unicodeScalars.append(scalars[index])
                index += 1
            }
            index += 1
            // Prose only: a message has words (a lone key, a separator or an id is not one).
            if isMessage, id.range(of: "[a-z]{3,}", options: .regularExpression) != nil { found.append((line, id)) }
        }
        return found
    }
}
