/// Text cells made safe for spreadsheets, and restored on import.
///
/// A CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
/// is run as a formula when Excel or WPS opens the file, so a project named
/// `=cmd|' /C calc'!A0` could run a program on an auditor's machine (CSV or
/// "formula" injection, OWASP). Export puts a `'` in front of such a cell,
/// which spreadsheets read as "this is text" and do not show. Plain numbers
/// (`-3`, `+5`, `-1,250.50`) are left alone: they are not formulas.
///
/// Import takes the `'` off again, so that export → import gives back exactly
/// the stored text. A stored text that itself starts with `'` gets a second
/// one on export, so that it survives the trip too.
public enum SpreadsheetText {
    /// Compared as Unicode scalars, not Characters: `=` followed by a
    /// combining mark is one Character, but a spreadsheet still sees `=` first.
    private static let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as written to a CSV file.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        if first == "'" || (triggers.contains(first) && !isPlainNumber(text)) {
            return "'" + text
        }
        return text
    }

    /// The stored text for a cell read from a CSV file.
    public static func restored(_ cell: String) -> String {
        let scalars = cell.unicodeScalars
        guard scalars.first == "'", let second = scalars.dropFirst().first,
            second == "'" || triggers.contains(second)
        else { return cell }
        return String(scalars.dropFirst())
    }

    /// `-3`, `+5`, `-1,250.50`: a number, not a formula.
    static func isPlainNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        guard let first = rest.first, first.isASCII, first.isNumber else { return false }
        var seenPoint = false
        for character in rest {
            if character == "." {
                if seenPoint { return false }
                seenPoint = true
            } else if character != ",", !(character.isASCII && character.isNumber) {
                return false
            }
        }
        return rest.last != "." && rest.last != ","
    }
}
