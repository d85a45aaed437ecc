import Foundation
import RegistryDomain

/// The list formats: a terminal table, CSV, JSON.
package enum OutputFormat: String, CaseIterable {
    case table, csv, json
}

/// Rows to print in one of the list formats. Each field has a machine key (CSV
/// header, JSON name), a Chinese title (terminal table), and two renderings:
/// what a person reads and the exact value a program reads.
package struct Listing {
    package struct Field {
        package let key: String
        package let title: String
        package let alignment: TextTable.Alignment
        /// Shown in the terminal table (exact-only fields such as fen are not).
        package let inTable: Bool

        package init(_ key: String, _ title: String, _ alignment: TextTable.Alignment = .left, inTable: Bool = true) {
            self.key = key
            self.title = title
            self.alignment = alignment
            self.inTable = inTable
        }
    }

    /// A value: `display` for the table, `exact` for CSV and JSON.
    package struct Value {
        package let display: String
        package let exact: Exact

        package init(display: String, exact: Exact) {
            self.display = display
            self.exact = exact
        }

        package enum Exact {
            case text(String)
            case integer(Int64)
            case null
        }

        package static func text(_ value: String?) -> Value {
            Value(display: value ?? "", exact: value.map { .text($0) } ?? .null)
        }

        package static func integer(_ value: Int64) -> Value {
            Value(display: String(value), exact: .integer(value))
        }
    }

    package let fields: [Field]
    package var rows: [[Value]] = []

    package init(fields: [Field], rows: [[Value]] = []) {
        self.fields = fields
        self.rows = rows
    }

    package func render(_ format: OutputFormat) -> String {
        let sink = TextSink.string()
        // Cannot throw: the rows are already here.
        _ = try? Self.stream(fields, format: format, to: sink) { emit in
            for row in rows { try emit(row) }
        }
        return sink.text
    }

    /// Writes the rows `produce` hands over, as they come, and returns how
    /// many there were. CSV and JSON take one pass. The terminal table takes
    /// two: `produce` is called twice, first to measure the columns, then to
    /// print (run it in one read transaction, so both passes see the same
    /// rows). No format holds the rows; the first one is flushed at once.
    @discardableResult
    package static func stream(
        _ fields: [Field], format: OutputFormat, to sink: TextSink, _ produce: (_ emit: ([Value]) throws -> Void) throws -> Void
    ) throws -> Int {
        var count = 0
        func counted() {
            count += 1
            if count == 1 { sink.flush() }
        }
        switch format {
        case .table:
            let shown = fields.indices.filter { fields[$0].inTable }
            let table = TextTable(columns: shown.map { TextTable.Column(fields[$0].title, fields[$0].alignment) })
            var widths = shown.map { TerminalWidth.of(fields[$0].title) }
            try produce { row in
                for (column, field) in shown.enumerated() {
                    widths[column] = max(widths[column], TerminalWidth.of(TerminalText.safe(row[field].display)))
                }
            }
            sink.write(table.header(widths: widths) + "\n")
            try produce { row in
                sink.write(table.line(shown.map { TerminalText.safe(row[$0].display) }, widths: widths) + "\n")
                counted()
            }
        case .csv:
            // The header comes with the first row (or at the end), so that a
            // filter refused before any row is read leaves no output.
            try produce { row in
                if count == 0 { sink.write(CSV.line(fields.map(\.key))) }
                sink.write(CSV.line(row.map(\.exactText)))
                counted()
            }
            if count == 0 { sink.write(CSV.line(fields.map(\.key))) }
        case .json:
            try produce { row in
                sink.write(count == 0 ? "[\n" : ",\n")
                sink.write("  {" + zip(fields, row).map { field, value in "\(JSON.string(field.key)): \(value.exactJSON)" }.joined(separator: ", ") + "}")
                counted()
            }
            sink.write(count == 0 ? "[]\n" : "\n]\n")
        }
        sink.flush()
        return count
    }
}

extension Listing.Value {
    /// The exact value as a CSV cell: text, digits, or empty for null.
    package var exactText: String {
        switch exact {
        case .text(let text): text
        case .integer(let number): String(number)
        case .null: ""
        }
    }

    /// The exact value as JSON.
    package var exactJSON: String {
        switch exact {
        case .text(let text): JSON.string(text)
        case .integer(let number): String(number)
        case .null: "null"
        }
    }
}

/// RFC 4180 output: fields with a comma, quote or line break are quoted, and
/// quotes inside are doubled; lines end with CRLF, as the RFC and Excel expect.
package enum CSV {
    package static func line(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// One cell: guarded against formula injection (see `SpreadsheetText`),
    /// then quoted when it holds a comma, a quote or a line break (RFC 4180).
    ///
    /// Works on UTF-8 bytes, as the reader does: compared as Characters, a
    /// quote or comma followed by a combining mark (`"\u{301}`) is another
    /// character and would slip through unquoted (found by Fuzz/CSVFuzz).
    package static func field(_ raw: String) -> String {
        let text = SpreadsheetText.neutralised(raw)
        let special: (UInt8) -> Bool = { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
        guard text.utf8.contains(where: special) else { return text }
        var bytes: [UInt8] = [0x22]
        for byte in text.utf8 {
            bytes.append(byte)
            if byte == 0x22 { bytes.append(0x22) }
        }
        bytes.append(0x22)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Listing.Value {
    /// A rate from basis points: `40.0%` for people, `0.4000` for programs; empty when there is none.
    package static func rate(_ basisPoints: Int64?) -> Listing.Value {
        guard let basisPoints else { return Listing.Value(display: "—", exact: .null) }
        return Listing.Value(display: Percent.text(basisPoints: basisPoints), exact: .text(Percent.ratio(basisPoints: basisPoints)))
    }

    /// An amount: formatted for people, exact yuan (`2500000000.00`) for programs.
    package static func money(_ amount: Money, _ unit: Money.DisplayUnit) -> Listing.Value {
        Listing.Value(display: amount.formatted(unit), exact: .text(amount.plainYuan))
    }
}
