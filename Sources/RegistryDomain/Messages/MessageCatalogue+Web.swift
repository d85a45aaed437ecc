// swift-format-ignore-file
extension MessageCatalogue {
    /// Words the web pages add around the shared messages.
    static let web: [String: String] = [
        "header": "表头",
    ]
}
