/// Text as a message or a terminal shows it, so that nothing in it can hide
/// or disguise what it names: scalars that draw nothing or move the cursor
/// (controls, format characters such as zero-width spaces and bidi
/// overrides, line and paragraph separators, private-use, unassigned and
/// surrogate code points) are written as `\u{…}`, scalar by scalar.
///
/// The one definition behind `FieldText.shown` (values in refusals),
/// `verify`'s findings and the CLI's terminal cells.
public enum VisibleText {
    /// - parameter compatibilityForms: also escape scalars that NFKC changes
    ///   (the KELVIN SIGN, U+F98E for 年, fullwidth letters), which look like
    ///   the plain text they stand for: `verify` names a look-alike edit so.
    public static func of(_ text: String, compatibilityForms: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isHidden(scalar) || (compatibilityForms && TextNormalization.isCompatibilityVariant(scalar)) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: true
        default: false
        }
    }
}
