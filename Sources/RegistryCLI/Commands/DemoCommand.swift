import ArgumentParser
import Foundation
import RegistryDomain

/// `registry demo`: a fresh database filled from the seeds compiled into the
/// binary, and the year's figures, so that anyone can see registry at work
/// without any setup.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Create a demonstration database from the built-in seeds and show its 2025 projects."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Year to show.") var year: Int = 2025

    func run() throws {
        let path = try demoPath()
        let (registry, _) = try Registry.create(at: path)
        let counts = try SeedLoader.load(into: registry, actor: global.actorName)
        print("demo database: \(path)")
        print("loaded \(counts.parks) parks, \(counts.enterprises) enterprises, \(counts.projects) projects, \(counts.stageChanges) stage changes\n")
        let projects = try registry.projects(ProjectFilter(year: year, kind: ProjectKind.investment.rawValue))
        let counted = projects.filter { $0.project.stage != .cancelled }
        print(ProjectList.listing(counted, unit: .auto).render(.table))
        let total = Money.sum(counted.map(\.project.plannedInvestment)) ?? .zero
        let cancelled = projects.count - counted.count
        print("\(year): \(counted.count) investment projects introduced, planned total investment \(total.formatted(.yi))" + (cancelled > 0 ? " (\(cancelled) cancelled, not counted)" : ""))
        print("explore it: registry --db \(path) project list --year \(year)")
    }

    /// A new file: the path given with --db / REGISTRY_DB if it does not exist yet,
    /// otherwise a fresh temporary folder. The demo never touches an existing file.
    private func demoPath() throws -> String {
        if global.databaseChosen {
            let path = global.databasePath
            if FileManager.default.fileExists(atPath: path) {
                throw ValidationError("\(path) exists; the demo writes a new database, so give a path that does not exist yet")
            }
            return path
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("registry-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("registry.db").path
    }
}
