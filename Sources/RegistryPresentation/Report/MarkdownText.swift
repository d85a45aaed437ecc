/// Text for a Markdown document: rendered as the same text, never as markup.
package enum MarkdownText {
    /// Escapes, scalar by scalar (see `ReportLayout.escaped` for why not by
    /// `Character`), every ASCII character that Markdown or GitHub's tables
    /// give a meaning to inside a line: emphasis, code, links, images, table
    /// cells, and raw HTML (`<` and `&` become entities, since a renderer
    /// passes raw HTML through). Line breaks become spaces: a cell is one line.
    package static func escaped(_ text: String) -> String {
        ScalarEscaping.escaped(text) { scalar in
            switch scalar {
            case "<": "&lt;"
            case ">": "&gt;"
            case "&": "&amp;"
            case "\\", "`", "*", "_", "[", "]", "|", "~", "#", "!": "\\" + String(scalar)
            case "\n", "\r", "\u{2028}", "\u{2029}": " "
            default: nil
            }
        }
    }
}
