import Testing

@testable import RegistryDomain

@Suite struct USCCTests {
    @Test(arguments: ["91440300192317458F", "91440300708461136T", "91310110666007217T", "913502000728319549"])
    func realCodesPass(code: String) throws {
        #expect(try USCC.parse(code).value == code)
    }

    @Test func lowerCaseIsNormalised() throws {
        #expect(try USCC.parse("91440300192317458f").value == "91440300192317458F")
        #expect(try USCC.parse(" 91440300192317458F ").value == "91440300192317458F")
    }

    @Test(arguments: [
        ("91440300192317458E", "check character"),  // wrong check character
        ("91440300192317548F", "check character"),  // two digits swapped
        ("9144030019231745F", "18"),  // 17 characters
        ("91440300192317458FF", "18"),  // 19 characters
        ("9144030019231745IF", "'I' is not allowed"),
        ("9144030019231745OF", "'O' is not allowed"),
        ("91440300Z92317458F", "'Z' is not allowed"),
        ("", "18"),
    ])
    func brokenCodesAreRefused(code: String, reason: String) throws {
        let error = try #require(throws: InvalidValue.self) { try USCC.parse(code) }
        #expect(error.field == "uscc")
        #expect(error.reason.english.contains(reason), "\(error.reason)")
    }

    @Test func checkCharacterFollowsGB32100() {
        // Weights are 3^(i−1) mod 31.
        var weight = 1
        for expected in USCC.weights {
            #expect(weight == expected)
            weight = weight * 3 % 31
        }
        // A check value of 31 is written as 0.
        #expect(USCC.alphabet.count == 31)
    }
}

@Suite struct DateTests {
    // Since issue 18, also as Excel shows dates: with a time, and day or month
    // first when only one reading exists (`ExcelCellTests`).
    @Test(arguments: [
        "2025-03-14", "2025-3-14", "2025/3/14", "2025/03/14", "2025.3.14", "2025年3月14日", "２０２５年３月１４日", "14/03/2025", "3/14/2025",
        "2025-03-14T10:00", "2025-03-14 00:00:00", "20250314", "45730",
    ])
    func acceptsCommonForms(text: String) throws {
        #expect(try ISODate.parse(text).description == "2025-03-14")
    }

    @Test(arguments: [
        "2025-02-30", "2025-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "20250230", "2025031", "4573", "00060", "03/04/2025", "2025-03", "", "昨天",
        "2025-03-14T25:00",
        "1899-12-31", "2025年3月14",
    ])
    func refusesImpossibleOrUnknownDates(text: String) throws {
        let error = try #require(throws: InvalidValue.self) { try ISODate.parse(text, field: "signed_on") }
        #expect(error.field == "signed_on")
    }

    @Test func leapDaysExistOnlyInLeapYears() throws {
        #expect(try ISODate.parse("2024-02-29").description == "2024-02-29")
        #expect(try ISODate.parse("2000-02-29").description == "2000-02-29")
        #expect(throws: InvalidValue.self) { try ISODate.parse("2100-02-29") }
    }

    @Test func ordersChronologically() throws {
        #expect(try ISODate.parse("2025-03-14") < ISODate.parse("2025-12-01"))
        #expect(ISODate(iso: "2025-03-14") == ISODate(year: 2025, month: 3, day: 14))
        #expect(ISODate(iso: "2025-3-14") == nil)
    }
}

@Suite struct ProjectCodeTests {
    @Test(arguments: ["SW-2025-001", "2025-441521-34-03-012345", "WB-2025-HEALTH", "汕尾-2025-甲"])
    func acceptsFreeAndNationalCodes(code: String) throws {
        #expect(try ProjectCode.parse(code) == code)
    }

    @Test(arguments: ["2025-441521-34-03-01234", "2025-44152-34-03-012345", "2025441521340301234", "SW 2025", "", String(repeating: "X", count: 65)])
    func refusesMalformedCodes(code: String) throws {
        #expect(throws: InvalidValue.self) { try ProjectCode.parse(code) }
    }
}

@Suite struct ChoiceTests {
    @Test func acceptsKeysAndChineseNames() throws {
        #expect(try ParkLevel.parse("municipal", field: "level") == .municipal)
        #expect(try ParkLevel.parse("COUNTY", field: "level") == .county)
        #expect(try ParkLevel.parse("市级", field: "level") == .municipal)
        #expect(try ProjectStage.parse("在建", field: "stage") == .construction)
        #expect(try ProjectStage.parse("投产", field: "stage") == .operating)
        #expect(try ProjectStage.parse("终止", field: "stage") == .cancelled)
        #expect(try ProjectKind.parse("民生", field: "kind") == .wellbeing)
    }

    @Test func refusalListsWhatIsAccepted() throws {
        let error = try #require(throws: InvalidValue.self) { try ParkLevel.parse("provincial", field: "level") }
        #expect(error.reason.english.contains("municipal|county"))
        #expect(error.reason.english.contains("市级|县级"))
    }

    @Test func stagesOnlyMoveForward() {
        #expect(ProjectStage.signed.canMove(to: .construction))
        #expect(ProjectStage.signed.canMove(to: .operating))
        #expect(ProjectStage.operating.canMove(to: .cancelled))
        #expect(!ProjectStage.operating.canMove(to: .construction))
        #expect(!ProjectStage.construction.canMove(to: .construction))
        #expect(!ProjectStage.cancelled.canMove(to: .operating))
    }

    @Test func textFieldsRefuseControlCharactersAndOverlongText() throws {
        #expect(throws: InvalidValue.self) { try FieldText.required("比亚迪\u{0}", field: "name") }
        #expect(throws: InvalidValue.self) { try FieldText.required("  ", field: "name") }
        #expect(throws: InvalidValue.self) { try FieldText.required(String(repeating: "园", count: 201), field: "name") }
        #expect(try FieldText.required("  比亚迪股份有限公司　", field: "name") == "比亚迪股份有限公司")
        #expect(try FieldText.notes("第一行\n第二行") == "第一行\n第二行")
    }
}
