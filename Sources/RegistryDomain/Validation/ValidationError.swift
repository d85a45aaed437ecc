/// A value refused at the door: names the field, the value as given, and what is accepted.
///
/// `field` is the canonical field name (`planned_investment`); the CLI shows it
/// as its option (`--planned-investment`), the importer as the file's column.
public struct ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let value: String
    public let reason: String

    public init(field: String, value: String, reason: String) {
        self.field = field
        self.value = value
        self.reason = reason
    }

    public var description: String {
        "\(field) \"\(value)\": \(reason)"
    }
}
