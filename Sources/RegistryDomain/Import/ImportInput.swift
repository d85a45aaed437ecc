import Foundation
import ZIPFoundation

/// What an import reads: a CSV file (in any of `ImportEncoding`), or a sheet
/// of an .xlsx workbook, whatever the file is called (a workbook given as
/// "CSV" is recognised by its ZIP signature and read as the workbook it is).
final class ImportInput {
    // Two optionals, not an enum with payloads: a reader is mutated in place
    // (taking it out of an enum case would copy its buffer on every record).
    private var source: TextSource?
    private var csv: CSVRecordReader?
    private var rows: SheetRowReader?
    let encoding: ImportEncoding
    /// The workbook's sheet read (nil for CSV).
    let sheet: String?
    /// The extracted sheet part, removed when the import ends.
    private let temporaryFile: String?
    private let size: UInt64

    init(path: String, options: Importer.Options, columns: [ImportColumn]) throws {
        if try Self.isZIP(path) {
            let (reader, sheet, file, size) = try Self.openSheet(path, named: options.sheet, columns: columns)
            rows = reader
            self.sheet = sheet
            self.temporaryFile = file
            self.size = size
            encoding = .utf8
        } else {
            if options.sheet != nil {
                throw WorkbookError(path: path, detail: "is not an .xlsx workbook, so it has no sheets to choose from")
            }
            let source = try TextSource(path: path, encoding: options.encoding)
            self.source = source
            csv = CSVRecordReader(source: source.next, separator: source.separator)
            encoding = source.encoding
            sheet = nil
            temporaryFile = nil
            size = source.fileSize
        }
    }

    deinit {
        if let temporaryFile { try? FileManager.default.removeItem(atPath: temporaryFile) }
    }

    /// (bytes read, bytes in all), for a progress bar.
    var progress: (UInt64, UInt64) {
        (source?.bytesRead ?? rows?.bytesRead ?? 0, size)
    }

    /// About how large the rows would be as CSV (for the bulk-load choice):
    /// a sheet's XML takes about five times its CSV.
    var csvSizeEstimate: UInt64 { sheet == nil ? size : size / 5 }

    func nextRecord() throws -> CSVRecordReader.Record? {
        if csv != nil { return try csv!.next() }
        return try rows!.next()
    }

    struct Records: SheetRecordSource {
        let input: ImportInput
        mutating func next() throws -> CSVRecordReader.Record? { try input.nextRecord() }
    }

    private static func isZIP(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TextEncodingError(path: path, detail: FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions?)" : "no such file")
        }
        defer { try? handle.close() }
        let start = (try handle.read(upToCount: 4)).map(Array.init)
        if start == [0xD0, 0xCF, 0x11, 0xE0] {
            throw WorkbookError(
                path: path, detail: "is an Excel 97–2003 workbook (.xls), which registry does not read; save it from Excel as .xlsx or as CSV (逗号分隔)")
        }
        return start == [0x50, 0x4B, 0x03, 0x04]
    }

    /// The sheet `name`, extracted to a temporary file and opened. Without a
    /// name: the first sheet with a header of these columns in its first
    /// rows (a workbook often starts with a sheet of notes), else the first.
    private static func openSheet(_ path: String, named name: String?, columns: [ImportColumn]) throws -> (SheetRowReader, String, String, UInt64) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw WorkbookError(path: path, detail: "looks like a ZIP file but cannot be opened as one (\(error)); save it again from Excel as .xlsx")
        }
        let parts = try WorkbookParts(archive: archive, path: path)
        let names = parts.sheets.map(\.name).joined(separator: ", ")
        let chosen: WorkbookParts.Sheet?
        if let name {
            chosen = parts.sheets.first { $0.name.sameBytes(as: name) }
        } else if parts.sheets.count > 1 {
            chosen = try parts.sheets.first { try holdsHeader($0, archive: archive, parts: parts, path: path, columns: columns) } ?? parts.sheets.first
        } else {
            chosen = parts.sheets.first
        }
        guard let sheet = chosen else {
            throw WorkbookError(path: path, detail: name == nil ? "has no sheets" : "has no sheet \"\(name!)\"; its sheets are: \(names)")
        }
        let (reader, file, size) = try extract(sheet, archive: archive, parts: parts, path: path)
        return (reader, sheet.name, file, size)
    }

    /// Whether one of the sheet's first rows names at least two of `columns`.
    private static func holdsHeader(
        _ sheet: WorkbookParts.Sheet, archive: Archive, parts: WorkbookParts, path: String, columns: [ImportColumn]
    ) throws -> Bool {
        var (reader, file, _) = try extract(sheet, archive: archive, parts: parts, path: path)
        defer { try? FileManager.default.removeItem(atPath: file) }
        for _ in 0...SheetLayout.titleRowLimit {
            guard let row = try reader.next() else { return false }
            if row.fields.lazy.filter({ SheetLayout.namesColumn($0, in: columns) }).count >= 2 { return true }
        }
        return false
    }

    private static func extract(
        _ sheet: WorkbookParts.Sheet, archive: Archive, parts: WorkbookParts, path: String
    ) throws -> (SheetRowReader, String, UInt64) {
        guard let entry = archive[sheet.part] else {
            throw WorkbookError(path: path, detail: "names a sheet \(sheet.name) whose part \(sheet.part) is missing; the workbook is damaged")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("registry-sheet-\(UUID().uuidString).xml").path
        guard FileManager.default.createFile(atPath: file, contents: nil), let out = FileHandle(forWritingAtPath: file) else {
            throw WorkbookError(path: path, detail: "cannot write a temporary file to read the sheet from")
        }
        do {
            defer { try? out.close() }
            _ = try archive.extract(entry, skipCRC32: false) { out.write($0) }
        } catch {
            try? FileManager.default.removeItem(atPath: file)
            throw WorkbookError(path: path, detail: "sheet \(sheet.name) cannot be read (\(error)); the workbook is damaged")
        }
        return (try SheetRowReader(file: file, parts: parts), file, UInt64(entry.uncompressedSize))
    }
}
