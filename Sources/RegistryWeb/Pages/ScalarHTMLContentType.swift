import Mustache
import RegistryPresentation

/// The content type every template is rendered with (set by a pragma that
/// `PageTemplates` puts at the head of each template).
struct ScalarHTMLContentType: MustacheContentType {
    static let name = "REGISTRY_HTML"
    func escapeText(_ text: String) -> String { HTMLText.escaped(text) }
}
