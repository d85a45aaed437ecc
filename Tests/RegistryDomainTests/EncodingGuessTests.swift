import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// Encodings Excel writes (issue 18, second trial): "Unicode 文本" is UTF-16
/// with tabs; a short GB18030 file that happens to be valid UTF-8 is read as
/// the Chinese it is.
@Suite struct EncodingGuessTests {
    let folder: TemporaryDirectory
    init() throws { folder = try TemporaryDirectory() }

    func read(_ bytes: [UInt8]) throws -> (ImportEncoding, [[String]]) {
        let file = folder.path("file-\(UUID().uuidString).txt")
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let source = try TextSource(path: file, encoding: .auto)
        var reader = CSVRecordReader(source: source.next, separator: source.separator)
        var rows: [[String]] = []
        while let row = try reader.next() { rows.append(row.fields) }
        return (source.encoding, rows)
    }

    @Test func gb18030ThatIsAlsoValidUTF8IsReadAsChinese() throws {
        // 医院 in GB18030 is D2 BD D4 BA: as UTF-8, "ҽԺ".
        let bytes = Array("code,name\nYY,".utf8) + [0xD2, 0xBD, 0xD4, 0xBA] + Array("\n".utf8)
        #expect(String(validating: bytes, as: UTF8.self) != nil)
        let (encoding, rows) = try read(bytes)
        #expect(encoding == .gb18030)
        #expect(rows == [["code", "name"], ["YY", "医院"]])
    }

    @Test func chineseUTF8StaysUTF8() throws {
        let (encoding, rows) = try read(Array("code,name\nYY,医院\n".utf8))
        #expect(encoding == .utf8 && rows[1] == ["YY", "医院"])
    }

    @Test func excelsUnicodeTextIsUTF16WithTabs() throws {
        let text = "园区编号\t园区名称\t备注\r\nHF-CY\t海丰县产业转移工业园\t\"含,逗号\"\r\n"
        let little = [UInt8]([0xFF, 0xFE]) + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let big = [UInt8]([0xFE, 0xFF]) + text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [little, big] {
            let (encoding, rows) = try read(bytes)
            #expect(encoding == .utf16)
            #expect(rows == [["园区编号", "园区名称", "备注"], ["HF-CY", "海丰县产业转移工业园", "含,逗号"]])
        }
    }
}
