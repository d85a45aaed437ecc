import ArgumentParser
import RegistryDomain
import RegistryPresentation

struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Record projects, correct them, and move them through their stages.",
        subcommands: [ProjectAdd.self, ProjectList.self, ProjectShow.self, ProjectUpdate.self, ProjectStageCommand.self]
    )
}

/// The project fields shared by `add` and `update`.
struct ProjectOptions: ParsableArguments {
    @Option(help: "Project name (项目名称).") var name: String?
    @Option(help: "Kind: \(ProjectKind.acceptedValues); default investment.") var kind: String?
    @Option(help: "Park code or exact name; required for investment projects.") var park: String?
    @Option(help: "Enterprise USCC or exact name; required for investment projects.") var enterprise: String?
    @Option(help: "Sector key or Chinese name (see `registry sector list`); required for investment projects.") var sector: String?
    // .unconditional: "-5" is the value (refused as negative by validation), not an option.
    @Option(parsing: .unconditional, help: "Planned investment: 2500000000 (yuan), 250000万, 25亿, ¥1,000.50 ...") var plannedInvestment: String?
    @Option(help: "Signing date: 2025-03-14, 2025/3/14 or 2025年3月14日.") var signedOn: String?
    @Option(help: "Free notes.") var notes: String?

    func fields(code: String?) -> ProjectFields {
        ProjectFields(
            code: code, name: name, kind: kind, park: park, enterprise: enterprise, sector: sector,
            plannedInvestment: plannedInvestment, signedOn: signedOn, notes: notes)
    }

    var isEmpty: Bool {
        [name, kind, park, enterprise, sector, plannedInvestment, signedOn, notes].allSatisfy { $0 == nil }
    }
}

struct ProjectAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Record a new project (stage: signed).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Project code, the key: free text (SW-2025-001) or a national code NNNN-NNNNNN-NN-NN-NNNNNN.") var code: String
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        for (value, option) in [(project.name, "--name"), (project.plannedInvestment, "--planned-investment"), (project.signedOn, "--signed-on")]
        where value == nil {
            throw usageError("missing \(option), which every project needs")
        }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let added = try registry.write(global.context("project add")) { try $0.addProject(project.fields(code: code)) }
        say("added project \(added.code) \(added.name): \(added.plannedInvestment.formatted()), signed \(added.signedOn)")
    }
}

struct ProjectUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Correct a project's fields; only the options given change (stages: `project stage`).")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Code of the project to change.") var code: String
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        if project.isEmpty { throw usageError("nothing to change: give at least one field option, e.g. --planned-investment") }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let change = try registry.write(global.context("project update")) { try $0.updateProject(code: code, project.fields(code: nil)) }
        let (before, after) = (change.before, change.after)
        printChange(
            "project", after.code, change.changed,
            describeChanges([
                ("name", before.name, after.name),
                ("kind", before.kind.rawValue, after.kind.rawValue),
                ("park", before.parkCode, after.parkCode),
                ("enterprise", before.enterpriseUSCC?.value, after.enterpriseUSCC?.value),
                ("sector", before.sectorKey, after.sectorKey),
                ("planned investment", before.plannedInvestment.formatted(.yuan), after.plannedInvestment.formatted(.yuan)),
                ("signed on", before.signedOn.description, after.signedOn.description),
                ("notes", before.notes, after.notes),
            ]))
    }
}

struct ProjectStageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stage",
        abstract: "Move a project to a later stage: signed → construction → operating, or to cancelled (final)."
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project code.") var code: String
    @Argument(help: "New stage: \(ProjectStage.acceptedValues).") var stage: String
    @Option(help: "Date of the change (default today); never before the last change.") var on: String?

    func run() throws {
        let registry = try global.openRegistry()
        let step = try registry.write(global.context("project stage")) {
            try $0.changeStage(code: code, to: stage, on: on ?? ISODate.today().description)
        }
        say("project \(step.projectCode) is \(step.stage.rawValue) (\(step.stage.chineseName)) since \(step.enteredOn)")
    }
}

struct ProjectList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List projects, by signing date.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var filters: ProjectFilterOptions

    func run() throws {
        let registry = try global.openRegistry()
        let sink = TextSink.standardOutput()
        var total: Money? = Money(fen: 0)
        let count = try registry.read {
            try Listing.stream(Self.fields, format: output.resolved, to: sink) { emit in
                total = Money(fen: 0)
                try registry.forEachProject(filters.filter) { item in
                    total = total?.adding(item.project.plannedInvestment)
                    try emit(Self.row(item, unit: output.unit))
                }
            }
        }
        if output.resolved == .table {
            // A total that does not fit is said so, never shown as a wrong figure.
            let shown = total.map { $0.formatted(output.unit) } ?? "beyond what can be added up exactly"
            sink.write("\(count) project(s), planned investment \(shown)\n")
        }
        sink.flush()
    }

    static let fields: [Listing.Field] = [
        .init("code", "项目编号"), .init("name", "项目名称"), .init("kind", "类型", inTable: false),
        .init("park", "园区"), .init("park_name", "园区名称", inTable: false),
        .init("enterprise", "统一社会信用代码", inTable: false), .init("enterprise_name", "投资企业"),
        .init("sector", "行业"), .init("planned_investment", "计划投资", .right),
        .init("planned_investment_fen", "计划投资（分）", .right, inTable: false),
        .init("signed_on", "签约日期"), .init("stage", "阶段"), .init("notes", "备注", inTable: false),
    ]

    static func row(_ item: ProjectListing, unit: Money.DisplayUnit) -> [Listing.Value] {
        let project = item.project
        return [
            .text(project.code), .text(project.name),
            Listing.Value(display: project.kind.chineseName, exact: .text(project.kind.rawValue)),
            Listing.Value(display: item.parkName ?? "", exact: project.parkCode.map { .text($0) } ?? .null),
            .text(item.parkName),
            .text(project.enterpriseUSCC?.value), .text(item.enterpriseName),
            Listing.Value(display: item.sectorName ?? "", exact: project.sectorKey.map { .text($0) } ?? .null),
            .money(project.plannedInvestment, unit), .integer(project.plannedInvestment.fen),
            .text(project.signedOn.description),
            Listing.Value(display: project.stage.chineseName, exact: .text(project.stage.rawValue)),
            .text(project.notes),
        ]
    }
}
struct ProjectShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one project and its stage history.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Project code.") var code: String

    func run() throws {
        let registry = try global.openRegistry()
        let (item, history) = try registry.read { (try registry.project(code: code), try registry.stageHistory(of: code)) }
        let project = item.project
        var details = Details()
        details.add("项目编号 code", project.code)
        details.add("项目名称 name", project.name)
        details.add("类型 kind", "\(project.kind.chineseName) (\(project.kind.rawValue))")
        details.add(
            "园区 park", project.parkCode.map { "\($0) \(item.parkName ?? "")" + (item.parkLevel.map { "（\($0.chineseName)，\(item.county ?? "")）" } ?? "") })
        details.add("投资企业 enterprise", project.enterpriseUSCC.map { "\($0.value) \(item.enterpriseName ?? "")" })
        details.add("行业 sector", project.sectorKey.map { "\($0) \(item.sectorName ?? "")" })
        details.add("计划投资 planned", "\(project.plannedInvestment.formatted()) (\(project.plannedInvestment.formatted(.yuan)))")
        details.add("签约日期 signed on", project.signedOn.description)
        details.add("阶段 stage", "\(project.stage.chineseName) (\(project.stage.rawValue))")
        details.add("阶段历史 history", history.map { "\($0.enteredOn) \($0.stage.chineseName)" }.joined(separator: " → "))
        details.add("备注 notes", project.notes)
        print(details.render(), terminator: "")
    }
}

/// The filters of `project list`, shared with `export projects`.
struct ProjectFilterOptions: ParsableArguments {
    @Option(help: "Only projects signed in this year.") var year: Int?
    @Option(help: "Only projects of this park (code or name).") var park: String?
    @Option(help: "Only projects in parks of this level: \(ParkLevel.acceptedValues).") var level: String?
    @Option(help: "Only projects in parks of this county or district.") var county: String?
    @Option(help: "Only projects of this sector (key or Chinese name).") var sector: String?
    @Option(help: "Only projects at this stage: \(ProjectStage.acceptedValues).") var stage: String?
    @Option(help: "Only projects of this kind: \(ProjectKind.acceptedValues).") var kind: String?
    @Option(help: "Only projects whose name, code or notes contain this text (two characters and up work).") var search: String?

    var filter: ProjectFilter {
        ProjectFilter(year: year, park: park, level: level, county: county, sector: sector, stage: stage, kind: kind, search: search)
    }

    /// Filters that only make sense for projects (level and county also filter parks).
    var projectOnly: [String] {
        [
            (year != nil, "--year"), (park != nil, "--park"), (sector != nil, "--sector"), (stage != nil, "--stage"), (kind != nil, "--kind"),
            (search != nil, "--search"),
        ]
        .filter(\.0).map(\.1)
    }
}
