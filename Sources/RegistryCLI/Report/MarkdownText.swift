/// Text for a Markdown document: rendered as the same text, never as markup.
enum MarkdownText {
    /// Escapes, scalar by scalar (see `ReportLayout.escaped` for why not by
    /// `Character`), every ASCII character that Markdown or GitHub's tables
    /// give a meaning to inside a line: emphasis, code, links, images, table
    /// cells, and raw HTML (`<` and `&` become entities, since a renderer
    /// passes raw HTML through). Line breaks become spaces: a cell is one line.
    static func escaped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!":
                out.append("\\")
                out.append(scalar)
            case "\n", "\r", "\u{2028}", "\u{2029}":
                out.append(" ")
            default:
                out.append(scalar)
            }
        }
        return String(out)
    }
}
