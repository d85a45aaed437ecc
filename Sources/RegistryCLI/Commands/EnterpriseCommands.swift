import ArgumentParser
import RegistryDomain
import RegistryPresentation

struct EnterpriseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enterprise",
        abstract: "Record and look up investing enterprises.",
        subcommands: [EnterpriseAdd.self, EnterpriseList.self, EnterpriseShow.self, EnterpriseUpdate.self, EnterpriseStatusCommand.self]
    )
}

struct EnterpriseAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a new enterprise.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Unified social credit code (统一社会信用代码, 18 characters, GB 32100-2015).") var uscc: String
    @Option(help: "Enterprise name (企业名称), unique.") var name: String
    @Option(help: "City the enterprise comes from (e.g. 深圳).") var city: String?
    @Option(help: "Free notes.") var notes: String?

    func run() throws {
        let registry = try global.openRegistry()
        let enterprise = try registry.write(global.context("enterprise add")) {
            try $0.addEnterprise(EnterpriseFields(uscc: uscc, name: name, city: city, notes: notes))
        }
        say("added enterprise \(enterprise.uscc) \(enterprise.name)")
    }
}

struct EnterpriseUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Correct an enterprise's fields; only the options given change.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "USCC of the enterprise to change.") var uscc: String
    @Option(help: "New name.") var name: String?
    @Option(help: "New city (empty to clear).") var city: String?
    @Option(help: "New notes (empty to clear).") var notes: String?

    func validate() throws {
        if [name, city, notes].allSatisfy({ $0 == nil }) {
            throw usageError("nothing to change: give at least one of --name, --city, --notes")
        }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let change = try registry.write(global.context("enterprise update")) {
            try $0.updateEnterprise(uscc: uscc, EnterpriseFields(name: name, city: city, notes: notes))
        }
        printChange(
            "enterprise", change.after.uscc.value, change.changed,
            describeChanges([
                ("name", change.before.name, change.after.name),
                ("city", change.before.city, change.after.city),
                ("notes", change.before.notes, change.after.notes),
            ]))
    }
}

struct EnterpriseList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List enterprises.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only enterprises from this city.") var city: String?

    func run() throws {
        let enterprises = try global.openRegistry().enterprises(city: city)
        var listing = Listing(fields: [
            .init("uscc", "统一社会信用代码"), .init("name", "企业名称"), .init("city", "所在城市"), .init("notes", "备注", inTable: false),
        ])
        for enterprise in enterprises {
            listing.rows.append([.text(enterprise.uscc.value), .text(enterprise.name), .text(enterprise.city), .text(enterprise.notes)])
        }
        print(listing.render(output.resolved), terminator: "")
    }
}

struct EnterpriseShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one enterprise and its projects, by USCC or name.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "USCC or exact name.") var enterprise: String

    func run() throws {
        let registry = try global.openRegistry()
        let (found, projects) = try registry.read {
            let found = try registry.enterprise(enterprise)
            return (found, try registry.projects(ofEnterprise: found.uscc))
        }
        var details = Details()
        details.add("统一社会信用代码 uscc", found.uscc.value)
        details.add("企业名称 name", found.name)
        details.add("所在城市 city", found.city)
        details.add("备注 notes", found.notes)
        details.add(
            "项目 projects", projects.isEmpty ? "none" : projects.map { "\($0.code) \($0.name) \($0.plannedInvestment.formatted())" }.joined(separator: "; "))
        print(details.render(), terminator: "")
    }
}

struct SectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sector",
        abstract: "The sector catalogue (fixed keys that scripts and imports use).",
        subcommands: [SectorList.self]
    )
}

struct SectorList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List sectors; ★ marks the five key emerging fields.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption

    func run() throws {
        var listing = Listing(fields: [
            .init("key", "键 key"), .init("name_zh", "行业"), .init("name_en", "sector"), .init("key_emerging", "重点新兴领域"),
        ])
        for sector in try global.openRegistry().sectors() {
            listing.rows.append([
                .text(sector.key), .text(sector.chineseName), .text(sector.englishName),
                Listing.Value(display: sector.isKeyEmerging ? "★" : "", exact: .integer(sector.isKeyEmerging ? 1 : 0)),
            ])
        }
        print(listing.render(output.resolved), terminator: "")
    }
}
