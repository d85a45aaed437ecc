/// Input normalisation shared by every parser: what staff paste from Excel or a
/// Chinese input method often carries fullwidth forms (ＡＢＣ１２３, ，．) and
/// ideographic spaces.
enum TextNormalization {
    /// Maps fullwidth ASCII variants (U+FF01–U+FF5E) to ASCII and the ideographic
    /// space (U+3000) to a space, then trims white space at both ends.
    static func halfwidthTrimmed(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
            case 0x3000: scalars.append(" ")
            case 0xFFE5: scalars.append("¥") // fullwidth yen sign
            default: scalars.append(scalar)
            }
        }
        return String(scalars).trimmingWhitespace()
    }

    /// `true` when the text holds a control character (NUL, escape, ...), which
    /// no field accepts; `allowingLineBreaks` lets notes keep their newlines.
    static func hasControlCharacter(_ text: String, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { scalar in
            if allowingLineBreaks, scalar == "\n" || scalar == "\r" || scalar == "\t" { return false }
            return scalar.properties.generalCategory == .control
        }
    }
}

extension String {
    /// Trims Unicode white space (including U+3000) at both ends, without Foundation.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
