/// A project's key: free text chosen by the headquarters (`SW-2025-001`), or a
/// national investment project code (全国投资项目在线审批监管平台 项目代码),
/// whose shape `NNNN-NNNNNN-NN-NN-NNNNNN` is checked when a code looks like one
/// (only digits and hyphens).
public enum ProjectCode {
    public static let nationalShape = [4, 6, 2, 2, 6]

    public static func parse(_ text: String, field: String = "code") throws -> String {
        let code = try RecordKey.parse(text, field: field, example: "SW-2025-001 or 2025-441521-34-03-012345")
        if code.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) }) {
            let groups = code.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false).map(\.count)
            guard groups == nationalShape else {
                throw InvalidValue(
                    field: field, value: FieldText.shown(text),
                    reason: "looks like a national investment project code but is not of the form NNNN-NNNNNN-NN-NN-NNNNNN")
            }
        }
        return uppercasedASCII(code)
    }

    /// Codes are keys: `sw-2025-001` and `ＳＷ－２０２５－００１` are
    /// `SW-2025-001`. Latin letters are stored in capitals (codes staff
    /// write are capitals; a lower-case one made a second project before).
    static func uppercasedASCII(_ code: String) -> String {
        guard code.utf8.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) else { return code }
        return String(String.UnicodeScalarView(code.unicodeScalars.map { ("a"..."z").contains($0) ? Unicode.Scalar($0.value - 32)! : $0 }))
    }

    /// The candidates a typed code is looked up by: as typed (a code stored
    /// before codes were capitalised keeps its case), then in its stored form.
    static func lookupKeys(_ text: String) -> [String] {
        let typed = TextNormalization.halfwidthTrimmed(text)
        let stored = uppercasedASCII(TextNormalization.compatibilityFolded(typed))
        return stored.utf8.elementsEqual(typed.utf8) ? [typed] : [typed, stored]
    }
}

/// A record key typed by staff (park code, project code): one word of printable
/// characters, at most 64 long, fullwidth forms folded to ASCII.
public enum RecordKey {
    public static let maximumLength = 64

    public static func parse(_ text: String, field: String, example: String) throws -> String {
        // NFKC folds fullwidth forms and look-alike letters (the KELVIN SIGN) to
        // what they look like, so that a key that looks the same is the same bytes.
        let key = TextNormalization.compatibilityFolded(TextNormalization.halfwidthTrimmed(text))
        guard !key.isEmpty else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is empty; a code such as \(example) is required")
        }
        guard key.unicodeScalars.count <= maximumLength else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text), reason: "is \(key.unicodeScalars.count) characters long; at most \(maximumLength) are accepted")
        }
        guard !TextNormalization.hasWhitespaceOrControl(key) else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text), reason: "contains white space or a control character; a code is one word, e.g. \(example)")
        }
        if let format = TextNormalization.firstFormatCharacter(key) {
            throw InvalidValue(
                field: field, value: FieldText.shown(text),
                reason: "contains the invisible character \(TextNormalization.scalarName(format)); a code holds visible characters only, e.g. \(example)")
        }
        guard TextNormalization.longestCombiningRun(key) == 0 else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text), reason: "contains a combining mark; a code holds letters, digits and punctuation, e.g. \(example)")
        }
        return key
    }
}
