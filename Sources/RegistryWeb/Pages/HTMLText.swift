import Mustache
import RegistryPresentation

/// Escaping for every value a page shows, by Unicode scalar.
///
/// swift-mustache's own escaper walks `Character`s, and a grapheme cluster
/// can join `<` to a combining mark after it (`<\u{301}`): compared as a
/// Character that is not `<`, and would pass unescaped. Here each scalar is
/// looked at on its own. Bidi controls and other invisible format
/// characters are shown as their code (`[U+202E]`): a name must not be able
/// to reverse the text around it on screen.
enum HTMLText {
    static func escaped(_ text: String) -> String {
        ScalarEscaping.escaped(text) { scalar in
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

/// The content type every template is rendered with (set by a pragma that
/// `PageTemplates` puts at the head of each template).
struct ScalarHTMLContentType: MustacheContentType {
    static let name = "REGISTRY_HTML"
    func escapeText(_ text: String) -> String { HTMLText.escaped(text) }
}

extension HTMLText {
    /// A name for a log line: every control or format scalar shown as its code.
    static func escapedForLog(_ text: String) -> String {
        ScalarEscaping.escaped(text) { scalar in
            scalar.properties.generalCategory == .format || scalar.properties.generalCategory == .control || scalar == " "
                ? "[U+\(String(scalar.value, radix: 16, uppercase: true))]" : nil
        }
    }
}

/// The escaper, for the tests that probe it directly.
public enum HTMLTextProbe {
    public static func escaped(_ text: String) -> String { HTMLText.escaped(text) }
}
