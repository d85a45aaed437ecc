import ArgumentParser
import RegistryDomain
import RegistryPresentation

struct ParkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "park",
        abstract: "Record and look up industrial parks.",
        subcommands: [ParkAdd.self, ParkList.self, ParkShow.self, ParkUpdate.self]
    )
}

struct ParkAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a new park.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Park code, the park's key (e.g. SSZ-XM).") var code: String
    @Option(help: "Park name (园区名称), unique.") var name: String
    @Option(help: "Park level: \(ParkLevel.acceptedValues).") var level: String
    @Option(help: "County or district the park lies in (所在县区).") var county: String
    @Option(help: "Free notes.") var notes: String?

    func run() throws {
        let registry = try global.openRegistry()
        let park = try registry.write(global.context("park add")) {
            try $0.addPark(ParkFields(code: code, name: name, level: level, county: county, notes: notes))
        }
        say("added park \(park.code) \(park.name) (\(park.level.chineseName), \(park.county))")
    }
}

struct ParkUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Correct a park's fields; only the options given change.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Code of the park to change.") var code: String
    @Option(help: "New name.") var name: String?
    @Option(help: "New level: \(ParkLevel.acceptedValues).") var level: String?
    @Option(help: "New county or district.") var county: String?
    @Option(help: "New notes (empty to clear).") var notes: String?

    func validate() throws {
        if [name, level, county, notes].allSatisfy({ $0 == nil }) {
            throw usageError("nothing to change: give at least one of --name, --level, --county, --notes")
        }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let change = try registry.write(global.context("park update")) {
            try $0.updatePark(code: code, ParkFields(name: name, level: level, county: county, notes: notes))
        }
        printChange(
            "park", change.after.code, change.changed,
            describeChanges([
                ("name", change.before.name, change.after.name),
                ("level", change.before.level.rawValue, change.after.level.rawValue),
                ("county", change.before.county, change.after.county),
                ("notes", change.before.notes, change.after.notes),
            ]))
    }
}

struct ParkList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List parks with their project counts and planned investment.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only parks of this level: \(ParkLevel.acceptedValues).") var level: String?
    @Option(help: "Only parks in this county or district.") var county: String?

    func run() throws {
        let parks = try global.openRegistry().parks(level: level, county: county)
        var listing = Listing(fields: [
            .init("code", "园区编号"), .init("name", "园区名称"), .init("level", "级别"), .init("county", "所在县区"),
            .init("projects", "项目数", .right), .init("planned_investment", "计划投资", .right),
            .init("planned_investment_fen", "计划投资（分）", .right, inTable: false), .init("notes", "备注", inTable: false),
        ])
        for summary in parks {
            let park = summary.park
            listing.rows.append([
                .text(park.code), .text(park.name),
                Listing.Value(display: park.level.chineseName, exact: .text(park.level.rawValue)),
                .text(park.county), .integer(Int64(summary.projectCount)),
                .money(summary.plannedInvestment, output.unit), .integer(summary.plannedInvestment.fen), .text(park.notes),
            ])
        }
        print(listing.render(output.resolved), terminator: "")
    }
}

struct ParkShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one park, by code or name.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Park code or exact name.") var park: String

    func run() throws {
        let summary = try global.openRegistry().park(park)
        var details = Details()
        details.add("园区编号 code", summary.park.code)
        details.add("园区名称 name", summary.park.name)
        details.add("级别 level", "\(summary.park.level.chineseName) (\(summary.park.level.rawValue))")
        details.add("所在县区 county", summary.park.county)
        details.add("项目数 projects", "\(summary.projectCount) (not cancelled)")
        details.add("计划投资 planned", summary.plannedInvestment.formatted())
        details.add("备注 notes", summary.park.notes)
        print(details.render(), terminator: "")
    }
}
