/// The one loop behind the markup escapers (HTML, Markdown): text
/// walked by Unicode scalar, never by `Character`, each scalar kept or
/// replaced. A grapheme cluster can join a markup character to its
/// neighbours (U+0600 before `<`, a combining mark after it); a scalar cannot.
package enum ScalarEscaping {
    package static func escaped(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) {
                out.append(contentsOf: replaced.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
