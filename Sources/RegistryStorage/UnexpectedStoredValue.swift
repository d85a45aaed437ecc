/// A value the database holds that its CHECK constraints should have made
/// impossible (a date that is not ISO, a key outside the catalogue): the file
/// was written behind the program's back. Reading stops rather than guess.
public struct UnexpectedStoredValue: Error, Sendable, Equatable, CustomStringConvertible {
    /// `project.signed_on`, `target.scope`, `ParkLevel`.
    public let column: String
    public let value: String
    /// What the column may hold: `an ISO date`, `one of municipal, county`.
    public let expected: String

    public init(column: String, value: String, expected: String) {
        self.column = column
        self.value = value
        self.expected = expected
    }

    public var description: String {
        "\(column) holds \"\(value)\", which is not \(expected): the database was changed outside the program"
    }
}
