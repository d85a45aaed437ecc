/// A message for a person: an id from the catalogue and the values put into
/// it, rendered in a language only when shown (`text(in:)`).
///
/// The id is the English wording with numbered slots, the way gettext keys a
/// catalogue by its English text: a message is written where it arises as an
/// ordinary interpolated literal,
///
///     InvalidValue(field: "on", value: text, reason: "is before \(date)")
///
/// which is the message `is before {0}` with one argument. The Chinese
/// wording of each id is in `MessageCatalogue` (one table for the CLI and
/// the web pages); an id with no entry there is shown in English, and
/// `MessageCatalogueTests` fails on any such id in the sources.
public struct Message: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The English wording with `{0}`, `{1}` … where the arguments go.
    public let id: String
    public let arguments: [Argument]

    /// One value put into a message: text shown as it is, or another message
    /// (a reason inside a sentence), rendered in the same language.
    public enum Argument: Sendable, Hashable {
        case text(String)
        case message(Message)
        /// A name that each language spells its own way (a field: `planned-investment`, 计划总投资).
        case spelled(english: String, chinese: String)
    }

    public init(id: String, arguments: [Argument] = []) {
        self.id = id
        self.arguments = arguments
    }

    /// Text that is not to be translated (a name, SQLite's own words).
    public static func verbatim(_ text: String) -> Message {
        Message(id: "{0}", arguments: [.text(text)])
    }

    public init(stringLiteral value: String) {
        self.init(id: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(id: stringInterpolation.id, arguments: stringInterpolation.arguments)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var id = ""
        var arguments: [Argument] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            id.reserveCapacity(literalCapacity + 3 * interpolationCount)
        }

        public mutating func appendLiteral(_ literal: String) { id += literal }

        public mutating func appendInterpolation(_ message: Message) {
            id += "{\(arguments.count)}"
            arguments.append(.message(message))
        }

        public mutating func appendInterpolation<Value>(_ value: Value) {
            id += "{\(arguments.count)}"
            arguments.append(.text(String(describing: value)))
        }
    }

    /// The message in `language`: the catalogue's wording for the id (the id
    /// itself in English), with each `{n}` replaced by argument n.
    public func text(in language: Language) -> String {
        let template = language == .en ? id : MessageCatalogue.chinese[id] ?? id
        if arguments.isEmpty { return template }
        var out = ""
        var scalars = template.unicodeScalars[...]
        while let open = scalars.firstIndex(of: "{") {
            out.unicodeScalars.append(contentsOf: scalars[..<open])
            let rest = scalars[scalars.index(after: open)...]
            if let close = rest.firstIndex(of: "}"), let index = Int(String(rest[..<close])), arguments.indices.contains(index) {
                switch arguments[index] {
                case .text(let text): out += text
                case .message(let message): out += message.text(in: language)
                case .spelled(let english, let chinese): out += language == .en ? english : chinese
                }
                scalars = rest[rest.index(after: close)...]
            } else {
                out.unicodeScalars.append("{")
                scalars = rest
            }
        }
        out.unicodeScalars.append(contentsOf: scalars)
        return out
    }

    /// The English text, for logs and for tests that read one wording.
    public var english: String { text(in: .en) }

    /// The text in the language of this process (`Language.current`).
    public var description: String { text(in: .current) }

    /// Messages joined by `separator`, itself a message (`"; "` is `；` in Chinese).
    public static func joined(_ messages: [Message], separator: Message) -> Message {
        guard var joined = messages.first else { return "" }
        for message in messages.dropFirst() { joined = joined + separator + message }
        return joined
    }

    /// A word of the domain's own (a kind of record `project`, a stage
    /// `construction`, a table `project_stage`), translated by the catalogue.
    public static func term(_ word: String) -> Message { Message(id: word) }

    /// Two messages one after the other: `reason` + `; hint`.
    public static func + (lhs: Message, rhs: Message) -> Message {
        Message(id: "{0}{1}", arguments: [.message(lhs), .message(rhs)])
    }

    public static func += (lhs: inout Message, rhs: Message) {
        lhs = lhs + rhs
    }
}

/// What people are told about it is `message`, in their language; its
/// `description` (logs, tests that read one wording) is the English.
public protocol MessageDescribed: CustomStringConvertible {
    var message: Message { get }
}

extension MessageDescribed {
    public var description: String { message.english }
}
