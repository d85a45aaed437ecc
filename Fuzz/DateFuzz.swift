// libFuzzer target for the date parser (see Fuzz/run-fuzzers.sh).
// Any input: no crash, no hang. An accepted date is a real calendar day in
// the accepted years, and its ISO form parses back to the same day.
@_cdecl("LLVMFuzzerTestOneInput")
public func dateFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let date = try? ISODate.parse(text) else { return 0 }
    precondition(ISODate.acceptedYears.contains(date.year), "\(text) → year \(date.year)")
    precondition(ISODate(year: date.year, month: date.month, day: date.day) != nil, "\(text) → not a calendar day")
    let iso = date.description
    precondition(ISODate(iso: iso) == date && (try? ISODate.parse(iso)) == date, "\(text) → \(iso) does not read back")
    return 0
}
