import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// The streaming sheet scanner: rows that cross its 1 MiB reads, cells
/// placed by reference (gaps stay empty), every cell type.
@Suite struct SheetRowReaderTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory() }

    func rows(_ xml: String, dateStyles: [Bool] = [false, true], strings: [String] = ["共享", "第二"]) throws -> [CSVRecordReader.Record] {
        let file = folder.path("sheet-\(UUID().uuidString).xml")
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        var reader = try SheetRowReader(file: file, parts: WorkbookParts(sheets: [], dateStyles: dateStyles, sharedStrings: strings))
        var found: [CSVRecordReader.Record] = []
        while let row = try reader.next() { found.append(row) }
        return found
    }

    @Test func everyCellTypeAndGaps() throws {
        let xml = """
            <worksheet><sheetData><row r="3"><c r="B3" t="s"><v>1</v></c><c r="D3" t="inlineStr"><is><r><t>甲&amp;</t></r><r><t xml:space="preserve"> 乙</t></r></is></c>\
            <c r="E3" s="1"><v>45730</v></c><c r="F3"><v>0.30000000000000004</v></c><c r="G3" t="b"><v>1</v></c><c r="H3" t="str"><v>&lt;x&gt;</v></c></row>\
            <row r="4"/><row r="5"><c r="A5"/><c r="AA5"><v>7</v></c></row></sheetData></worksheet>
            """
        let found = try rows(xml)
        #expect(found.count == 3)
        #expect(found[0].line == 3 && found[0].fields == ["", "第二", "", "甲& 乙", "2025-03-14", "0.3", "是", "<x>"])
        #expect(found[1].line == 4 && found[1].fields.isEmpty)
        #expect(found[2].line == 5 && found[2].fields.count == 27 && found[2].fields[26] == "7")
    }

    @Test func rowsAcrossTheReadsComeWhole() throws {
        var xml = "<worksheet><sheetData>"
        let count = 30_000
        for row in 1...count {
            xml += "<row r=\"\(row)\"><c r=\"A\(row)\" t=\"inlineStr\"><is><t>项目名称第\(row)行，用来填满读入的缓冲区</t></is></c><c r=\"B\(row)\"><v>\(row)</v></c></row>"
        }
        xml += "</sheetData></worksheet>"
        #expect(xml.utf8.count > 3 << 20)
        let found = try rows(xml)
        #expect(found.count == count)
        #expect(found.enumerated().allSatisfy { index, row in row.line == index + 1 && row.fields == ["项目名称第\(index + 1)行，用来填满读入的缓冲区", "\(index + 1)"] })
    }
}
