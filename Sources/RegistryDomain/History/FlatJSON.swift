/// Reads the JSON the change log writes (`CanonicalJSON`): a flat array of
/// values or a flat object of column → value. Each value is returned as its
/// raw JSON text (`"深汕"`, `1200`, `null`, `{"real":"1.5"}`), which is what
/// the log compares, by bytes, with the canonical text of a stored value.
///
/// Strict on purpose: no whitespace, no trailing commas. Registry never
/// writes either; a log entry written by hand that has them is reported,
/// not read generously.
enum FlatJSON {
    /// The raw texts of the values of `[v1,v2,…]`; nil when `text` is not such an array.
    static func array(_ text: String) -> [String]? {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.take(0x5B) else { return nil }
        var values: [String] = []
        if scanner.take(0x5D) { return scanner.atEnd ? values : nil }
        repeat {
            guard let value = scanner.value() else { return nil }
            values.append(value)
        } while scanner.take(0x2C)
        return scanner.take(0x5D) && scanner.atEnd ? values : nil
    }

    /// The members of `{"k":v,…}` in order, keys unquoted; nil when `text` is not such an object.
    static func object(_ text: String) -> [(key: String, value: String)]? {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.take(0x7B) else { return nil }
        var members: [(String, String)] = []
        if scanner.take(0x7D) { return scanner.atEnd ? members : nil }
        repeat {
            guard let key = scanner.value(), key.utf8.first == 0x22, scanner.take(0x3A), let value = scanner.value() else { return nil }
            members.append((String(key.dropFirst().dropLast()), value))
        } while scanner.take(0x2C)
        return scanner.take(0x7D) && scanner.atEnd ? members : nil
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// One value: a string, a nested object or array (the `{"real":…}`
        /// and `{"blob":…}` forms), or a bare word (number, null, true, false).
        mutating func value() -> String? {
            let start = index
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case 0x22:
                guard skipString() else { return nil }
            case 0x7B, 0x5B:
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case 0x22:
                        guard skipString() else { return nil }
                        continue
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D: depth -= 1
                    default: break
                    }
                    index += 1
                    if depth == 0 { break }
                }
                guard depth == 0 else { return nil }
            default:
                while index < bytes.count, bytes[index] != 0x2C, bytes[index] != 0x5D, bytes[index] != 0x7D {
                    let byte = bytes[index]
                    // Digits, '-', letters of null/true/false, and a number's '.', 'e', '+'.
                    guard (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || (0x61...0x7A).contains(byte) || byte == 0x45
                    else { return nil }
                    index += 1
                }
                guard index > start else { return nil }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// Past a string's closing quote; false when it has none.
        private mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case 0x5C: index += 2
                case 0x22:
                    index += 1
                    return true
                default: index += 1
                }
            }
            return false
        }
    }
}
