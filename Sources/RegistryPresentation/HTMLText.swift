/// Escaping for every value a page shows, by Unicode scalar.
///
/// swift-mustache's own escaper walks `Character`s, and a grapheme cluster
/// can join `<` to a combining mark after it (`<\u{301}`): compared as a
/// Character that is not `<`, and would pass unescaped. Here each scalar is
/// looked at on its own. Bidi controls and other invisible format
/// characters are shown as their code (`[U+202E]`): a name must not be able
/// to reverse the text around it on screen.
package enum HTMLText {
    package static func escaped(_ text: String) -> String {
        // Most values need nothing done: look first, build only when needed.
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        return ScalarEscaping.escaped(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            case "`": "&#96;"
            default:
                if scalar.properties.generalCategory == .format || (scalar.value < 0x20 && scalar != "\n" && scalar != "\t")
                    || (0x7F...0x9F).contains(scalar.value)
                {
                    "[U+\(String(scalar.value, radix: 16, uppercase: true))]"
                } else {
                    nil
                }
            }
        }
    }
}

extension HTMLText {
    /// Whether `scalar` is replaced: markup characters, controls, and format
    /// characters (looked up only outside the CJK and Hangul blocks, which
    /// hold none, so that Chinese text costs no property lookup).
    package static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x60: return true
        case 0x0A, 0x09: return false
        case 0..<0x20, 0x7F...0x9F: return true
        case 0x20..<0x7F: return false
        case 0x3000...0xD7FF, 0xF900...0xFDFF: return false
        default: return scalar.properties.generalCategory == .format
        }
    }
}

extension HTMLText {
    /// A name for a log line: every control or format scalar shown as its code.
    package static func escapedForLog(_ text: String) -> String {
        ScalarEscaping.escaped(text) { scalar in
            scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .control || scalar == " "
                ? "[U+\(String(scalar.value, radix: 16, uppercase: true))]" : nil
        }
    }
}
