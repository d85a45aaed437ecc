/// Reads CSV text as RFC 4180 describes it: fields separated by commas, records
/// by CRLF or LF; a field in double quotes may hold commas, line breaks and
/// doubled quotes (`""`). A trailing line break, or none, ends the last record.
public struct CSVReader {
    /// One record with the line it starts on (1-based), for error messages.
    public struct Record: Equatable, Sendable {
        public let line: Int
        public let fields: [String]
    }

    public struct SyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// All records of `text`. Blank lines (no characters at all) are skipped.
    ///
    /// - throws: `SyntaxError` for an unbalanced quote or text after a closing quote.
    public static func records(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedFieldStartLine = 0
        var afterClosingQuote = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields = []
        }

        while let scalar = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.unicodeScalars.append("\"")
                    } else {
                        inQuotes = false
                        afterClosingQuote = true
                        pending = next
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(field)
                field = ""
                afterClosingQuote = false
            case "\r", "\n":
                if scalar == "\r" {
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                }
                endRecord()
                afterClosingQuote = false
                line += 1
                recordLine = line
            case "\"" where field.isEmpty && !afterClosingQuote:
                inQuotes = true
                quotedFieldStartLine = line
            default:
                if afterClosingQuote {
                    throw SyntaxError(line: line, reason: "text after a closing quote; a quote inside a quoted field is written as two quotes (\"\")")
                }
                if scalar == "\"" {
                    throw SyntaxError(line: line, reason: "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
                }
                field.unicodeScalars.append(scalar)
            }
        }
        if inQuotes {
            throw SyntaxError(line: quotedFieldStartLine, reason: "a quoted field is never closed (unbalanced quote)")
        }
        if !field.isEmpty || !fields.isEmpty || afterClosingQuote {
            endRecord()
        }
        return records
    }
}
