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
            "html": HTMLTable.render(
                section.columns.map { ($0.title, $0.alignment == .right) }, section.rows.map { row in row.map { Cell($0.display) } }),
        ]
        if let note = section.note { values["note"] = note }
        return values
    }

    /// A table (`table` partial): `columns` titles (right-aligned when `num`), cells in order, each with an optional link.
    static func table(_ columns: [(String, Bool)], _ rows: [[Cell]]) -> [String: Any] {
        ["html": HTMLTable.render(columns, rows)]
    }

    struct Cell {
        let text: String
        let link: String?
        init(_ text: String?, link: String? = nil) {
            self.text = text ?? ""
            self.link = link
        }
    }

    /// A path of segments, each percent-encoded by byte (codes may hold any character staff type).
    static func path(_ parts: String...) -> String {
        var bytes: [UInt8] = []
        for part in parts {
            bytes.append(UInt8(ascii: "/"))
            for byte in part.utf8 {
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                    bytes.append(byte)
                default:
                    let hex = Array("0123456789ABCDEF".utf8)
                    bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
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
