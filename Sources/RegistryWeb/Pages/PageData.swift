import Foundation
import Hummingbird
import RegistryDomain
import RegistryPresentation

/// Turning domain values into what templates read: dictionaries of text.
enum PageData {
    /// A report section as a table (`section` partial).
    static func section(_ section: ReportSection) -> [String: Any] {
        var values: [String: Any] = [
            "title": section.title,
            "columns": section.columns.map { ["title": $0.title, "num": $0.alignment == .right] },
            "rows": section.rows.map { row in
                ["cells": zip(section.columns, row).map { column, cell in ["text": cell.display, "num": column.alignment == .right] }]
            },
            "empty": section.rows.isEmpty,
        ]
        if let note = section.note { values["note"] = note }
        return values
    }

    /// A table of plain rows: `columns` titles (right-aligned when `num`), cells in order, each with an optional link.
    static func table(_ columns: [(String, Bool)], _ rows: [[Cell]]) -> [String: Any] {
        [
            "columns": columns.map { ["title": $0.0, "num": $0.1] },
            "rows": rows.map { row in ["cells": zip(columns, row).map { column, cell in cell.values(num: column.1) }] },
            "empty": rows.isEmpty,
        ]
    }

    struct Cell {
        let text: String
        let link: String?
        init(_ text: String?, link: String? = nil) {
            self.text = text ?? ""
            self.link = link
        }
        func values(num: Bool) -> [String: Any] {
            var values: [String: Any] = ["text": text, "num": num]
            if let link { values["link"] = link }
            return values
        }
    }

    /// A path segment for a key (codes may hold any character staff type).
    static func path(_ parts: String...) -> String {
        "/" + parts.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#", "%"])) ?? "" }.joined(separator: "/")
    }

    /// The year menu: recorded years, the current one, and `chosen`, newest first.
    static func years(_ recorded: [Int], chosen: Int) -> [[String: Any]] {
        Set(recorded + [chosen, ISODate.today().year]).sorted(by: >).map { ["year": String($0), "selected": $0 == chosen] }
    }
}

extension Request {
    /// A query parameter, empty meaning absent.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }
}
