/// A table for the terminal, with columns measured in cells (see `TerminalWidth`).
public struct TextTable {
    public enum Alignment: Sendable { case left, right }

    public struct Column: Sendable {
        public let title: String
        public let alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public let columns: [Column]
    public var rows: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; each cell is made `TerminalText.safe` (the table's own
    /// text, titles and rules, is ours).
    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row needs one cell per column")
        rows.append(row.map(TerminalText.safe))
    }

    /// The table as lines: header, a rule, the rows. Two spaces between columns;
    /// no trailing spaces.
    public func render() -> String {
        let widths = columns.indices.map { index in
            ([columns[index].title] + rows.map { $0[index] }).map(TerminalWidth.of).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.indices.map { index in
                TerminalWidth.pad(cells[index], to: widths[index], alignment: columns[index].alignment)
            }
            .joined(separator: "  ")
            .trimmingTrailingSpaces()
        }
        var lines = [line(columns.map(\.title))]
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        lines += rows.map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
