import Foundation

/// Streams the rows of one worksheet part (`<sheetData><row r="5"><c r="B5"
/// t="s" s="2"><v>17</v></c>…`) as records, a row at a time, from the
/// part extracted to a file: memory holds one chunk and one row, however
/// long the sheet. The scan is by bytes (every byte of XML syntax is ASCII,
/// and UTF-8 never uses ASCII bytes inside a character), which a
/// million-cell sheet needs; XMLParser's callbacks cost more than the import.
///
/// Cells become the text staff see: shared and inline strings as they are,
/// numbers in a date style as ISO dates, other numbers as the shortest
/// decimal that reads back the same (at most 15 significant digits, as
/// Excel shows them), booleans as 是/否, errors as written (`#DIV/0!`,
/// which the column's check then refuses).
struct SheetRowReader: SheetRecordSource {
    private let handle: FileHandle
    private let parts: WorkbookParts
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private(set) var bytesRead: UInt64 = 0

    init(file: String, parts: WorkbookParts) throws {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw WorkbookError(path: file, detail: "cannot be read") }
        self.handle = handle
        self.parts = parts
    }

    private static let chunk = 1 << 20

    /// The bytes from `position` up to and including the next occurrence of
    /// `needle`, reading more of the file as needed; nil at the end.
    private mutating func find(_ needle: [UInt8], from start: Int) throws -> Int? {
        var from = start
        while true {
            if let found = Self.index(of: needle, in: buffer, from: from) { return found }
            if exhausted { return nil }
            // Keep what is not consumed yet, and read on.
            from = max(from, position, buffer.count - needle.count + 1)
            let data = try handle.read(upToCount: Self.chunk) ?? Data()
            if data.isEmpty {
                exhausted = true
                continue
            }
            bytesRead += UInt64(data.count)
            if position > 0 {
                buffer.removeSubrange(0..<position)
                from -= position
                position = 0
            }
            buffer.append(contentsOf: data)
        }
    }

    private static func index(of needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard needle.count <= bytes.count, from <= bytes.count - needle.count else { return nil }
        let first = needle[0]
        var index = from
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = true
                for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    private static let cellOpen = Array("<c".utf8), cellClose = Array("</c>".utf8)
    private static let rowOpen = Array("<row".utf8), rowClose = Array("</row>".utf8), tagEnd = Array(">".utf8)

    mutating func next() throws -> CSVRecordReader.Record? {
        while true {
            guard let found = try find(Self.rowOpen, from: position) else { return nil }
            // The row starts here: `find` keeps what is after `position` when
            // it reads on (moving it to the buffer's start), so `position`
            // stays the row's start while its end is looked for.
            position = found
            guard let tagClose = try find(Self.tagEnd, from: position) else { return nil }
            let open = position
            // `<row` then a space, `>` or `/`: not `<rowBreaks`.
            let after = buffer[open + 4]
            guard after == 0x20 || after == UInt8(ascii: ">") || after == UInt8(ascii: "/") || after == 0x0A || after == 0x0D || after == 0x09 else {
                position = open + 4
                continue
            }
            let line = Self.attribute("r", in: buffer[open..<tagClose]).flatMap { Int($0) }
            if buffer[tagClose - 1] == UInt8(ascii: "/") {
                position = tagClose + 1
                if let line { return CSVRecordReader.Record(line: line, fields: []) }
                continue
            }
            guard let close = try find(Self.rowClose, from: tagClose) else {
                throw CSVRecordReader.SyntaxError(line: line ?? 0, reason: "the sheet's XML ends inside a row; the workbook is damaged")
            }
            let body = Self.index(of: Self.tagEnd, in: buffer, from: position)! + 1
            let fields = cells(buffer[body..<close])
            position = close + Self.rowClose.count
            return CSVRecordReader.Record(line: line ?? 0, fields: fields)
        }
    }

    /// The cells of one row's body, placed by their reference (`C5` is the third field).
    private func cells(_ row: ArraySlice<UInt8>) -> [String] {
        var fields: [String] = []
        var index = row.startIndex
        while index < row.endIndex, let open = Self.range(of: Self.cellOpen, in: row[index...])?.lowerBound {
            let after = row[open + 2]
            guard after == 0x20 || after == UInt8(ascii: ">") || after == UInt8(ascii: "/") else {
                index = open + 2
                continue
            }
            guard let tagClose = row[open...].firstIndex(of: UInt8(ascii: ">")) else { break }
            let tag = row[open..<tagClose]
            let column = Self.attribute("r", in: tag).flatMap(Self.columnIndex) ?? fields.count
            let type = Self.attribute("t", in: tag) ?? "n"
            let style = Self.attribute("s", in: tag).flatMap { Int($0) } ?? 0
            var content: ArraySlice<UInt8> = []
            if row[tagClose - 1] == UInt8(ascii: "/") {
                index = tagClose + 1
            } else {
                let end = Self.range(of: Self.cellClose, in: row[tagClose...])?.lowerBound ?? row.endIndex
                content = row[(tagClose + 1)..<end]
                index = min(row.endIndex, end + 4)
            }
            let text = value(type: type, style: style, content: content)
            if text.isEmpty { continue }
            if column >= fields.count { fields.append(contentsOf: repeatElement("", count: column - fields.count + 1)) }
            fields[column] = text
            if index >= row.endIndex { break }
        }
        return fields
    }

    private func value(type: String, style: Int, content: ArraySlice<UInt8>) -> String {
        switch type {
        case "s":
            guard let index = Self.element("v", in: content).flatMap({ Int(XMLEscape.decoded($0)) }), parts.sharedStrings.indices.contains(index) else {
                return ""
            }
            return parts.sharedStrings[index]
        case "inlineStr":
            // Every <t> of the <is>, runs joined.
            var text = ""
            var rest = content
            while let open = Self.range(of: Array("<t".utf8), in: rest) {
                guard let start = rest[open.upperBound...].firstIndex(of: UInt8(ascii: ">")) else { break }
                if rest[start - 1] == UInt8(ascii: "/") {
                    rest = rest[(start + 1)...]
                    continue
                }
                guard let end = Self.range(of: Array("</t>".utf8), in: rest[(start + 1)...]) else { break }
                text += XMLEscape.decoded(String(decoding: rest[(start + 1)..<end.lowerBound], as: UTF8.self))
                rest = rest[end.upperBound...]
            }
            return text
        case "b":
            return Self.element("v", in: content) == "1" ? "是" : "否"
        case "str", "e", "d":
            return Self.element("v", in: content).map(XMLEscape.decoded) ?? ""
        default:
            guard let number = Self.element("v", in: content) else { return "" }
            if parts.dateStyles.indices.contains(style), parts.dateStyles[style], let day = Double(number) {
                return ISODate(excelSerial: Int(day.rounded(.down)))?.description ?? number
            }
            return Self.shown(number)
        }
    }

    /// A number as Excel shows it: the stored double to 15 significant
    /// digits (`0.30000000000000004` is 0.3), without an exponent.
    static func shown(_ number: String) -> String {
        let digits = number.utf8.filter { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        if digits <= 15 && !number.contains("E") && !number.contains("e") { return number }
        guard let value = Double(number) else { return number }
        let decimal = Decimal(string: String(format: "%.15g", value)) ?? Decimal(value)
        return NSDecimalNumber(decimal: decimal).stringValue
    }

    /// The text of the first `<name>…</name>` in `content`.
    private static func element(_ name: String, in content: ArraySlice<UInt8>) -> String? {
        guard let open = range(of: Array("<\(name)>".utf8), in: content), let close = range(of: Array("</\(name)>".utf8), in: content[open.upperBound...])
        else { return nil }
        return String(decoding: content[open.upperBound..<close.lowerBound], as: UTF8.self)
    }

    private static func range(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Range<Int>? {
        guard needle.count <= bytes.count else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - needle.count {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index..<(index + needle.count) }
            index += 1
        }
        return nil
    }

    /// The value of attribute `name` in a start tag (` r="C5"`).
    static func attribute(_ name: String, in tag: ArraySlice<UInt8>) -> String? {
        let needle = Array(" \(name)=\"".utf8)
        guard let found = range(of: needle, in: tag), let end = tag[found.upperBound...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return String(decoding: tag[found.upperBound..<end], as: UTF8.self)
    }

    /// `C5` → 2 (zero-based).
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference.utf8 {
            guard byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") else { break }
            index = index * 26 + Int(byte - UInt8(ascii: "A") + 1)
            letters += 1
        }
        return letters == 0 ? nil : index - 1
    }
}

/// XML's five named entities and numeric character references.
package enum XMLEscape {
    package static func decoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { break }
            let name = rest[rest.index(after: amp)..<semicolon]
            switch name {
            case "lt": result += "<"
            case "gt": result += ">"
            case "amp": result += "&"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: UInt32? = name.hasPrefix("#x") ? UInt32(name.dropFirst(2), radix: 16) : name.hasPrefix("#") ? UInt32(name.dropFirst()) : nil
                if let scalar, let value = Unicode.Scalar(scalar) { result.unicodeScalars.append(value) } else { result += rest[amp...semicolon] }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    /// Text escaped for XML content and attribute values. Characters XML 1.0
    /// cannot hold (controls other than tab and line breaks) are left out:
    /// no field accepts them anyway.
    package static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default: if scalar.value >= 0x20 { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
