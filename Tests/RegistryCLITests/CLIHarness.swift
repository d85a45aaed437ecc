import Foundation
import RegistryTestSupport

/// A temporary folder with a registry database in it, and the built binary
/// run against it as a user would (see `RegistryBinary`).
struct CLIHarness {
    let folder: TemporaryDirectory
    var database: String { folder.path("registry.db") }

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// `registry --db <database> arguments...`, in the folder.
    @discardableResult
    func registry(_ arguments: String..., db: String? = nil, environment: [String: String] = [:]) throws -> RegistryBinary.Result {
        try RegistryBinary.run(["--db", db ?? database] + arguments, in: folder.url, environment: environment)
    }

    /// `registry arguments...` without `--db`.
    @discardableResult
    func run(_ arguments: [String]) throws -> RegistryBinary.Result {
        try RegistryBinary.run(arguments, in: folder.url)
    }

    func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func path(_ name: String) -> String { folder.path(name) }

    /// `init` and `seed`: the demo's records in an ordinary (not demo) registry.
    func seeded() throws {
        let initialised = try registry("init")
        precondition(initialised.status == 0, initialised.stderr)
        let seed = try registry("seed")
        precondition(seed.status == 0, seed.stderr)
    }
}
