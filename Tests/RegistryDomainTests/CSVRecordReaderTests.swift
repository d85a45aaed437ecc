import Testing

@testable import RegistryDomain

@Suite struct CSVRecordReaderTests {
    func records(_ text: String) throws -> [CSVRecordReader.Record] {
        var reader = CSVRecordReader(text: text)
        var out: [CSVRecordReader.Record] = []
        while let record = try reader.next() { out.append(record) }
        return out
    }

    /// The same text split into chunks of `size` bytes, to cross every boundary.
    func records(_ text: String, chunkSize size: Int) throws -> [CSVRecordReader.Record] {
        var bytes = ArraySlice(Array(text.utf8))
        var reader = CSVRecordReader(source: {
            guard !bytes.isEmpty else { return nil }
            defer { bytes = bytes.dropFirst(size) }
            return Array(bytes.prefix(size))
        })
        var out: [CSVRecordReader.Record] = []
        while let record = try reader.next() { out.append(record) }
        return out
    }

    @Test func readsQuotedFieldsWithCommasQuotesAndNewlines() throws {
        let text = "code,name\r\nA,\"带,逗号\"\r\nB,\"他说\"\"好\"\"\"\r\nC,\"两\n行\"\r\nD,\r\n"
        let rows = try records(text)
        #expect(rows.map(\.fields) == [["code", "name"], ["A", "带,逗号"], ["B", "他说\"好\""], ["C", "两\n行"], ["D", ""]])
        #expect(rows.map(\.line) == [1, 2, 3, 4, 6])
        for size in [1, 2, 3, 5, 7] {
            #expect(try records(text, chunkSize: size) == rows, "chunk size \(size)")
        }
    }

    @Test func acceptsLFCRLFAndNoTrailingNewline() throws {
        #expect(try records("a,b\nc,d").map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(try records("a,b\r\nc,d\r\n").map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(try records("a,b\rc,d\r").map(\.fields) == [["a", "b"], ["c", "d"]])
        #expect(try records("a,\"b\"").map(\.fields) == [["a", "b"]])
    }

    @Test func skipsBlankLinesButKeepsLineNumbers() throws {
        let rows = try records("h\n\nx\n\n\ny\n")
        #expect(rows.map(\.fields) == [["h"], ["x"], ["y"]])
        #expect(rows.map(\.line) == [1, 3, 6])
        #expect(try records("").isEmpty)
        #expect(try records("\n\n").isEmpty)
    }

    @Test func emptyQuotedFieldIsAField() throws {
        #expect(try records("\"\",x\n").map(\.fields) == [["", "x"]])
        #expect(try records("\"\"\n").map(\.fields) == [[""]])
    }

    @Test func unbalancedQuoteNamesTheLineWhereItOpened() throws {
        let error = try #require(throws: CSVRecordReader.SyntaxError.self) { try records("h\nok\n\"never\nclosed\n") }
        #expect(error.line == 3)
        #expect(error.reason.english.contains("unbalanced"))
    }

    @Test func strayQuotesAreRefused() throws {
        #expect(throws: CSVRecordReader.SyntaxError.self) { try records("\"a\"b,c\n") }
        #expect(throws: CSVRecordReader.SyntaxError.self) { try records("a\"b,c\n") }
    }

    @Test func multiByteCharactersSurviveChunkBoundaries() throws {
        let text = "名称,县区\n深汕特别合作区,陆河县\n"
        for size in 1...8 {
            #expect(try records(text, chunkSize: size).map(\.fields) == [["名称", "县区"], ["深汕特别合作区", "陆河县"]])
        }
    }
}
