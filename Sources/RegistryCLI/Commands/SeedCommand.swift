import ArgumentParser
import RegistryDomain
import RegistryPresentation

/// `registry seed`: the built-in illustrative dataset (Seeds/), loaded through
/// the import path into the --db database (created if missing).
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Load the built-in illustrative parks, enterprises, projects, stages, targets and funds into the database."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let registry = try Registry.create(at: global.databasePath).registry
        let counts = try SeedLoader.load(into: registry, actor: global.actorName)
        say(
            "\(global.databasePath): loaded \(counts.parks) parks, \(counts.enterprises) enterprises, \(counts.projects) projects, \(counts.stageChanges) stage changes, \(counts.targets) targets, \(counts.funds) funds, \(counts.allocations) allocations, \(counts.disbursements) disbursements (illustrative data)"
        )
    }
}
