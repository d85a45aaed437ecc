import Foundation
import RegistryTestSupport
import Testing

@testable import RegistryDomain

/// Look-ups that used to send staff the wrong way (issue 18's second trial):
/// a USCC with spaces, a park code in lower case, a sector by part of its name.
@Suite struct LookupTests {
    let folder: TemporaryDirectory
    let registry: Registry

    init() throws {
        folder = try TemporaryDirectory()
        registry = try Registry.create(at: folder.path("registry.db")).registry
        try registry.write(WriteContext(actor: "录入员", command: "setup")) { writer in
            try writer.addPark(ParkFields(code: "SSZ-XM", name: "深汕特别合作区小漠新能源汽车产业园", level: "municipal", county: "深汕特别合作区"))
            try writer.addEnterprise(EnterpriseFields(uscc: "91440300192317458F", name: "比亚迪股份有限公司", city: "深圳"))
        }
    }

    func add(park: String = "SSZ-XM", enterprise: String = "91440300192317458F", sector: String = "nev") throws {
        try registry.write(WriteContext(actor: "录入员", command: "project add")) { writer in
            try writer.addProject(
                ProjectFields(code: "SW-1", name: "项目", park: park, enterprise: enterprise, sector: sector, plannedInvestment: "1亿", signedOn: "2025-03-14"))
        }
    }

    /// The refusal of `field` from a failed add, whether it came alone or with others.
    func refusal(_ field: String, _ body: () throws -> Void) -> InvalidValue? {
        do {
            try body()
        } catch let error as InvalidValue {
            return error.field == field ? error : nil
        } catch let errors as InvalidValues {
            return errors.errors.first { $0.field == field }
        } catch {}
        return nil
    }

    @Test func aUSCCWithSpacesAndAParkCodeInLowerCaseAreFound() throws {
        try add(park: "ssz-xm", enterprise: "91440300 1923 17458F")
        let project = try registry.project(code: "SW-1").project
        #expect(project.parkCode == "SSZ-XM" && project.enterpriseUSCC?.value == "91440300192317458F")
    }

    @Test func aSectorByPartOfItsNameIsNamedWithTheChineseNames() throws {
        let error = refusal("sector") { try add(sector: "新能源汽车") }
        #expect(error?.reason.english.contains("did you mean 新能源汽车及零部件 (nev) or 新能源 (new-energy)?") == true, "\(String(describing: error))")
        #expect(error?.reason.english.contains("new-energy (新能源)") == true)
    }

    @Test func anUnknownNameSuggestsTheNearestRecords() throws {
        let enterprise = refusal("enterprise") { try add(enterprise: "比亚迪") }
        #expect(enterprise?.reason.english.contains("did you mean 比亚迪股份有限公司 (91440300192317458F)?") == true, "\(String(describing: enterprise))")
        let park = refusal("park") { try add(park: "小漠新能源汽车产业园") }
        #expect(park?.reason.english.contains("深汕特别合作区小漠新能源汽车产业园 (SSZ-XM)") == true, "\(String(describing: park))")
        let none = refusal("park") { try add(park: "完全不同") }
        #expect(none != nil && none?.reason.english.contains("did you mean") == false)
    }
}
