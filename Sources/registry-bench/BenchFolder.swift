import Foundation
import RegistryDomain

/// Where a benchmark keeps its files: `--keep DIR`, or a temporary folder that
/// is removed at the end. Holds the generated data files.
struct BenchFolder {
    let url: URL
    let kept: Bool

    init(prefix: String) throws {
        kept = option("--keep") != nil
        url =
            option("--keep").map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    var log: String { path("bench.log") }

    func removeUnlessKept() {
        if !kept { try? FileManager.default.removeItem(at: url) }
    }

    /// parks.csv, enterprises.csv, projects.csv (as staff write them) and
    /// projects-fen.csv (pre-normalised, for the shell).
    func writeData(_ data: SyntheticData) throws {
        try data.parksCSV().write(toFile: path("parks.csv"), atomically: true, encoding: .utf8)
        try data.enterprisesCSV().write(toFile: path("enterprises.csv"), atomically: true, encoding: .utf8)
        try data.writeProjects(registryFile: URL(fileURLWithPath: path("projects.csv")), shellFile: URL(fileURLWithPath: path("projects-fen.csv")))
    }

    /// A new registry database `name` here, with the generated parks and enterprises imported.
    func createRegistry(_ name: String) throws -> Registry {
        let database = path(name)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
        let registry = try Registry.create(at: database).registry
        let context = WriteContext(actor: "bench", command: "setup")
        _ = try Importer.run(.parks, path: path("parks.csv"), into: registry, context: context)
        _ = try Importer.run(.enterprises, path: path("enterprises.csv"), into: registry, context: context)
        return registry
    }
}
