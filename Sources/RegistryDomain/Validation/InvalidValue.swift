/// A value refused at the door: names the field, the value as given, and what is accepted.
///
/// `field` is the canonical field name (`planned_investment`); the CLI shows it
/// as its option (`--planned-investment`), the importer as the file's column.
///
/// `reason` names no command or option of any front end; what the person can
/// do next is `nextStep`, which each front end renders in its own terms.
public struct InvalidValue: Error, Equatable, Sendable, MessageDescribed {
    public let field: String
    public let value: String
    public let reason: Message
    public let nextStep: NextStep?

    public init(field: String, value: String, reason: Message, nextStep: NextStep? = nil) {
        self.field = field
        self.value = value
        self.reason = reason
        self.nextStep = nextStep
    }

    public var message: Message {
        "\(field) \"\(value)\": \(reason)"
    }
}

/// Several fields of one record refused at once, so that an import can report
/// every bad cell of a row, not only the first.
public struct InvalidValues: Error, Equatable, Sendable, CustomStringConvertible {
    public let errors: [InvalidValue]

    public var description: String { errors.map(\.description).joined(separator: "; ") }
}

/// Collects the `InvalidValue`s of several field checks, then throws them together.
struct FieldChecks {
    private(set) var errors: [InvalidValue] = []

    /// The checked value, or nil (remembering the error) when the check failed.
    mutating func check<Value>(_ body: () throws -> Value) rethrows -> Value? {
        do {
            return try body()
        } catch let error as InvalidValue {
            errors.append(error)
            return nil
        }
    }

    /// Throws what was collected: a single error as itself, several together.
    func throwIfAny() throws {
        if errors.count == 1 { throw errors[0] }
        if errors.count > 1 { throw InvalidValues(errors: errors) }
    }
}
