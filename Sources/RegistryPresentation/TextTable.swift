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
        return ([header(widths: widths)] + rows.map { line($0, widths: widths) }).joined(separator: "\n") + "\n"
    }

    /// The titles and the rule under them, for columns of these widths (in cells).
    package func header(widths: [Int]) -> String {
        line(columns.map(\.title), widths: widths) + "\n" + widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
    }

    /// One row of cells (already made safe) padded to the widths.
    package func line(_ cells: [String], widths: [Int]) -> String {
        cells.indices.map { index in
            TerminalWidth.pad(cells[index], to: widths[index], alignment: columns[index].alignment)
        }
        .joined(separator: "  ")
        .trimmingTrailingSpaces()
    }
}

extension String {
    package func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
