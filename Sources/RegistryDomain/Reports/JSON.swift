import Foundation

/// JSON text for strings, with every character JSON requires escaped.
public enum JSON {
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A JSON document built in code, printed with two-space indentation. Keys keep
/// the order they are given in (a contract reads better in a fixed order), and
/// numbers are integers or decimal text made from integers: never a Double.
public indirect enum JSONValue: Sendable {
    case string(String)
    case integer(Int64)
    /// A number already written as JSON text, e.g. a ratio `1.0400`.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }

    public func rendered(indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent + 1), end = String(repeating: "  ", count: indent)
        switch self {
        case .string(let text): return JSON.string(text)
        case .integer(let value): return String(value)
        case .number(let text): return text
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            // Arrays of flat objects print one object per line, which keeps a report readable.
            if items.allSatisfy(\.isFlatObject) {
                return "[\n" + items.map { pad + $0.renderedOnOneLine() }.joined(separator: ",\n") + "\n\(end)]"
            }
            return "[\n" + items.map { pad + $0.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n\(end)]"
        case .object(let fields):
            guard !fields.isEmpty else { return "{}" }
            return "{\n" + fields.map { pad + JSON.string($0.0) + ": " + $0.1.rendered(indent: indent + 1) }.joined(separator: ",\n") + "\n\(end)}"
        }
    }

    private var isFlatObject: Bool {
        guard case .object(let fields) = self else { return false }
        return fields.allSatisfy { field in
            switch field.1 {
            case .array, .object: false
            default: true
            }
        }
    }

    /// A flat object on one line, as arrays of them print each item.
    public func renderedOnOneLine() -> String {
        guard case .object(let fields) = self else { return rendered() }
        return "{" + fields.map { JSON.string($0.0) + ": " + $0.1.rendered() }.joined(separator: ", ") + "}"
    }
}
