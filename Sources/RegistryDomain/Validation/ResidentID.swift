/// The 18-digit citizen identity number (公民身份号码, GB 11643-1999): six
/// digits of the address code, the date of birth `YYYYMMDD`, a three-digit
/// sequence, and a check character: Σ(digit × weight) mod 11 mapped to
/// `10X98765432`, with the weights 2^(17−i) mod 11.
enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432".utf8)

    /// Whether `code` is such a number, compared by bytes (ASCII digits, `X`).
    static func isValid(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        guard bytes.count == 18, bytes[..<17].allSatisfy({ (48...57).contains($0) }) else { return false }
        let digits = bytes[..<17].map { Int($0 - 48) }
        let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard (1900...2199).contains(year), (1...12).contains(month), (1...ISODate.daysIn(month: month, year: year)).contains(day) else {
            return false
        }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return bytes[17] == checkCharacters[sum % 11]
    }
}
