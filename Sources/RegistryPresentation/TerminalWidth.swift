import RegistryDomain

/// Width of text in terminal cells, as a terminal draws it.
///
/// `String.count` counts characters and `utf8.count` bytes; neither is what a
/// terminal shows: CJK ideographs and fullwidth forms take two cells, combining
/// marks none. The wide ranges follow Unicode's East Asian Width property
/// (classes W and F), the basis of POSIX `wcwidth`.
public enum TerminalWidth {
    public static func of(_ text: String) -> Int {
        stripANSI(text).reduce(0) { $0 + width(of: $1) }
    }

    /// Width of one grapheme cluster (what the user sees as one character).
    package static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        // Emoji presentation sequences (👍🏽, 👨‍👩‍👧, ❤️) are drawn two cells wide.
        if scalars.contains(where: { $0.properties.isEmojiPresentation }) || scalars.contains("\u{FE0F}") && first.properties.isEmoji {
            return 2
        }
        return width(of: first)
    }

    package static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format:
            return 0
        case .control:
            return 0
        default:
            break
        }
        if value == 0x200B { return 0 }
        return wideRanges.contains { $0.contains(value) } ? 2 : 1
    }

    /// East Asian Wide (W) and Fullwidth (F) blocks.
    package static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F,  // Hangul Jamo initials
        0x2E80...0x303E,  // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        0x3041...0x33FF,  // Hiragana, Katakana, Bopomofo, Hangul compatibility, Kanbun, CJK strokes, enclosed, compatibility
        0x3400...0x4DBF,  // CJK Extension A
        0x4E00...0x9FFF,  // CJK Unified Ideographs
        0xA000...0xA4CF,  // Yi
        0xA960...0xA97F,  // Hangul Jamo Extended-A
        0xAC00...0xD7A3,  // Hangul syllables
        0xF900...0xFAFF,  // CJK Compatibility Ideographs
        0xFE10...0xFE19,  // vertical forms
        0xFE30...0xFE6F,  // CJK compatibility forms, small form variants
        0xFF00...0xFF60,  // fullwidth forms
        0xFFE0...0xFFE6,  // fullwidth signs (￥ among them)
        0x1F300...0x1F64F,  // pictographs and emoticons
        0x1F900...0x1F9FF,  // supplemental symbols and pictographs
        0x20000...0x2FFFD,  // CJK Extensions B–F
        0x30000...0x3FFFD,  // CJK Extension G and later
    ]

    /// Removes ANSI escape sequences (colour codes), which take no cells.
    package static func stripANSI(_ text: String) -> String {
        guard text.contains("\u{1B}") else { return text }
        var out = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if (0x40...0x7E).contains(scalar.value) && scalar != "[" { inEscape = false }
                continue
            }
            if scalar == "\u{1B}" { inEscape = true; continue }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// `text` padded with spaces to `width` cells.
    public static func pad(_ text: String, to width: Int, alignment: TextTable.Alignment) -> String {
        let padding = String(repeating: " ", count: max(0, width - of(text)))
        return alignment == .left ? text + padding : padding + text
    }
}

/// Text that is safe to print in a terminal table.
package enum TerminalText {
    /// Hidden scalars written as `\u{…}` (`VisibleText`): ESC starts a
    /// terminal command (colour, cursor moves, a window title), bidi overrides
    /// reorder the rest of the line, zero-width characters hide; a value
    /// stored behind registry's back can neither drive the terminal nor
    /// break or disguise the table it is printed in.
    package static func safe(_ text: String) -> String {
        VisibleText.of(text)
    }
}
