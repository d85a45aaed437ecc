/// A Unified Social Credit Code (统一社会信用代码), GB 32100-2015.
///
/// 18 characters from the 31-character alphabet `0-9A-HJ-NPQRTUWXY` (I, O, S, V
/// and Z are never used). The 18th is a check character: with each character's
/// value c(i) (its index in the alphabet) and weights W(i) = 3^(i−1) mod 31,
/// check = 31 − (Σ c(i)·W(i) mod 31), where 31 is written as 0.
public struct USCC: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let alphabetScalars = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".unicodeScalars)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public var description: String { value }

    public static func < (lhs: USCC, rhs: USCC) -> Bool { lhs.value < rhs.value }

    /// Parses and checks a code; lower case is normalised to upper case.
    ///
    /// - throws: `InvalidValue` naming `field`, saying whether the length, a
    ///   character or the check character is wrong.
    public static func parse(_ text: String, field: String = "uscc") throws -> USCC {
        // NFKC first (the KELVIN SIGN is K to a reader), then every check is
        // on scalars: compared as Characters, U+212A would match "K" and be stored.
        let code = TextNormalization.compatibilityFolded(TextNormalization.halfwidthTrimmed(text)).uppercased()
        let scalars = Array(code.unicodeScalars)
        guard scalars.count == 18 else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text), reason: "has \(scalars.count) characters; a unified social credit code has 18 (GB 32100-2015)")
        }
        let characters = scalars.map(Character.init)
        var values: [Int] = []
        for (position, scalar) in scalars.enumerated() {
            let character = Character(scalar)
            guard scalar.isASCII, let value = alphabetScalars.firstIndex(of: scalar) else {
                throw InvalidValue(
                    field: field, value: FieldText.shown(text),
                    reason: "character \(position + 1) '\(character)' is not allowed; accepted: 0-9 and A-Z except I, O, S, V, Z")
            }
            values.append(value)
        }
        let expected = checkCharacter(values.prefix(17))
        guard characters[17] == expected else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text),
                reason: "check character is '\(characters[17])' but should be '\(expected)' (GB 32100-2015); the code has a typo")
        }
        return USCC(value: code)
    }

    /// The check character for the first 17 character values.
    static func checkCharacter(_ values: ArraySlice<Int>) -> Character {
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 31 - sum % 31
        return alphabet[check == 31 ? 0 : check]
    }

    /// Trusted construction from a stored value (already checked on the way in).
    init(value: String) { self.value = value }
}
