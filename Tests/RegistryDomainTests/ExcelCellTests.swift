import Testing

@testable import RegistryDomain

/// Cells as Excel shows them (issue 18's second trial): a date with its time,
/// a month/day/year date, the accounting dash for zero.
@Suite struct ExcelCellTests {
    @Test func datesWithATimeOrMonthFirst() throws {
        #expect(try ISODate.parse("2025-03-14 00:00:00").description == "2025-03-14")
        #expect(try ISODate.parse("2025/3/14 9:30".replacingOccurrences(of: " 9:30", with: " 09:30")).description == "2025-03-14")
        #expect(try ISODate.parse("3/14/2025").description == "2025-03-14")
        #expect(try ISODate.parse("14/3/2025").description == "2025-03-14")
        #expect(try ISODate.parse("5/5/2025").description == "2025-05-05")
        let ambiguous = #expect(throws: InvalidValue.self) { try ISODate.parse("3/4/2025", field: "signed_on") }
        #expect(ambiguous?.reason.english.contains("2025-3-4 or 2025-4-3") == true)
        #expect(throws: InvalidValue.self) { try ISODate.parse("2025-03-14 25:00:00") }
        #expect(throws: InvalidValue.self) { try ISODate.parse("2/30/2025") }
    }

    @Test func theAccountingDashIsNamed() {
        for dash in ["-", " - ", "—", "－"] {
            let error = #expect(throws: InvalidValue.self) { try Money.parse(dash, field: "amount") }
            #expect(error?.reason.english.contains("accounting") == true, "\(dash)")
        }
        let negative = #expect(throws: InvalidValue.self) { try Money.parse("-5", field: "amount") }
        #expect(negative?.reason.english.contains("negative") == true)
    }
}
