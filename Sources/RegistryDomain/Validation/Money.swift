/// An exact amount of renminbi, held as integer fen (0.01 yuan). Never a Double.
public struct Money: Equatable, Hashable, Comparable, Sendable {
    public let fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }

    /// The unit a bare number is read in, and the units staff write after a number.
    public enum Unit: String, CaseIterable, Sendable {
        case yuan, wan, yi

        /// Decimal exponent of the unit in fen: 元 = 10², 万元 = 10⁶, 亿元 = 10¹⁰.
        var fenExponent: Int {
            switch self {
            case .yuan: 2
            case .wan: 6
            case .yi: 10
            }
        }

        public var chineseSuffix: String {
            switch self {
            case .yuan: "元"
            case .wan: "万元"
            case .yi: "亿元"
            }
        }
    }

    static let accepted: Message = "accepted: an amount in yuan, 万 or 亿, e.g. 2500000000, 2,500,000,000.00, 250000万, 25亿, ¥1,000.50"

    /// Parses an amount as staff write it.
    ///
    /// Accepts `2500000000`, `2,500,000,000`, `2500000000.00`, `25亿`, `25亿元`,
    /// `250000万`, `250,000万元`, `13.15亿`, `¥1,000.50`, fullwidth digits; a bare
    /// number is in `bareUnit` (yuan unless a column header says otherwise).
    /// Refuses negatives, more precision than a fen, amounts above `largestAccepted`,
    /// empty text, mixed units (`1亿2000万`) and anything else.
    ///
    /// - throws: `InvalidValue` naming `field`.
    public static func parse(_ text: String, field: String = "amount", bareUnit: Unit = .yuan) throws -> Money {
        let money = try parsePlain(text, bareUnit: bareUnit) ?? parseAnyForm(text, field: field, bareUnit: bareUnit)
        guard money <= largestAccepted else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: largestReason)
        }
        return money
    }

    /// The largest single amount accepted: 10万亿元 (10^13 yuan), more than any
    /// project, fund or payment (Shanwei's GDP is under 2千亿元). With every
    /// amount below it, more than 9,000 of them add up exactly in Int64 fen;
    /// a total beyond that is refused (`Money.sum`, SQLite's checked `sum()`).
    public static let largestAccepted = Money(fen: 1_000_000_000_000_000)

    static var largestReason: Message {
        "is too large; the largest amount accepted is \(largestAccepted.formatted(.yi)) (\(largestAccepted.formatted(.yuan)))"
    }

    /// Every accepted form, and the reason for every refusal.
    static func parseAnyForm(_ text: String, field: String, bareUnit: Unit) throws -> Money {
        func refuse(_ reason: Message) -> InvalidValue {
            InvalidValue(field: field, value: FieldText.shown(text), reason: reason)
        }
        var rest = Substring(TextNormalization.halfwidthTrimmed(text))
        guard !rest.isEmpty else { throw refuse("is empty; \(accepted)") }
        if rest.first == "¥" { rest = rest.dropFirst().drop(while: { $0 == " " }) }
        if rest.allSatisfy({ $0 == "-" || $0 == "−" || $0 == "—" || $0 == "–" }) {
            // Excel's accounting format shows a zero as a dash: say so, rather than "negative".
            throw refuse("is a dash, which Excel's accounting format shows for zero; write 0 if the amount is zero")
        }
        if rest.first == "-" || rest.first == "−" {
            throw refuse("is negative; amounts must be zero or more")
        }
        var unit = bareUnit
        if rest.hasSuffix("元") {
            rest = rest.dropLast()
            unit = .yuan
        }
        if rest.hasSuffix("亿") {
            rest = rest.dropLast()
            unit = .yi
        } else if rest.hasSuffix("万") {
            rest = rest.dropLast()
            unit = .wan
        }
        let number = String(rest).trimmingWhitespace()
        let digits: Int64
        let fractionCount: Int
        switch decimalDigits(number) {
        case .value(let value, let count):
            (digits, fractionCount) = (value, count)
        case .tooLarge:
            throw refuse(largestReason)
        case .malformed:
            let withoutUnits = number.filter { !"亿万元".contains($0) }
            if withoutUnits.count < number.count, case .value = decimalDigits(withoutUnits) {
                throw refuse("mixes units; write one number with one unit, e.g. 1.2亿 or 12000万")
            }
            throw refuse("is not an amount; \(accepted)")
        }
        // value = digits × 10^(unit exponent − fraction digits) fen
        let exponent = unit.fenExponent - fractionCount
        var fen = digits
        if exponent >= 0 {
            for _ in 0..<exponent {
                let (product, overflow) = fen.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw refuse(largestReason) }
                fen = product
            }
        } else {
            for _ in 0..<(-exponent) {
                guard fen % 10 == 0 else { throw refuse("has more precision than a fen (0.01 yuan)") }
                fen /= 10
            }
        }
        return Money(fen: fen)
    }

    /// The common spellings (`2500000000`, `2,500,000,000.00`, `250000万`,
    /// `25亿元`), read straight from the UTF-8 bytes. Returns nil for anything
    /// else, valid or not (a yen sign, spaces, fullwidth digits, every error),
    /// which `parse` then reads the long way; so this only has to agree with it
    /// on what it accepts (a test checks that on many generated inputs).
    /// A million-row import spends a noticeable share of its time here.
    static func parsePlain(_ text: String, bareUnit: Unit) -> Money? {
        text.utf8.withContiguousStorageIfAvailable { bytes -> Money? in
            var end = bytes.count
            var unit = bareUnit
            func hasSuffix(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Bool {
                end >= 3 && bytes[end - 3] == a && bytes[end - 2] == b && bytes[end - 1] == c
            }
            if hasSuffix(0xE5, 0x85, 0x83) { end -= 3; unit = .yuan }  // 元
            if hasSuffix(0xE4, 0xBA, 0xBF) {
                end -= 3; unit = .yi
            }  // 亿
            else if hasSuffix(0xE4, 0xB8, 0x87) {
                end -= 3; unit = .wan
            }  // 万
            var value: Int64 = 0
            var fractionDigits = 0, trailingZeros = 0
            var groupLength = 0, groups = 0
            var inFraction = false
            for index in 0..<end {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflow2) = product.addingReportingOverflow(Int64(byte &- 48))
                    if overflow1 || overflow2 { return nil }
                    value = sum
                    if inFraction {
                        fractionDigits += 1
                        trailingZeros = byte == UInt8(ascii: "0") ? trailingZeros + 1 : 0
                    } else {
                        groupLength += 1
                    }
                case UInt8(ascii: ","):
                    // Groups of three after the first group of one to three.
                    if inFraction || groupLength == 0 || groupLength > 3 || (groups > 0 && groupLength != 3) { return nil }
                    groups += 1
                    groupLength = 0
                case UInt8(ascii: "."):
                    if inFraction || groupLength == 0 || (groups > 0 && groupLength != 3) { return nil }
                    inFraction = true
                default:
                    return nil
                }
            }
            if inFraction ? fractionDigits == 0 : (groupLength == 0 || (groups > 0 && groupLength != 3)) { return nil }
            // Trailing zeros of the fraction carry no value; the rest scales by the unit.
            for _ in 0..<trailingZeros { value /= 10 }
            let exponent = unit.fenExponent - (fractionDigits - trailingZeros)
            if exponent < 0 { return nil }  // finer than a fen, or needs the long way's check
            for _ in 0..<exponent {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                value = product
            }
            return Money(fen: value)
        } ?? nil
    }

    private enum Decimal {
        /// All digits as one integer, and how many of them are fraction digits.
        case value(Int64, Int)
        case tooLarge
        case malformed
    }

    /// Reads `1,234.50` or `1234.50`. Thousands separators must group by three.
    private static func decimalDigits(_ text: String) -> Decimal {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let integerPart = parts.first, !integerPart.isEmpty else { return .malformed }
        let groups = integerPart.split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return .malformed }
        }
        let integerDigits = groups.joined()
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        if parts.count == 2, fraction.isEmpty { return .malformed }
        // Trailing zeros of the fraction carry no value: 2500000000.00 is exact.
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let all = integerDigits + fraction
        guard all.allSatisfy({ $0.isASCII && $0.isNumber }) else { return .malformed }
        var value: Int64 = 0
        for character in all {
            let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = product.addingReportingOverflow(Int64(character.asciiValue! - 48))
            guard !overflow1, !overflow2 else { return .tooLarge }
            value = sum
        }
        return .value(value, fraction.count)
    }
}

// MARK: Display

extension Money {
    /// How an amount is shown to staff.
    public enum DisplayUnit: String, CaseIterable, Sendable {
        /// 亿元 from one 亿 up, 万元 below: how the headquarters writes its summaries.
        case auto
        case yi
        case wan
        case yuan
    }

    /// The amount with its unit, rounded half away from zero at display only:
    /// `13.15亿元`, `3,000.00万元`, `1,000.50元`.
    public func formatted(_ unit: DisplayUnit = .auto) -> String {
        let resolved: Unit
        switch unit {
        case .auto: resolved = fen.magnitude >= 10_000_000_000 ? .yi : .wan
        case .yi: resolved = .yi
        case .wan: resolved = .wan
        case .yuan: resolved = .yuan
        }
        return hundredthsString(of: resolved) + resolved.chineseSuffix
    }

    /// The number alone in `unit`, two decimals, with thousands separators.
    public func hundredthsString(of unit: Unit) -> String {
        // Hundredths of the unit: divide fen by 10^(exponent − 2), rounding half up.
        let divisor = Self.powerOfTen(unit.fenExponent - 2)
        let magnitude = fen.magnitude
        let hundredths = divisor == 1 ? magnitude : (magnitude + divisor / 2) / divisor
        let whole = Self.grouped(hundredths / 100)
        let cents = hundredths % 100
        let sign = fen < 0 && hundredths > 0 ? "-" : ""
        return "\(sign)\(whole).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// Exact yuan with two decimals and no separators (`2500000000.00`): what CSV
    /// and JSON carry, and what `parse` reads back to the same fen.
    public var plainYuan: String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(fen < 0 ? "-" : "")\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        (0..<exponent).reduce(UInt64(1)) { value, _ in value * 10 }
    }

    private static func grouped(_ value: UInt64) -> String {
        let digits = String(value)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }
}

extension Money {
    /// The exact sum, or nil if it would overflow Int64 fen.
    public static func sum(_ amounts: some Sequence<Money>) -> Money? {
        var total = Money(fen: 0)
        for amount in amounts {
            guard let next = total.adding(amount) else { return nil }
            total = next
        }
        return total
    }

    /// This amount and `other`, or nil if the sum would overflow Int64 fen.
    public func adding(_ other: Money) -> Money? {
        let (sum, overflow) = fen.addingReportingOverflow(other.fen)
        return overflow ? nil : Money(fen: sum)
    }
}
