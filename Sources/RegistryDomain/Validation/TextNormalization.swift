import Foundation

/// Input normalisation shared by every parser: what staff paste from Excel or a
/// Chinese input method often carries fullwidth forms (ＡＢＣ１２３, ，．) and
/// ideographic spaces.
enum TextNormalization {
    /// Maps fullwidth ASCII variants (U+FF01–U+FF5E) to ASCII and the ideographic
    /// space (U+3000) to a space, then trims white space at both ends.
    static func halfwidthTrimmed(_ text: String) -> String {
        // Fast path: fullwidth forms are U+FF01–U+FF5E and U+FFE5 (UTF-8 lead
        // byte 0xEF), the ideographic space U+3000 is E3 80 80. Text with
        // neither, the usual case, only needs trimming.
        if !text.utf8.contains(0xEF) && !text.utf8.contains(0xE3) {
            return text.trimmingWhitespace()
        }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            case 0xFFE5: scalars.append("¥")  // fullwidth yen sign
            default: scalars.append(scalar)
            }
        }
        return String(scalars).trimmingWhitespace()
    }

    /// `true` when the text holds a control character (NUL, escape, ...), which
    /// no field accepts; `allowingLineBreaks` lets notes keep their newlines.
    static func hasControlCharacter(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        // General category Cc is exactly U+0000–U+001F, U+007F and U+0080–U+009F,
        // so it can be checked on UTF-8 bytes (C1 controls are C2 80–C2 9F).
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte < 0x20 || byte == 0x7F {
                if !(allowingLineBreaks && (byte == 0x0A || byte == 0x0D || byte == 0x09)) { return true }
            }
            if previous == 0xC2 && (0x80...0x9F).contains(byte) { return true }
            previous = byte
        }
        return false
    }

    /// NFKC (Unicode compatibility composition): the fullwidth `ＰＺ`, the
    /// KELVIN SIGN, the compatibility ideograph U+F98E and ligatures become
    /// the plain characters they stand for. Identifiers are stored in this
    /// form so that text that looks the same is the same bytes to SQLite,
    /// whose UNIQUE constraints and audit rules compare bytes.
    static func compatibilityFolded(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }  // ASCII is already NFKC
        return text.precomposedStringWithCompatibilityMapping
    }

    /// NFC (canonical composition): one byte form for text that Unicode calls
    /// equal (a precomposed `é` and `e` + U+0301). Names keep their
    /// compatibility forms (fullwidth brackets in company names are real).
    static func canonicallyComposed(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        return text.precomposedStringWithCanonicalMapping
    }

    /// The first format character (general category Cf) in the text: zero-width
    /// spaces and joiners, bidi embeddings and overrides, the byte-order mark,
    /// the soft hyphen, Arabic number signs that join the next character.
    /// They draw nothing (or reorder what is drawn), so text that holds one
    /// looks like text that does not. No Chinese or Latin name needs one.
    static func firstFormatCharacter(_ text: String) -> Unicode.Scalar? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        return text.unicodeScalars.first { $0.properties.generalCategory == .format }
    }

    /// The longest run of combining marks (Mn, Mc, Me) in the text: a few
    /// stack on a letter in real writing, thousands only in an attack.
    static func longestCombiningRun(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return 0 }
        var longest = 0, run = 0
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                run += 1
                longest = max(longest, run)
            default:
                run = 0
            }
        }
        return longest
    }

    /// Whether NFKC changes the scalar: a compatibility form that looks like
    /// (or is read as) another character, such as U+212A KELVIN SIGN for `K`.
    static func isCompatibilityVariant(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return false }
        let text = String(scalar)
        return !text.precomposedStringWithCompatibilityMapping.utf8.elementsEqual(text.utf8)
    }

    /// `U+200B ZERO WIDTH SPACE`, for a message.
    static func scalarName(_ scalar: Unicode.Scalar) -> String {
        let code = String(scalar.value, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
        return "U+\(padded)" + (scalar.properties.name.map { " \($0)" } ?? "")
    }

    /// `true` when the text holds white space or a control character anywhere.
    static func hasWhitespaceOrControl(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return text.utf8.contains { $0 <= 0x20 || $0 == 0x7F }
        }
        return text.unicodeScalars.contains { $0.properties.isWhitespace || $0.properties.generalCategory == .control }
    }

    /// The pre-fast-path definition, kept to test the fast path against.
    static func hasControlCharacterByProperties(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            if allowingLineBreaks, scalar == "\n" || scalar == "\r" || scalar == "\t" { return false }
            return scalar.properties.generalCategory == .control
        }
    }
}

extension String {
    /// Trims Unicode white space (including U+3000) at both ends, without Foundation.
    func trimmingWhitespace() -> String {
        // Fast path: both ends are printable ASCII, so nothing to trim.
        if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
