import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// The byte-level fast paths of the money and date parsers must accept only
/// what the general parsers accept, with the same result. Checked on inputs
/// generated from the characters that matter to each grammar.
@Suite struct ParserFastPathTests {
    /// Inputs from a deterministic generator, so a failure reproduces.
    struct Generator {
        var source: SplitMix64
        init(state: UInt64) { source = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { source.next() }
        mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
        mutating func text(from alphabet: [String], maxLength: Int) -> String {
            (0..<Int(next() % UInt64(maxLength + 1))).map { _ in pick(alphabet) }.joined()
        }
    }

    @Test func moneyFastPathAgreesWithTheGeneralParser() throws {
        var generator = Generator(state: 2025)
        let alphabet = ["0", "1", "2", "5", "9", "0", "0", ",", ".", "万", "亿", "元", " ", "-", "¥", "１", "e"]
        var accepted = 0
        for round in 0..<60_000 {
            // Half the inputs are well-formed numbers, so that the accepting side is exercised too.
            let text =
                round % 2 == 0
                ? generator.text(from: alphabet, maxLength: 14)
                : String(generator.next() % 10_000_000_000_000) + generator.pick(["", ".5", ".25", ".250", ".001", "万", "亿", "亿元", "万元", "元"])
            for unit in Money.Unit.allCases {
                guard let fast = Money.parsePlain(text, bareUnit: unit) else { continue }
                accepted += 1
                let general = try Money.parseAnyForm(text, field: "amount", bareUnit: unit)
                #expect(fast == general, "\(text) in \(unit)")
            }
        }
        #expect(accepted > 50_000)
        // Grouped thousands, both ways.
        for text in ["1,234", "12,345,678.90", "1,234万", "999,999,999,999.99"] {
            #expect(Money.parsePlain(text, bareUnit: .yuan) == (try Money.parseAnyForm(text, field: "amount", bareUnit: .yuan)))
        }
        for text in ["1234,567", "12,34", ",500", "5.", ".5", "1.2.3", "1,23.5", "0.001", "1亿2000万", "99999999999999999999"] {
            #expect(Money.parsePlain(text, bareUnit: .yuan) == nil, "\(text)")
        }
    }

    @Test func dateFastPathAgreesWithTheGeneralParser() throws {
        var generator = Generator(state: 31)
        let alphabet = ["0", "1", "2", "3", "9", "-", "/", "年"]
        var accepted = 0
        for round in 0..<60_000 {
            let text =
                round % 2 == 0
                ? generator.text(from: alphabet, maxLength: 11)
                : "\(1890 + generator.next() % 320)-\(String(format: "%02d", Int(generator.next() % 14)))-\(String(format: "%02d", Int(generator.next() % 33)))"
            let general = try? ISODate.parse(text)
            if let fast = ISODate(iso: text) {
                accepted += 1
                #expect(fast == general, "\(text)")
                #expect(fast.description == text)
            } else if let general {
                // Only other spellings take the long way.
                #expect(general.description != text, "\(text) is ISO but the fast path refused it")
            }
        }
        #expect(accepted > 10_000)
    }
}
