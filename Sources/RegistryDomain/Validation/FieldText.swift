/// Validation of free-text fields: names, counties, cities, notes.
///
/// Every text is stored in NFC, so that text Unicode calls equal is one byte
/// sequence; holds no control or format character (zero-width, bidi); counts
/// its length in Unicode scalars, not grapheme clusters (one cluster can carry
/// any number of combining marks); and has at most `maximumCombiningRun`
/// combining marks in a row.
public enum FieldText {
    /// Longest accepted name, in Unicode scalars: long enough for the longest registered
    /// Chinese enterprise names, short enough to catch a pasted paragraph.
    public static let maximumNameLength = 200
    public static let maximumNotesLength = 2_000
    /// Vietnamese stacks two marks on a letter; no real name needs more than three.
    public static let maximumCombiningRun = 3

    /// An identifier typed or pasted by staff (a voucher number 凭证号, an
    /// approval document number 批复文号): NFKC, so that fullwidth and other
    /// compatibility forms become the characters they look like, runs of white
    /// space made one space, and refused if it holds an invisible character.
    /// Two identifiers that look the same are then the same bytes, which is
    /// what the duplicate checks (UNIQUE constraints, audit rules) compare.
    public static func identifier(_ text: String, field: String, maximumLength: Int = 64) throws -> String {
        let folded = TextNormalization.compatibilityFolded(text)
        let words = folded.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }).map { String(String.UnicodeScalarView($0)) }
        let normalised = words.joined(separator: " ")
        guard !normalised.isEmpty else {
            throw InvalidValue(field: field, value: text, reason: "must not be empty")
        }
        return try checked(normalised, original: text, field: field, maximumLength: maximumLength, lineBreaks: false)
    }

    /// `identifier` for an optional field: empty means absent.
    public static func optionalIdentifier(_ text: String?, field: String, maximumLength: Int = 64) throws -> String? {
        guard let text, !text.trimmingWhitespace().isEmpty else { return nil }
        return try identifier(text, field: field, maximumLength: maximumLength)
    }

    /// A required single-line text: trimmed, non-empty, no control characters.
    public static func required(_ text: String, field: String, maximumLength: Int = maximumNameLength) throws -> String {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw InvalidValue(field: field, value: text, reason: "must not be empty")
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
        if isPlain(trimmed) {
            try checkLength(trimmed, original: original, field: field, maximumLength: maximumLength)
            return trimmed
        }
        if TextNormalization.hasControlCharacter(trimmed, allowingLineBreaks: lineBreaks) {
            throw InvalidValue(
                field: field, value: shown(original), reason: "contains a control character (such as NUL or a line break); only printable text is accepted")
        }
        if let format = TextNormalization.firstFormatCharacter(trimmed) {
            throw InvalidValue(
                field: field, value: shown(original),
                reason:
                    "contains the invisible character \(TextNormalization.scalarName(format)); only visible text is accepted (zero-width and direction-changing characters make look-alikes)"
            )
        }
        try checkLength(trimmed, original: original, field: field, maximumLength: maximumLength)
        let run = TextNormalization.longestCombiningRun(trimmed)
        guard run <= maximumCombiningRun else {
            throw InvalidValue(
                field: field, value: shown(original), reason: "stacks \(run) combining marks on one character; at most \(maximumCombiningRun) are accepted")
        }
        return TextNormalization.canonicallyComposed(trimmed)
    }

    private static func checkLength(_ trimmed: String, original: String, field: String, maximumLength: Int) throws {
        // A text has at most as many scalars as UTF-8 bytes: count only when it may be long.
        if trimmed.utf8.count > maximumLength {
            let scalars = trimmed.unicodeScalars.count
            guard scalars <= maximumLength else {
                throw InvalidValue(
                    field: field, value: shown(original), reason: "is \(scalars) characters (Unicode scalars) long; at most \(maximumLength) are accepted")
            }
        }
    }

    /// Printable ASCII and the CJK Unified Ideographs (with Extension A):
    /// text made only of these has no control, format or combining character
    /// and is already NFC (none of them decomposes, and none composes with
    /// what precedes it), so the Unicode checks have nothing to find and
    /// names in Chinese skip them (5% of a large import went to them).
    static func isPlain(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let value = scalar.value
            return (0x20...0x7E).contains(value) || (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
        }
    }

    /// The value as shown in a message: hidden scalars escaped (`VisibleText`),
    /// long text cut after 60 scalars (so a run of marks cannot hide the cut).
    static func shown(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard scalars.count > 60 else { return VisibleText.of(text) }
        return VisibleText.of(String(String.UnicodeScalarView(scalars.prefix(60)))) + "..."
    }
}
