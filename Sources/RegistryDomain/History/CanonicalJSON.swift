import RegistryStorage

/// The one text form of a row and of a key that the change log stores and
/// `verify` recomputes: compact JSON, columns in table order, integers as
/// digits, text escaped by `JSON.string`. Writer and verifier share this code,
/// so the same row always gives the same bytes.
enum CanonicalJSON {
    /// `{"code":"SW-GX","name":"深汕高新产业园","notes":null}`
    static func object(columns: [String], values: [SQLValue]) -> String {
        var out = "{"
        out.reserveCapacity(256)
        for (index, column) in columns.enumerated() {
            if index > 0 { out += "," }
            appendText(column, to: &out)
            out += ":"
            append(values[index], to: &out)
        }
        return out + "}"
    }

    /// `["SW-2025-001","construction"]`
    static func array(_ values: [SQLValue]) -> String {
        var out = "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            append(value, to: &out)
        }
        return out + "]"
    }

    /// One value's JSON text: `"深汕"`, `1200`, `null`.
    static func value(_ value: SQLValue) -> String {
        var out = ""
        append(value, to: &out)
        return out
    }

    private static func append(_ value: SQLValue, to out: inout String) {
        switch value {
        case .null: out += "null"
        case .integer(let number): out += String(number)
        case .text(let text): appendText(text, to: &out)
        // Registry tables are STRICT with INTEGER and TEXT columns only; these
        // two can appear only in a row written behind registry's back, and
        // must still encode (differently from any legitimate value).
        case .real(let number): out += "{\"real\":\(JSON.string(String(number)))}"
        case .blob(let data): out += "{\"blob\":\"\(EntryHash.hex(data))\"}"
        }
    }

    /// A JSON string, escaped by `JSON.string`. Most text (and every column
    /// name) needs no escaping: it is copied whole rather than scalar by scalar.
    private static func appendText(_ text: String, to out: inout String) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            out += "\""
            out += text
            out += "\""
        } else {
            out += JSON.string(text)
        }
    }

    /// Key values shown as people type them, without a round trip through JSON.
    static func keyText(values: [SQLValue]) -> String {
        values.map(\.description).joined(separator: "/")
    }

    /// A stored key array shown as people type it: `SW-2025-001/construction`.
    static func keyText(_ key: String) -> String {
        guard key.hasPrefix("["), key.hasSuffix("]") else { return key }
        var parts: [String] = []
        var current = ""
        var inString = false
        var escaped = false
        for character in key.dropFirst().dropLast() {
            if inString {
                if escaped {
                    current.append(character); escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    inString = false
                } else {
                    current.append(character)
                }
            } else if character == "\"" {
                inString = true
            } else if character == "," {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts.joined(separator: "/")
    }
}
