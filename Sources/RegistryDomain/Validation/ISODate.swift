import Foundation

/// A calendar date, stored and printed as ISO `YYYY-MM-DD`.
public struct ISODate: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Years accepted: wide enough for any record of the programme, narrow
    /// enough to catch a typo like 20255 or 1025.
    public static let acceptedYears = 1900...2199

    /// Nil when the date does not exist (2025-02-30) or the year is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.acceptedYears.contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: ISODate, rhs: ISODate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// `YYYY-MM-DD`. Built by hand: `String(format:)` went through Foundation's
    /// formatter and was the largest single cost of a large import.
    public var description: String {
        // Years are 1900...2199 (see `acceptedYears`), so always four digits.
        String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int, at offset: Int, width: Int) {
                var rest = value
                for index in (offset..<offset + width).reversed() {
                    buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, at: 0, width: 4)
            buffer[4] = UInt8(ascii: "-")
            put(month, at: 5, width: 2)
            buffer[7] = UInt8(ascii: "-")
            put(day, at: 8, width: 2)
            return 10
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static let accepted: Message = "accepted: a date such as 2025-03-14, 2025/3/14 or 2025年3月14日"

    /// Parses `2025-03-14`, `2025-3-14`, `2025/3/14`, `2025.3.14` and `2025年3月14日`
    /// (fullwidth digits too). Refuses dates that do not exist.
    ///
    /// - throws: `InvalidValue` naming `field`.
    public static func parse(_ text: String, field: String = "date") throws -> ISODate {
        if let date = ISODate(iso: text) { return date }
        var normalized = TextNormalization.halfwidthTrimmed(text)
        // Excel shows a date cell as a date and time (`2025-03-14 00:00:00`): the day is the date.
        if let time = normalized.lastIndex(where: { $0 == " " || $0 == "T" }), Self.isTimeOfDay(normalized[normalized.index(after: time)...]) {
            normalized = String(normalized[..<time]).trimmingWhitespace()
        }
        guard !normalized.isEmpty else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is empty; \(accepted)")
        }
        if normalized.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return try digitsOnly(normalized, shown: text, field: field)
        }
        var parts: [Substring]
        if normalized.unicodeScalars.contains("年") {
            guard normalized.hasSuffix("日") || normalized.hasSuffix("号") else {
                throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not a date; \(accepted)")
            }
            parts = normalized.dropLast().split(omittingEmptySubsequences: false) { $0 == "年" || $0 == "月" }
        } else {
            let separators: Set<Character> = ["-", "/", "."]
            guard let separator = normalized.first(where: { separators.contains($0) }) else {
                throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not a date; \(accepted)")
            }
            parts = normalized.split(separator: separator, omittingEmptySubsequences: false)
        }
        // Month/day/year, as Excel writes dates in English (3/14/2025): read when
        // it can only be one day, refused when it could be two (3/4/2025).
        if parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
            let first = Int(parts[0]), let second = Int(parts[1])
        {
            if first <= 12 && second <= 12 && first != second {
                throw InvalidValue(
                    field: field, value: FieldText.shown(text),
                    reason: "could be \(parts[2])-\(first)-\(second) or \(parts[2])-\(second)-\(first); write the year first (\(parts[2])-MM-DD)")
            }
            parts = first > 12 ? [parts[2], parts[1], parts[0]] : [parts[2], parts[0], parts[1]]
        }
        guard parts.count == 3,
            parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw InvalidValue(field: field, value: FieldText.shown(text), reason: "is not a date; \(accepted)")
        }
        guard acceptedYears.contains(year) else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text),
                reason: "year \(year) is out of range; years \(acceptedYears.lowerBound)–\(acceptedYears.upperBound) are accepted")
        }
        guard let date = ISODate(year: year, month: month, day: day) else {
            throw InvalidValue(
                field: field, value: FieldText.shown(text),
                reason: (1...12).contains(month)
                    ? "is not a day of the calendar (\(year)-\(month) has \(daysIn(month: month, year: year)) days)"
                    : "is not a day of the calendar (there is no month \(month))"
            )
        }
        return date
    }

    /// A date written as digits only: `20250314`, or the day number Excel
    /// stores in a date cell (45730 is 2025-03-14), which a CSV saved from a
    /// cell formatted as a number shows. Five digits only: a serial of four
    /// or six digits is more likely a typo than a date of 1900–1927 or after 2173.
    private static func digitsOnly(_ digits: String, shown text: String, field: String) throws -> ISODate {
        if digits.utf8.count == 8, let year = Int(digits.prefix(4)), let month = Int(digits.dropFirst(4).prefix(2)),
            let day = Int(digits.suffix(2)), let date = ISODate(year: year, month: month, day: day)
        {
            return date
        }
        if digits.utf8.count == 5, let serial = Int(digits), let date = ISODate(excelSerial: serial) {
            return date
        }
        throw InvalidValue(
            field: field, value: FieldText.shown(text),
            reason: "is not a date; \(accepted), 20250314, or an Excel day number such as 45730")
    }

    /// `HH:MM` or `HH:MM:SS`, a time of day.
    private static func isTimeOfDay(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        let limits = [23, 59, 59]
        return zip(parts, limits).allSatisfy { Int($0)! <= $1 }
    }

    /// Reads exactly `YYYY-MM-DD` (as stored in the database, and as most files
    /// write it) from the UTF-8 bytes; nil for anything else or a day that does
    /// not exist. `parse` tries this first and reads other forms the long way.
    public init?(iso text: String) {
        guard
            let parts = text.utf8.withContiguousStorageIfAvailable({ bytes -> (Int, Int, Int)? in
                guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
                func number(_ range: Range<Int>) -> Int? {
                    var value = 0
                    for index in range {
                        let digit = bytes[index] &- UInt8(ascii: "0")
                        guard digit < 10 else { return nil }
                        value = value * 10 + Int(digit)
                    }
                    return value
                }
                guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
                return (year, month, day)
            }) ?? nil
        else { return nil }
        self.init(year: parts.0, month: parts.1, day: parts.2)
    }

    /// Today in the machine's time zone (staff date their records locally).
    public static func today(in timeZone: TimeZone = .current) -> ISODate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return ISODate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension ISODate {
    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's days_from_civil).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    init?(dayNumber days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// The day Excel (and LibreOffice) store as `serial` in a date cell:
    /// days since 1899-12-30, which absorbs Excel's phantom 1900-02-29.
    /// Nil before 1900-03-01 (where the two calendars part) or out of range.
    public init?(excelSerial serial: Int) {
        guard serial >= 61 else { return nil }
        self.init(dayNumber: serial - 25_569)
    }

    /// The day number Excel stores for this date (see `init(excelSerial:)`).
    public var excelSerial: Int { dayNumber + 25_569 }

    /// Whole days from this date to `later` (negative when it is earlier).
    func days(until later: ISODate) -> Int { later.dayNumber - dayNumber }
}
