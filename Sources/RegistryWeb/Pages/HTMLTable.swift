import RegistryPresentation

/// A table of text cells, written in Swift rather than through a template:
/// tables are most of every page, and a template's lookups per cell cost
/// more than the rest of the page. Every cell and title goes through
/// `HTMLText.escaped`, every link is a path the server made (`PageData.path`)
/// and is escaped too.
enum HTMLTable {
    static func render(_ columns: [(title: String, num: Bool)], _ rows: [[PageData.Cell]]) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">（无）</p>" }
        var out = "<table>\n<thead><tr>"
        for column in columns {
            out += column.num ? "<th class=\"num\">" : "<th>"
            out += HTMLText.escaped(column.title) + "</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr>"
            for (index, cell) in row.enumerated() {
                // Codes and dates (short ASCII) stay on one line; names wrap.
                let short = cell.text.utf8.count <= 24 && cell.text.utf8.allSatisfy { $0 < 0x80 }
                out += index < columns.count && columns[index].num ? "<td class=\"num\">" : short ? "<td class=\"key\">" : "<td>"
                if let link = cell.link {
                    out += "<a href=\"" + HTMLText.escaped(link) + "\">" + HTMLText.escaped(cell.text) + "</a>"
                } else {
                    out += HTMLText.escaped(cell.text)
                }
                out += "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}
