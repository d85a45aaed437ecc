import Testing

@testable import RegistryDomain

@Suite struct MoneyTests {
    @Test(arguments: [
        ("2500000000", Int64(250_000_000_000)),
        ("2,500,000,000", 250_000_000_000),
        ("2500000000.00", 250_000_000_000),
        ("25亿", 250_000_000_000),
        ("25亿元", 250_000_000_000),
        ("250000万", 250_000_000_000),
        ("250,000万元", 250_000_000_000),
        ("13.15亿", 131_500_000_000),
        ("¥1,000.50", 100_050),
        ("￥1,000.50", 100_050),
        ("２５亿", 250_000_000_000),  // fullwidth digits
        ("１，０００．５０元", 100_050),  // fullwidth comma and point
        (" 3000万 ", 3_000_000_000),
        ("0", 0),
        ("0.01", 1),
        ("1.0000000001亿", 10_000_000_001),  // exact to the fen in 亿
        ("10000000000000", Money.largestAccepted.fen),  // 10万亿元, the largest accepted
        ("100000亿", Money.largestAccepted.fen),
    ])
    func acceptsTheFormsStaffWrite(text: String, fen: Int64) throws {
        #expect(try Money.parse(text).fen == fen)
    }

    @Test(arguments: [
        ("-5", "negative"),
        ("−5万", "negative"),
        ("0.001", "more precision than a fen"),
        ("1.00000000001亿", "more precision than a fen"),
        ("92233720368547758.08", "too large"),
        ("92233720368547758.07", "the largest amount accepted is 100,000.00亿元"),
        ("10000000000000.01", "the largest amount accepted is 100,000.00亿元"),
        ("99999999999999999999", "too large"),
        ("100000000000亿", "too large"),
        ("", "empty"),
        ("   ", "empty"),
        ("abc", "not an amount"),
        ("1亿2000万", "mixes units"),
        ("25,00", "not an amount"),
        ("1..5", "not an amount"),
        ("1.", "not an amount"),
        (".5", "not an amount"),
        ("1e9", "not an amount"),
        ("25亿美元", "not an amount"),
    ])
    func refusesWhatIsNotAnExactAmount(text: String, reason: String) throws {
        let error = try #require(throws: InvalidValue.self) { try Money.parse(text, field: "planned_investment") }
        #expect(error.field == "planned_investment")
        #expect(error.reason.english.contains(reason), "\(error.reason)")
    }

    @Test func bareNumbersTakeTheGivenUnit() throws {
        #expect(try Money.parse("3000", bareUnit: .wan).fen == 3_000_000_000)
        #expect(try Money.parse("1.5", bareUnit: .yi).fen == 15_000_000_000)
        // An amount with its own unit keeps it.
        #expect(try Money.parse("3000元", bareUnit: .wan).fen == 300_000)
    }

    @Test func displaysInTheUnitsStaffExpect() {
        #expect(Money(fen: 1_315_000_000_000).formatted() == "131.50亿元")
        #expect(Money(fen: 3_000_000_000).formatted() == "3,000.00万元")
        #expect(Money(fen: 100_050).formatted(.yuan) == "1,000.50元")
        #expect(Money(fen: 250_000_000_000).formatted(.wan) == "250,000.00万元")
        #expect(Money(fen: 0).formatted() == "0.00万元")
        // Rounding happens at display only, half up.
        #expect(Money(fen: 14_950_000_000).formatted(.yi) == "1.50亿元")
        #expect(Money(fen: 14_949_999_999).formatted(.yi) == "1.49亿元")
        #expect(Money(fen: -3_000_000_000).formatted() == "-3,000.00万元")
    }

    @Test(arguments: [Int64(0), 1, 99, 100_050, 131_500_000_000, Money.largestAccepted.fen])
    func plainYuanRoundTripsExactly(fen: Int64) throws {
        #expect(try Money.parse(Money(fen: fen).plainYuan).fen == fen)
    }

    @Test func sumsExactlyAndReportsOverflow() {
        #expect(Money.sum([Money(fen: 1), Money(fen: 2)]) == Money(fen: 3))
        #expect(Money.sum([Money(fen: .max), Money(fen: 1)]) == nil)
    }
}
