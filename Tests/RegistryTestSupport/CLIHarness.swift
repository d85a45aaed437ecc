import Foundation

/// A temporary folder with a registry database in it, and the built binary
/// run against it as a user would (see `RegistryBinary`). Every CLI suite
/// holds one (`CLISuite`), so the helpers are written once.
public struct CLIHarness {
    public let folder: TemporaryDirectory
    public let database: String

    public init(databaseName: String = "registry.db") throws {
        folder = try TemporaryDirectory()
        database = folder.path(databaseName)
    }

    /// `registry --db <database> arguments...`, in the folder; `actor` sets REGISTRY_ACTOR.
    @discardableResult
    public func registry(_ arguments: [String], db: String? = nil, actor: String? = nil, environment: [String: String] = [:]) throws
        -> RegistryBinary.Result
    {
        var environment = environment
        if let actor { environment["REGISTRY_ACTOR"] = actor }
        return try RegistryBinary.run(["--db", db ?? database] + arguments, in: folder.url, environment: environment)
    }

    @discardableResult
    public func registry(_ arguments: String..., db: String? = nil, actor: String? = nil, environment: [String: String] = [:]) throws
        -> RegistryBinary.Result
    {
        try registry(arguments, db: db, actor: actor, environment: environment)
    }

    /// `registry arguments...` without `--db`.
    @discardableResult
    public func run(_ arguments: [String]) throws -> RegistryBinary.Result {
        try RegistryBinary.run(arguments, in: folder.url)
    }

    public func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    public func path(_ name: String) -> String { folder.path(name) }

    /// `init` and `seed`: the demo's records in an ordinary (not demo) registry.
    public func seeded() throws {
        let initialised = try registry("init")
        precondition(initialised.status == 0, initialised.stderr)
        let seed = try registry("seed")
        precondition(seed.status == 0, seed.stderr)
    }
}

/// A test suite that runs the binary: `folder`, `database`, `registry(…)` and
/// `bytes(…)` come from its harness.
public protocol CLISuite {
    var cli: CLIHarness { get }
}

extension CLISuite {
    public var folder: TemporaryDirectory { cli.folder }
    public var database: String { cli.database }

    @discardableResult
    public func registry(_ arguments: String..., db: String? = nil, actor: String? = nil, environment: [String: String] = [:]) throws
        -> RegistryBinary.Result
    {
        try cli.registry(arguments, db: db, actor: actor, environment: environment)
    }

    @discardableResult
    public func registry(_ arguments: [String]) throws -> RegistryBinary.Result {
        try cli.registry(arguments)
    }

    public func bytes(_ path: String) throws -> Data { try cli.bytes(path) }
}
