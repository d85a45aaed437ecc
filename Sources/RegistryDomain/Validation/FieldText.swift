/// Validation of free-text fields: names, counties, cities, notes.
public enum FieldText {
    /// Longest accepted name, in characters: long enough for the longest registered
    /// Chinese enterprise names, short enough to catch a pasted paragraph.
    public static let maximumNameLength = 200
    public static let maximumNotesLength = 2_000

    /// A required single-line text: trimmed, non-empty, no control characters.
    public static func required(_ text: String, field: String, maximumLength: Int = maximumNameLength) throws -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw ValidationError(field: field, value: text, reason: "must not be empty")
        }
        return try checked(trimmed, original: text, field: field, maximumLength: maximumLength, lineBreaks: false)
    }

    /// An optional single-line text: empty means absent.
    public static func optional(_ text: String?, field: String, maximumLength: Int = maximumNameLength) throws -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return nil }
        return try checked(trimmed, original: text, field: field, maximumLength: maximumLength, lineBreaks: false)
    }

    /// Optional notes: may span lines; empty means absent.
    public static func notes(_ text: String?, field: String = "notes") throws -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return nil }
        return try checked(trimmed, original: text, field: field, maximumLength: maximumNotesLength, lineBreaks: true)
    }

    private static func checked(_ trimmed: String, original: String, field: String, maximumLength: Int, lineBreaks: Bool) throws -> String {
        if TextNormalization.hasControlCharacter(trimmed, allowingLineBreaks: lineBreaks) {
            throw ValidationError(field: field, value: shown(original), reason: "contains a control character (such as NUL or a line break); only printable text is accepted")
        }
        // A text has at most as many characters as UTF-8 bytes: count only when it may be long.
        guard trimmed.utf8.count <= maximumLength || trimmed.count <= maximumLength else {
            throw ValidationError(field: field, value: shown(original), reason: "is \(trimmed.count) characters long; at most \(maximumLength) are accepted")
        }
        return trimmed
    }

    /// The value as shown in a message: control characters escaped, long text cut.
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out.count > 60 ? String(out.prefix(57)) + "..." : out
    }
}
