import RegistryDomain

/// `report year --format`: text for a terminal, Markdown to paste into a
/// document, CSV with one block per section, JSON (the contract), HTML to print.
package enum ReportFormat: String, CaseIterable {
    case text, markdown, csv, json, html
    /// A workbook: written to a file (`writeWorkbook`), not rendered as text.
    case xlsx
}

extension ReportLayout {
    package func render(_ format: ReportFormat) -> String {
        switch format {
        case .text: text
        case .markdown: markdown
        case .csv: csv
        case .json: report.json()
        case .html: html
        case .xlsx: preconditionFailure("a workbook is written with writeWorkbook(to:)")
        }
    }

    /// Aligned in terminal cells (CJK characters are two wide).
    package var text: String {
        var out = "\(title)\n\(subtitle)\n\n\(headline)\n"
        for section in sections {
            out += "\n【\(section.title)】\n"
            if !section.rows.isEmpty {
                var table = TextTable(columns: section.columns.map { TextTable.Column($0.title, $0.alignment) })
                for row in section.rows { table.append(row.map(\.display)) }
                out += table.render()
            }
            if let note = section.note { out += note + "\n" }
        }
        return out + "\n" + YearReport.countingRuleZh + "\n" + (logHeadNote.map { $0 + "\n" } ?? "")
    }

    package var markdown: String {
        let escaped = MarkdownText.escaped
        var out = "# \(escaped(title))\n\n\(escaped(subtitle))\n\n**\(escaped(headline))**\n"
        for section in sections {
            out += "\n## \(escaped(section.title))\n\n"
            if !section.rows.isEmpty {
                out += "| " + section.columns.map { escaped($0.title) }.joined(separator: " | ") + " |\n"
                out += "|" + section.columns.map { $0.alignment == .right ? " ---: |" : " --- |" }.joined() + "\n"
                for row in section.rows { out += "| " + row.map { escaped($0.display) }.joined(separator: " | ") + " |\n" }
            }
            if let note = section.note { out += (section.rows.isEmpty ? "" : "\n") + escaped(note) + "\n" }
        }
        return out + "\n> " + escaped(YearReport.countingRuleZh) + "\n" + (logHeadNote.map { ">\n> " + escaped($0) + "\n" } ?? "")
    }

    /// One block per section: a `section` line, the header (machine keys), the
    /// rows with exact values (amounts in yuan with two decimals), a blank line.
    package var csv: String {
        var out =
            CSV.line(["section", "report", "year", "as_of", "change_log_head"])
            + CSV.line(["report", "year", String(report.year), report.asOf.description, report.logHead?.description ?? ""]) + "\r\n"
        for section in sections {
            out += CSV.line(["section", section.key])
            out += CSV.line(section.columns.map(\.key))
            for row in section.rows { out += CSV.line(row.map(\.exact)) }
            out += "\r\n"
        }
        return out
    }
}
