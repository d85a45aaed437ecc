import Foundation
import RegistryDomain
import ZIPFoundation

/// Writes an .xlsx workbook (Office Open XML SpreadsheetML, the parts Excel,
/// WPS and LibreOffice need and no more): one sheet per call to `addSheet`,
/// text as inline strings, numbers as numbers with a number format, dates
/// as date cells, the header row bold and frozen, column widths that fit
/// Chinese text, and a footer line (the data version) on every printed page.
///
/// Rows stream: each sheet's rows go to a temporary file as they come, and
/// the widths are fixed once the sheet is complete.
public final class WorkbookWriter {
    public enum Cell: Sendable, Equatable {
        case text(String)
        /// An exact decimal (`125000000.50`) shown in `format`.
        case number(String, NumberFormat)
        case integer(Int64)
        case date(ISODate)
        case empty
    }

    public enum NumberFormat: Sendable, Equatable {
        /// `#,##0.00`: yuan to the fen.
        case yuan
        /// `#,##0.00"万元"` and `#,##0.00"亿元"`: a column in those units.
        case wan, yi
        /// `0.0%`.
        case percent

        var style: Int {
            switch self {
            case .yuan: 3
            case .wan: 4
            case .yi: 5
            case .percent: 7
            }
        }
    }

    private struct Sheet {
        let name: String
        let file: URL
    }

    private let path: String
    private let folder: URL
    private var sheets: [Sheet] = []

    public init(path: String) throws {
        self.path = path
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-workbook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Adds a sheet: `header`, then the rows `rows` hands to `emit`, then
    /// `validations` (drop-down lists: a column's cells take one of a list's values).
    public func addSheet(
        _ name: String, header: [String], footer: String? = nil, hidden: Bool = false, validations: [Validation] = [],
        rows: (_ emit: ([Cell]) throws -> Void) throws -> Void
    ) throws {
        let index = sheets.count + 1
        let data = folder.appendingPathComponent("data\(index).xml")
        FileManager.default.createFile(atPath: data.path, contents: nil)
        let out = try FileHandle(forWritingTo: data)
        var widths = header.map { TerminalWidth.of($0) + 2 }
        var buffer = ""
        var rowNumber = 0
        func write(_ cells: [Cell], style: Int? = nil) throws {
            rowNumber += 1
            buffer += "<row r=\"\(rowNumber)\">"
            for (column, cell) in cells.enumerated() {
                let reference = Self.columnName(column) + String(rowNumber)
                if column >= widths.count { widths.append(0) }
                switch cell {
                case .empty: continue
                case .text(let text):
                    widths[column] = max(widths[column], min(60, TerminalWidth.of(text) + 2))
                    let s = style.map { " s=\"\($0)\"" } ?? ""
                    buffer += "<c r=\"\(reference)\"\(s) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XMLEscape.escaped(text))</t></is></c>"
                case .number(let decimal, let format):
                    widths[column] = max(widths[column], decimal.utf8.count * 13 / 10 + (format == .yuan ? 3 : 6))
                    buffer += "<c r=\"\(reference)\" s=\"\(format.style)\"><v>\(decimal)</v></c>"
                case .integer(let number):
                    widths[column] = max(widths[column], String(number).utf8.count + 2)
                    buffer += "<c r=\"\(reference)\" s=\"6\"><v>\(number)</v></c>"
                case .date(let date):
                    widths[column] = max(widths[column], 12)
                    buffer += "<c r=\"\(reference)\" s=\"2\"><v>\(date.excelSerial)</v></c>"
                }
            }
            buffer += "</row>"
            if buffer.utf8.count > 1 << 16 {
                out.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try write(header.map(Cell.text), style: 1)
        try rows { try write($0) }
        out.write(Data(buffer.utf8))
        try out.close()

        let sheetFile = folder.appendingPathComponent("sheet\(index).xml")
        FileManager.default.createFile(atPath: sheetFile.path, contents: nil)
        let sheet = try FileHandle(forWritingTo: sheetFile)
        let columns = widths.enumerated().map { "<col min=\"\($0 + 1)\" max=\"\($0 + 1)\" width=\"\(max(8, $1))\" customWidth=\"1\"/>" }.joined()
        sheet.write(
            Data(
                ("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\">"
                    + "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>"
                    + "<sheetFormatPr defaultRowHeight=\"15\"/><cols>\(columns)</cols><sheetData>").utf8))
        let reader = try FileHandle(forReadingFrom: data)
        while let chunk = try reader.read(upToCount: 1 << 20), !chunk.isEmpty { sheet.write(chunk) }
        try reader.close()
        try FileManager.default.removeItem(at: data)
        var tail = "</sheetData>"
        if !validations.isEmpty {
            tail += "<dataValidations count=\"\(validations.count)\">"
            for validation in validations {
                let range = "\(Self.columnName(validation.column))2:\(Self.columnName(validation.column))\(validation.lastRow)"
                tail +=
                    "<dataValidation type=\"list\" allowBlank=\"1\" showErrorMessage=\"1\" errorTitle=\"\(XMLEscape.escaped(validation.title))\" error=\"\(XMLEscape.escaped(validation.message))\" sqref=\"\(range)\"><formula1>\(XMLEscape.escaped(validation.source))</formula1></dataValidation>"
            }
            tail += "</dataValidations>"
        }
        tail += "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        if let footer {
            tail +=
                "<headerFooter><oddFooter>&amp;L\(XMLEscape.escaped(footer.replacingOccurrences(of: "&", with: "&&")))&amp;R&amp;P / &amp;N</oddFooter></headerFooter>"
        }
        tail += "</worksheet>"
        sheet.write(Data(tail.utf8))
        try sheet.close()
        sheets.append(Sheet(name: name, file: sheetFile))
        hiddenSheets.append(hidden)
    }

    private var hiddenSheets: [Bool] = []

    /// A drop-down list on one column, from row 2 to `lastRow`: `source` is a
    /// formula (`'列表'!$A$2:$A$9`) or a quoted list (`"a,b,c"`).
    public struct Validation: Sendable {
        public let column: Int
        public let source: String
        public let title: String
        public let message: String
        public var lastRow = 1000

        public init(column: Int, source: String, title: String, message: String, lastRow: Int = 1000) {
            self.column = column
            self.source = source
            self.title = title
            self.message = message
            self.lastRow = lastRow
        }
    }

    /// Writes the archive to `path` (replacing a file there).
    public func finish() throws {
        let target = URL(fileURLWithPath: path)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(at: target) }
        let archive = try Archive(url: target, accessMode: .create)
        func add(_ name: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        try add(
            "[Content_Types].xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\(overrides)</Types>"
        )
        try add(
            "_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
        )
        let sheetList = sheets.enumerated().map { index, sheet in
            "<sheet name=\"\(XMLEscape.escaped(Self.sheetName(sheet.name)))\" sheetId=\"\(index + 1)\"\(hiddenSheets[index] ? " state=\"hidden\"" : "") r:id=\"rId\(index + 1)\"/>"
        }.joined()
        try add(
            "xl/workbook.xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"\(Self.mainNamespace)\" xmlns:r=\"\(Self.relationshipNamespace)\"><bookViews><workbookView activeTab=\"0\"/></bookViews><sheets>\(sheetList)</sheets></workbook>"
        )
        let relations =
            sheets.indices.map {
                "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
            }.joined()
            + "<Relationship Id=\"rId\(sheets.count + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        try add(
            "xl/_rels/workbook.xml.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relations)</Relationships>"
        )
        try add("xl/styles.xml", Self.styles)
        for (index, sheet) in sheets.enumerated() {
            try archive.addEntry(with: "xl/worksheets/sheet\(index + 1).xml", fileURL: sheet.file, compressionMethod: .deflate)
        }
    }

    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// Cell styles by index: 0 plain, 1 header (bold), 2 date, 3 yuan,
    /// 4 万元, 5 亿元, 6 whole number, 7 percent.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" formatCode="#,##0.00&quot;万元&quot;"/><numFmt numFmtId="166" formatCode="#,##0.00&quot;亿元&quot;"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="等线"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """

    /// `A`, `B`, …, `Z`, `AA`, … for a zero-based column.
    public static func columnName(_ index: Int) -> String {
        var name = ""
        var rest = index + 1
        while rest > 0 {
            let remainder = (rest - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            rest = (rest - 1) / 26
        }
        return name
    }

    /// Excel's rules for sheet names: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ name: String) -> String {
        String(String(name.unicodeScalars.filter { !"[]:*?/\\".unicodeScalars.contains($0) }).prefix(31))
    }
}
