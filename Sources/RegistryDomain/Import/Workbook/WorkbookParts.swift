import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Why a workbook cannot be read.
public struct WorkbookError: Error, Equatable, Sendable, MessageDescribed {
    public let path: String
    public let detail: Message
    public var message: Message { "\(path): \(detail)" }
}

/// The small parts of an .xlsx workbook (Office Open XML, ECMA-376 part 1):
/// the sheets' names and files, which cell styles are dates, and the shared
/// strings. Read with Foundation's XMLParser; the sheets themselves, which
/// may be large, are streamed by `SheetRowReader`.
struct WorkbookParts {
    struct Sheet: Equatable {
        let name: String
        /// The sheet's part in the archive: `xl/worksheets/sheet1.xml`.
        let part: String
    }

    let sheets: [Sheet]
    /// For each cell style index (`s="3"`): whether its number format is a date.
    let dateStyles: [Bool]
    let sharedStrings: [String]

    init(sheets: [Sheet], dateStyles: [Bool], sharedStrings: [String]) {
        self.sheets = sheets
        self.dateStyles = dateStyles
        self.sharedStrings = sharedStrings
    }

    init(archive: Archive, path: String) throws {
        func part(_ name: String) throws -> Data? {
            guard let entry = archive[name] else { return nil }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            return data
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw WorkbookError(path: path, detail: "is a ZIP file but not an Excel workbook (no xl/workbook.xml)")
        }
        let relations = try part("xl/_rels/workbook.xml.rels").map { XMLElements.collect($0, named: ["Relationship"]) } ?? []
        var targets: [String: String] = [:]
        for relation in relations {
            guard let id = relation["Id"], let target = relation["Target"] else { continue }
            // Relative to xl/, or absolute from the archive's root.
            targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        sheets = XMLElements.collect(workbook, named: ["sheet"]).compactMap { sheet in
            guard let name = sheet["name"], let id = sheet["r:id"], let target = targets[id] else { return nil }
            return Sheet(name: name, part: target)
        }
        dateStyles = try part("xl/styles.xml").map(Self.dateStyles) ?? []
        sharedStrings = try part("xl/sharedStrings.xml").map(SharedStrings.parse) ?? []
    }

    /// Which `cellXfs` entries format a number as a date or time: the
    /// built-in formats 14–22, 27–36, 45–47, 50–58, and custom ones whose
    /// code has y, m, d or h outside quotes and brackets.
    static func dateStyles(_ styles: Data) -> [Bool] {
        let builtInDates: Set<Int> = Set(14...22).union(27...36).union(45...47).union(50...58)
        var custom: [Int: Bool] = [:]
        var styleFormats: [Int] = []
        var inCellXfs = false
        XMLElements.walk(styles) { event in
            switch event {
            case .start("numFmt", let attributes):
                if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] { custom[id] = isDateFormat(code) }
            case .start("cellXfs", _): inCellXfs = true
            case .end("cellXfs"): inCellXfs = false
            case .start("xf", let attributes) where inCellXfs:
                styleFormats.append(attributes["numFmtId"].flatMap(Int.init) ?? 0)
            default: break
            }
        }
        return styleFormats.map { custom[$0] ?? builtInDates.contains($0) }
    }

    static func isDateFormat(_ code: String) -> Bool {
        var quoted = false, bracketed = false, escaped = false
        for character in code.lowercased() {
            if escaped {
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "\"": quoted.toggle()
            case "[": bracketed = true
            case "]": bracketed = false
            case "y", "m", "d",
                "h" where !quoted && !bracketed:
                return true
            default: break
            }
        }
        return false
    }
}

/// The shared-string table: each `<si>` is the text of its `<t>` elements,
/// rich-text runs joined, phonetic guides (`<rPh>`) left out.
enum SharedStrings {
    static func parse(_ data: Data) -> [String] {
        var strings: [String] = []
        var current = ""
        var inText = false, inPhonetic = false
        XMLElements.walk(data) { event in
            switch event {
            case .start("si", _): current = ""
            case .end("si"): strings.append(current)
            case .start("rPh", _): inPhonetic = true
            case .end("rPh"): inPhonetic = false
            case .start("t", _): inText = !inPhonetic
            case .end("t"): inText = false
            case .text(let text) where inText: current += text
            default: break
            }
        }
        return strings
    }
}

/// A thin event walk over XMLParser (element names without their prefix,
/// except attributes, which keep theirs: `r:id`).
enum XMLElements {
    enum Event {
        case start(String, [String: String])
        case end(String)
        case text(String)
    }

    static func walk(_ data: Data, _ handle: @escaping (Event) -> Void) {
        let parser = XMLParser(data: data)
        let delegate = Delegate(handle)
        parser.delegate = delegate
        parser.shouldProcessNamespaces = false
        _ = parser.parse()
    }

    /// The attributes of every element called one of `names`.
    static func collect(_ data: Data, named names: Set<String>) -> [[String: String]] {
        var found: [[String: String]] = []
        walk(data) { event in
            if case .start(let name, let attributes) = event, names.contains(name) { found.append(attributes) }
        }
        return found
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let handle: (Event) -> Void
        init(_ handle: @escaping (Event) -> Void) { self.handle = handle }

        private static func local(_ name: String) -> String {
            name.firstIndex(of: ":").map { String(name[name.index(after: $0)...]) } ?? name
        }

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
            attributes attributeDict: [String: String] = [:]
        ) {
            handle(.start(Self.local(elementName), attributeDict))
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            handle(.end(Self.local(elementName)))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { handle(.text(string)) }
    }
}
