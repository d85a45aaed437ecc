import Testing

@testable import RegistryDomain

/// The byte-level fast paths must agree with the Unicode-property definitions.
@Suite struct TextNormalizationTests {
    static let samples = [
        "", "abc", " abc ", "比亚迪", "　比亚迪　", "a\u{0}b", "a\tb", "a\nb", "x\u{7F}", "x\u{85}y", "x\u{9F}", "x\u{A0}y",
        "é", "ＳＷ－２０２５", "￥１，０００", "e\u{301}", "👍", "\u{2028}", "\u{200B}", "a b", "\r\n",
    ]

    @Test(arguments: samples)
    func controlCharacterFastPathAgrees(text: String) {
        #expect(TextNormalization.hasControlCharacter(text) == TextNormalization.hasControlCharacterByProperties(text))
        #expect(
            TextNormalization.hasControlCharacter(text, allowingLineBreaks: true)
                == TextNormalization.hasControlCharacterByProperties(text, allowingLineBreaks: true))
    }

    @Test(arguments: samples)
    func trimmingFastPathAgrees(text: String) {
        let scalars = text.unicodeScalars
        let expected: String
        if let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) {
            expected = String(scalars[first...scalars.lastIndex(where: { !$0.properties.isWhitespace })!])
        } else {
            expected = ""
        }
        #expect(text.trimmingWhitespace() == expected)
    }

    @Test func halfwidthFoldingStillAppliesToFullwidthText() {
        #expect(TextNormalization.halfwidthTrimmed("ＳＷ－２０２５") == "SW-2025")
        #expect(TextNormalization.halfwidthTrimmed("　３０００万　") == "3000万")
        #expect(TextNormalization.halfwidthTrimmed("￥5") == "¥5")
    }

    @Test func whitespaceOrControlFastPathAgrees() {
        for text in Self.samples {
            let expected = text.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
            #expect(TextNormalization.hasWhitespaceOrControl(text) == expected, "\(text.debugDescription)")
        }
    }
}
