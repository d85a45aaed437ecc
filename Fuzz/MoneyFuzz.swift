// libFuzzer target for the money parser (see Fuzz/run-fuzzers.sh).
// Any input: no crash, no trap (overflow), no hang. An accepted amount
// prints as plain yuan and parses back to exactly the same fen, in every
// bare unit, and `formatted` never traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func moneyFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for unit in Money.Unit.allCases {
        guard let money = try? Money.parse(text, bareUnit: unit) else { continue }
        precondition(money.fen >= 0, "accepted a negative amount: \(text)")
        let plain = money.plainYuan
        guard let again = try? Money.parse(plain) else { preconditionFailure("\(text) → \(plain) does not parse back") }
        precondition(again.fen == money.fen, "\(text) → \(plain) → \(again.fen) fen, not \(money.fen)")
        for display in Money.DisplayUnit.allCases { _ = money.formatted(display) }
    }
    return 0
}
