import RegistryDomain

/// One self-contained HTML file: inline CSS and SVG, no script, no network,
/// laid out for A4 paper.
extension ReportLayout {
    package var html: String {
        var body = "<header><h1>\(Self.escaped(title))</h1><p class=\"sub\">\(Self.escaped(subtitle))</p></header>\n"
        body += "<p class=\"headline\">\(Self.escaped(headline))</p>\n"
        if !report.targets.isEmpty {
            body += "<section class=\"chart\"><h2>目标与实际</h2>\(targetBars)</section>\n"
        }
        body += "<section class=\"chart\"><h2>累计计划总投资与进度目标（\(unitName)）</h2>\(cumulativeLine)</section>\n"
        for section in sections {
            body += "<section><h2>\(Self.escaped(section.title))</h2>\n"
            if !section.rows.isEmpty {
                body +=
                    "<table><thead><tr>"
                    + section.columns.map { "<th class=\"\($0.alignment == .right ? "num" : "")\">\(Self.escaped($0.title))</th>" }.joined()
                    + "</tr></thead><tbody>\n"
                for row in section.rows {
                    body +=
                        "<tr>"
                        + zip(section.columns, row).map { "<td class=\"\($0.alignment == .right ? "num" : "")\">\(Self.escaped($1.display))</td>" }.joined()
                        + "</tr>\n"
                }
                body += "</tbody></table>\n"
            }
            if let note = section.note { body += "<p class=\"note\">\(Self.escaped(note))</p>\n" }
            body += "</section>\n"
        }
        body += "<footer>\(Self.escaped(YearReport.countingRuleZh))"
        if let note = logHeadNote { body += "<br><span class=\"head\">\(Self.escaped(note))</span>" }
        body += "</footer>\n"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(Self.escaped(title))</title>
            <style>
            @page { size: A4; margin: 16mm 14mm; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; max-width: 182mm; margin: 0 auto; font-size: 10.5pt; line-height: 1.45; }
            h1 { font-size: 18pt; margin: 0 0 2mm; }
            h2 { font-size: 12pt; border-left: 4px solid #b3261e; padding-left: 2mm; margin: 6mm 0 2mm; }
            .sub { color: #555; margin: 0; }
            .headline { font-size: 11.5pt; background: #fbf3f2; border: 1px solid #e8c4c0; padding: 3mm; }
            table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
            th, td { border-bottom: 1px solid #ddd; padding: 1mm 2mm; text-align: left; }
            th { background: #f3f3f3; }
            .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            .note, footer { color: #555; font-size: 9pt; }
            footer { margin-top: 6mm; border-top: 1px solid #ccc; padding-top: 2mm; }
            footer .head { font-family: monospace; font-size: 7pt; word-break: break-all; }
            section { break-inside: avoid; }
            svg text { font-family: inherit; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    /// A bar per target: the actual against the (pro-rata) target, in percent.
    package var targetBars: String {
        let rowHeight = 26, labelWidth = 250, barWidth = 380
        let results = report.targets
        let highest = max(10_000, results.map(\.achievementBasisPoints).max() ?? 0)
        var svg = "<svg viewBox=\"0 0 \(labelWidth + barWidth + 80) \(results.count * rowHeight + 24)\" width=\"100%\" role=\"img\">"
        let targetX = labelWidth + Int(Int64(barWidth) * 10_000 / highest)
        for (index, result) in results.enumerated() {
            let y = index * rowHeight + 4
            let width = Int(Int64(barWidth) * min(result.achievementBasisPoints, highest) / highest)
            let label = "\(result.target.metric.chineseName) · \(scopeLabel(result.target.scope))"
            svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(Self.escaped(label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(width, 1))\" height=\"16\" fill=\"\(result.met ? "#b3261e" : "#e0a39e")\"/>"
            svg += "<text x=\"\(labelWidth + max(width, 1) + 4)\" y=\"\(y + 15)\" font-size=\"11\">\(result.achievementText)</text>"
        }
        svg += "<line x1=\"\(targetX)\" y1=\"0\" x2=\"\(targetX)\" y2=\"\(results.count * rowHeight + 6)\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
        svg += "<text x=\"\(targetX)\" y=\"\(results.count * rowHeight + 20)\" font-size=\"11\" text-anchor=\"middle\">目标 100%</text>"
        return svg + "</svg>"
    }

    /// Cumulative planned investment by month, and the pro-rata target line.
    package var cumulativeLine: String {
        let width = 640, height = 250, left = 64, right = 16, top = 28, bottom = 28
        let months = report.byMonth
        let reported = months.filter(\.reported)
        let targetEnd = months.last?.proRataInvestmentTarget?.fen ?? 0
        let highest = max(reported.last?.cumulative.investment.fen ?? 0, targetEnd, 1)
        func x(_ month: Int) -> Int { left + (width - left - right) * month / 12 }
        func y(_ fen: Int64) -> Int { top + Int(Int64(height - top - bottom) - Int64(height - top - bottom) * fen / highest) }
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\">"
        for step in 0...4 {
            let fen = highest * Int64(step) / 4
            svg += "<line x1=\"\(left)\" y1=\"\(y(fen))\" x2=\"\(width - right)\" y2=\"\(y(fen))\" stroke=\"#e5e5e5\"/>"
            svg += "<text x=\"\(left - 4)\" y=\"\(y(fen) + 4)\" font-size=\"10\" text-anchor=\"end\">\(Money(fen: fen).hundredthsString(of: unit))</text>"
        }
        for month in 1...12 {
            svg += "<text x=\"\(x(month))\" y=\"\(height - 10)\" font-size=\"10\" text-anchor=\"middle\">\(month)月</text>"
        }
        if months.contains(where: { $0.proRataInvestmentTarget != nil }) {
            let points = ["\(x(0)),\(y(0))"] + months.map { "\(x($0.month)),\(y($0.proRataInvestmentTarget?.fen ?? 0))" }
            svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#333\" stroke-dasharray=\"5 4\"/>"
            svg += "<text x=\"\(x(12) - 4)\" y=\"\(y(targetEnd) - 6)\" font-size=\"10\" text-anchor=\"end\">进度目标</text>"
        }
        let points = ["\(x(0)),\(y(0))"] + reported.map { "\(x($0.month)),\(y($0.cumulative.investment.fen))" }
        svg += "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"#b3261e\" stroke-width=\"2.5\"/>"
        for month in reported { svg += "<circle cx=\"\(x(month.month))\" cy=\"\(y(month.cumulative.investment.fen))\" r=\"3\" fill=\"#b3261e\"/>" }
        if let last = reported.last {
            svg +=
                "<text x=\"\(x(last.month) - 6)\" y=\"\(y(last.cumulative.investment.fen) - 8)\" font-size=\"11\" text-anchor=\"end\" fill=\"#b3261e\">实际 \(last.cumulative.investment.hundredthsString(of: unit))</text>"
        }
        return svg + "</svg>"
    }

    /// HTML text for an element or a quoted attribute.
    ///
    /// Works on Unicode scalars, never on `Character`s: a grapheme cluster
    /// can begin with a prepended format character (U+0600 ARABIC NUMBER
    /// SIGN joins the `<` after it into one cluster) or end with combining
    /// marks, and such a cluster is not equal to `"<"`, so a per-Character
    /// escaper would let the `<` through raw. Lossless, unlike the web
    /// pages' `HTMLText` (which shows format characters as their code): the
    /// report is a document that must keep every name as stored.
    package static func escaped(_ text: String) -> String {
        ScalarEscaping.escaped(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
    }
}
