import RegistryTestSupport
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

/// The fast path of `FieldText` for plain text (printable ASCII and CJK
/// ideographs) must accept exactly what the Unicode checks would, unchanged.
@Suite struct PlainTextFastPathTests {
    @Test func plainTextNeedsNoUnicodeWork() {
        var generator = SplitMix64(seed: 15)
        let pools: [[UInt32]] = [
            Array(0x20...0x7E), Array(0x4E00...0x4E40), Array(0x9FC0...0x9FFF), Array(0x3400...0x3420),
            // Not plain: compatibility ideographs (they decompose), marks, format and fullwidth characters.
            [0xF900, 0xFA10, 0x0301, 0x200B, 0x202E, 0xFF21, 0x3000, 0x00E9],
        ]
        var plainSeen = 0
        for _ in 0..<20_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                let pool = pools[Int.random(in: 0..<(Int.random(in: 0..<10, using: &generator) == 0 ? 5 : 4), using: &generator)]
                scalars.append(Unicode.Scalar(pool.randomElement(using: &generator)!)!)
            }
            let text = String(scalars)
            guard FieldText.isPlain(text) else { continue }
            plainSeen += 1
            #expect(TextNormalization.canonicallyComposed(text).utf8.elementsEqual(text.utf8))
            #expect(TextNormalization.firstFormatCharacter(text) == nil)
            #expect(TextNormalization.longestCombiningRun(text) == 0)
            #expect(!TextNormalization.hasControlCharacter(text, allowingLineBreaks: false))
        }
        #expect(plainSeen > 5_000)
        #expect(!FieldText.isPlain("\u{F98E}年") && !FieldText.isPlain("e\u{301}") && !FieldText.isPlain("a\u{200B}"))
    }
}
