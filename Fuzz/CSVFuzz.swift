// libFuzzer target for the CSV reader (see Fuzz/run-fuzzers.sh).
// Any bytes, cut into chunks at sizes taken from the input: no crash, no
// hang, the same records whatever the chunking, and records written back
// as quoted CSV read back identical.
@_cdecl("LLVMFuzzerTestOneInput")
public func csvFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let whole = read(bytes, chunk: max(1, size)) else { return 0 }
    let chunk = size > 0 ? Int(bytes[0] % 7) + 1 : 1
    guard let cut = read(bytes, chunk: chunk) else { preconditionFailure("chunk size \(chunk) fails where one chunk reads") }
    precondition(cut == whole, "chunk size \(chunk) gives other records")
    // Written byte by byte: as Characters, a quote followed by a combining
    // mark is not a quote, and would not be doubled.
    var written: [UInt8] = []
    for (index, record) in whole.enumerated() {
        if index > 0 { written.append(0x0A) }
        for (column, field) in record.fields.enumerated() {
            if column > 0 { written.append(0x2C) }
            written.append(0x22)
            for byte in field.utf8 {
                written.append(byte)
                if byte == 0x22 { written.append(0x22) }
            }
            written.append(0x22)
        }
    }
    guard let again = read(written, chunk: 5) else { preconditionFailure("written records do not read back") }
    precondition(again.map { $0.fields } == whole.map { $0.fields }, "round trip changed the records")
    return 0
}

private func read(_ bytes: [UInt8], chunk: Int) -> [CSVRecordReader.Record]? {
    var offset = 0
    var reader = CSVRecordReader(source: {
        guard offset < bytes.count else { return nil }
        defer { offset += chunk }
        return Array(bytes[offset..<min(bytes.count, offset + chunk)])
    })
    var records: [CSVRecordReader.Record] = []
    do {
        while let record = try reader.next() { records.append(record) }
    } catch {
        return nil
    }
    return records
}
