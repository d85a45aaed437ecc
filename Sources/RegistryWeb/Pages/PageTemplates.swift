import Mustache

/// The page templates (`Templates/*.mustache`, embedded in the binary).
///
/// Each is registered with a content-type pragma in front, so that every
/// `{{value}}` in every template goes through `HTMLText.escaped`; no
/// template can forget it. `{{{…}}}` is used only for markup the server made
/// itself (the layout's body, the report's own HTML).
struct PageTemplates: Sendable {
    let library: MustacheLibrary

    init() throws {
        MustacheContentTypes.register(ScalarHTMLContentType(), named: ScalarHTMLContentType.name)
        var library = MustacheLibrary()
        for (file, text) in EmbeddedFiles.templates where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            try library.register("{{% CONTENT_TYPE: \(ScalarHTMLContentType.name) }}" + text, named: name)
        }
        self.library = library
    }

    /// The page `name` inside the layout.
    func page(_ name: String, title: String, chrome: Chrome, _ data: [String: Any]) -> String {
        page(body: render(name, data), title: title, chrome: chrome)
    }

    /// The template `name` alone (a page body, to keep and reuse).
    func render(_ name: String, _ data: [String: Any]) -> String {
        library.render(data, withTemplate: name) ?? ""
    }

    /// A body already rendered, inside the layout.
    func page(body: String, title: String, chrome: Chrome) -> String {
        var layout = chrome.values
        layout["title"] = title
        layout["body"] = body
        return library.render(layout, withTemplate: "layout") ?? ""
    }
}

/// What the layout shows around every page: who is signed in, the menu for
/// their role, the data version.
struct Chrome {
    var user: String?
    var role: String?
    var csrf: String?
    var dataVersion: String?
    var menu: [[String: Any]] = []

    var values: [String: Any] {
        var values: [String: Any] = ["menu": menu]
        if let user { values["user"] = user }
        if let role { values["role"] = role }
        if let csrf { values["csrf"] = csrf }
        if let dataVersion { values["dataVersion"] = dataVersion }
        return values
    }
}
