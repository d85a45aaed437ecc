/// The Chinese wording of every message id (the English wording, see
/// `Message`), kept in one table for the CLI and the web pages, split by area
/// into files. `{n}` is where argument n goes; the Chinese may put them in
/// another order.
public enum MessageCatalogue {
    public static let chinese: [String: String] = {
        var table: [String: String] = [:]
        for part in [values, records, imports, sync, audit, commands, web] {
            table.merge(part) { first, _ in first }
        }
        return table
    }()
}
