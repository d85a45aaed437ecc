/// Reads CSV as RFC 4180 describes it, streaming over UTF-8 byte chunks:
/// fields separated by commas, records by CRLF or LF; a field in double quotes
/// may hold commas, line breaks and doubled quotes (`""`). A trailing line
/// break, or none, ends the last record. Blank lines are skipped.
///
/// Works on bytes, not Characters: every byte that matters to CSV syntax is
/// ASCII, and UTF-8 never uses ASCII values inside a multi-byte character.
public struct CSVRecordReader {
    /// One record with the line it starts on (1-based), for error messages.
    public struct Record: Equatable, Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: Message
        public var description: String { (Message("line \(line): \(reason)")).english }
    }

    private let read: () throws -> [UInt8]?
    private var buffer: [UInt8] = []
    private var position = 0
    private var exhausted = false
    private var line = 1
    private var field: [UInt8] = []
    /// The last record's width: room for the next record's fields is made once.
    private var fieldsPerRecord = 8

    /// Reads from `source`, which returns the next chunk or nil at the end.
    public init(source: @escaping () throws -> [UInt8]?, separator: UInt8 = UInt8(ascii: ",")) {
        self.read = source
        self.comma = separator
        field.reserveCapacity(256)
    }

    /// Reads an in-memory text (seeds, tests).
    public init(text: String) {
        var chunk: [UInt8]? = Array(text.utf8)
        self.init(source: {
            defer { chunk = nil }
            return chunk
        })
    }

    /// The field separator: a comma, or a tab (Excel's "Unicode 文本").
    private let comma: UInt8
    private static let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

    @inline(__always)
    private mutating func refill() throws -> Bool {
        if position < buffer.count { return true }
        if exhausted { return false }
        while let chunk = try read() {
            if !chunk.isEmpty {
                buffer = chunk
                position = 0
                return true
            }
        }
        exhausted = true
        return false
    }

    @inline(__always)
    private mutating func peek() throws -> UInt8? {
        try refill() ? buffer[position] : nil
    }

    /// The next record, or nil at the end of the input.
    ///
    /// - throws: `SyntaxError` for an unbalanced quote or stray text after a closing quote.
    public mutating func next() throws -> Record? {
        var fields: [String] = []
        fields.reserveCapacity(fieldsPerRecord)
        field.removeAll(keepingCapacity: true)
        var startLine = line
        var inQuotes = false
        var closedQuote = false
        var quoteLine = 0
        var started = false
        while try refill() {
            let byte = buffer[position]
            position += 1
            started = true
            if inQuotes {
                if byte == Self.quote {
                    if try peek() == Self.quote {
                        position += 1
                        field.append(Self.quote)
                    } else {
                        inQuotes = false
                        closedQuote = true
                    }
                } else {
                    // Take the run up to the next quote (or the chunk's end) at once.
                    if byte == Self.lf { line += 1 }
                    var end = position
                    while end < buffer.count, buffer[end] != Self.quote {
                        if buffer[end] == Self.lf { line += 1 }
                        end += 1
                    }
                    field.append(byte)
                    field.append(contentsOf: buffer[position..<end])
                    position = end
                }
                continue
            }
            switch byte {
            case comma:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                closedQuote = false
            case Self.cr, Self.lf:
                if byte == Self.cr, try peek() == Self.lf { position += 1 }
                line += 1
                if fields.isEmpty, field.isEmpty, !closedQuote {
                    // A blank line: no record.
                    startLine = line
                    started = false
                    continue
                }
                fields.append(String(decoding: field, as: UTF8.self))
                fieldsPerRecord = fields.count
                return Record(line: startLine, fields: fields)
            case Self.quote where field.isEmpty && !closedQuote:
                inQuotes = true
                quoteLine = line
            default:
                if closedQuote {
                    throw SyntaxError(line: line, reason: "text after a closing quote; a quote inside a quoted field is written as two quotes (\"\")")
                }
                if byte == Self.quote {
                    throw SyntaxError(line: line, reason: "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
                }
                // Take the run up to the next byte that matters (or the chunk's end) at once.
                var end = position
                while end < buffer.count {
                    let next = buffer[end]
                    if next == comma || next == Self.cr || next == Self.lf || next == Self.quote { break }
                    end += 1
                }
                field.append(byte)
                field.append(contentsOf: buffer[position..<end])
                position = end
            }
        }
        if inQuotes {
            throw SyntaxError(line: quoteLine, reason: "a quoted field is never closed (unbalanced quote)")
        }
        guard started else { return nil }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: startLine, fields: fields)
    }
}
