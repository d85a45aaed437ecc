import ArgumentParser
import RegistryDomain
import RegistryPresentation

struct TargetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "target",
        abstract: "Set and look up annual targets (projects introduced, planned investment).",
        subcommands: [TargetSet.self, TargetList.self, TargetRemove.self]
    )
}

struct TargetSet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a year's targets for a scope; setting again replaces them.",
        discussion: "Example: registry target set 2025 --projects 50 --investment 120亿 --scope level:county"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The year, e.g. 2025.") var year: String
    @Option(help: "Projects to introduce (a whole number).") var projects: String?
    @Option(help: "Planned investment to reach, e.g. 120亿, 500000万, 12000000000.") var investment: String?
    @Option(help: "all, level:municipal|county, park:<code or name>, county:<name>, sector:<key or name>.") var scope: String = "all"

    func validate() throws {
        if projects == nil && investment == nil {
            throw usageError("nothing to set: give --projects, --investment or both")
        }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let targets = try registry.write(global.context("target set")) {
            try $0.setTarget(TargetFields(year: year, scope: scope, projects: projects, investment: investment))
        }
        for target in targets {
            say("set \(target.year) \(target.metric.rawValue) target for \(target.scope): \(target.formattedValue(.auto))")
        }
    }
}

struct TargetList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List targets, with who set them and when.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this year.") var year: Int?
    @OptionGroup var format: FormatOption

    func run() throws {
        let registry = try global.openRegistry()
        var listing = Listing(fields: [
            .init("year", "年度", .right), .init("metric", "指标"), .init("scope", "范围"),
            .init("value", "目标", .right), .init("set_by", "设定人"), .init("set_at", "设定时间 (UTC)"),
        ])
        for target in try registry.targets(year: year) {
            listing.rows.append([
                .integer(Int64(target.year)),
                Listing.Value(display: target.metric.chineseName, exact: .text(target.metric.rawValue)),
                .text(target.scope.description),
                Listing.Value(display: target.formattedValue(format.unit), exact: .integer(target.value)),
                .text(target.setBy), .text(target.setAt),
            ])
        }
        print(listing.render(format.resolved), terminator: "")
    }
}

struct TargetRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a year's target(s) for a scope.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The year, e.g. 2025.") var year: String
    @Option(help: "The scope (default all).") var scope: String = "all"
    @Option(help: "Only this metric: projects or investment (default both).") var metric: String?

    func run() throws {
        let registry = try global.openRegistry()
        let removed = try registry.write(global.context("target remove")) {
            try $0.removeTarget(year: year, scope: scope, metric: metric)
        }
        for target in removed {
            say("removed \(target.year) \(target.metric.rawValue) target for \(target.scope) (was \(target.formattedValue(.auto)))")
        }
    }
}
