import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryCLI
@testable import RegistryPresentation

/// The escapers over arbitrary Unicode: whatever a user's text holds, no
/// markup character of it reaches an HTML or Markdown document raw, and
/// unescaping gives back exactly the text (its scalars, compared as bytes).
@Suite struct EscapingTests {
    /// Scalars chosen to break per-Character escapers: prepended format
    /// characters (Grapheme_Cluster_Break=Prepend), combining marks, joiners,
    /// bidi controls, variation selectors, Hangul jamo, emoji modifiers, the
    /// edges of the surrogate range, and the markup characters themselves.
    static let tricky: [Unicode.Scalar] = [
        "\u{0600}", "\u{0601}", "\u{0605}", "\u{06DD}", "\u{070F}", "\u{0890}", "\u{08E2}", "\u{110BD}", "\u{0D4E}",
        "\u{0301}", "\u{0308}", "\u{20DD}", "\u{200D}", "\u{200C}", "\u{200B}", "\u{202E}", "\u{2066}", "\u{FE0F}",
        "\u{1100}", "\u{1161}", "\u{11A8}", "\u{1F3FD}", "\u{1F468}", "\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{10FFFF}",
        "<", ">", "&", "\"", "'", "|", "*", "_", "[", "]", "`", "\\", "\n", "园", "K", "\u{212A}",
    ]

    static func randomText(_ generator: inout SplitMix64) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int(generator.next() % 12) {
            if generator.next() % 3 == 0 {
                // Any scalar at all, outside the surrogate range.
                var value = UInt32(generator.next() % 0x110000)
                if (0xD800...0xDFFF).contains(value) { value = 0xFFFD }
                scalars.append(Unicode.Scalar(value)!)
            } else {
                scalars.append(tricky[Int(generator.next() % UInt64(tricky.count))])
            }
        }
        return String(scalars)
    }

    static let entities: [([UInt8], UInt8)] = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")]
        .map { (Array($0.0.utf8), UInt8(ascii: $0.1)) }

    /// Byte by byte: Foundation's `replacingOccurrences` and `hasPrefix` work
    /// on grapheme clusters and miss an entity followed by a combining mark.
    static func unescapeHTML(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "&"), let (entity, raw) = entities.first(where: { bytes[index...].starts(with: $0.0) }) {
                out.append(raw)
                index += entity.count
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return out
    }

    @Test func htmlEscapingLetsNoMarkupThroughAndLosesNothing() {
        var generator = SplitMix64(seed: 13)
        for _ in 0..<20_000 {
            let text = Self.randomText(&generator)
            let escaped = ReportLayout.escaped(text)
            let bytes = Array(escaped.utf8)
            #expect(!bytes.contains(UInt8(ascii: "<")) && !bytes.contains(UInt8(ascii: ">")), "\(text.unicodeScalars.map(\.value))")
            #expect(!bytes.contains(UInt8(ascii: "\"")) && !bytes.contains(UInt8(ascii: "'")))
            // Every & starts one of the five entities.
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "&") {
                #expect(Self.entities.contains { bytes[index...].starts(with: $0.0) }, "\(text.unicodeScalars.map(\.value))")
            }
            #expect(Self.unescapeHTML(escaped) == Array(text.utf8))
        }
    }

    @Test func markdownEscapingLeavesNoTableBreakOrRawHTML() {
        var generator = SplitMix64(seed: 31)
        for _ in 0..<20_000 {
            let text = Self.randomText(&generator)
            let bytes = Array(MarkdownText.escaped(text).utf8)
            #expect(!bytes.contains(UInt8(ascii: "<")) && !bytes.contains(UInt8(ascii: "\n")))
            // Every | is escaped (preceded by a backslash that is not itself escaped).
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "|") {
                var backslashes = 0
                var position = index - 1
                while position >= 0 && bytes[position] == UInt8(ascii: "\\") { backslashes += 1; position -= 1 }
                #expect(backslashes % 2 == 1, "\(text.unicodeScalars.map(\.value))")
            }
        }
    }

    @Test func terminalCellsShowControlAndFormatCharacters() {
        #expect(TerminalText.safe("a\u{1B}[2Jb") == "a\\u{1b}[2Jb")
        #expect(TerminalText.safe("园\u{202E}区") == "园\\u{202e}区")
        #expect(TerminalText.safe("深汕高新产业园") == "深汕高新产业园")
        var table = TextTable(columns: [.init("名称")])
        table.append(["x\u{0600}<"])
        #expect(table.render().contains("x\\u{600}<"))
    }
}
