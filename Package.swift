// swift-tools-version: 6.0
import PackageDescription

// Layout (see Documentation/Design.md, "Design notes"):
//   RegistrySQLite3   system-library target: the Debian libsqlite3, nothing else
//   RegistryStorage   our wrapper over the SQLite C API; knows nothing of parks or projects
//   RegistryDomain    models, validation, the single write path, queries; prints nothing
//   RegistryCLI       argument parsing and output formatting only
//   registry          the executable: a one-line main over RegistryCLI
let package = Package(
    name: "registry",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "registry", targets: ["registry"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "RegistrySQLite3",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(
            name: "RegistryStorage",
            dependencies: [
                "RegistrySQLite3",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Turns Migrations/*.sql and Seeds/* into Swift string constants at build
        // time, so the binary needs no source tree at run time.
        .executableTarget(name: "EmbedFilesTool"),
        .plugin(
            name: "EmbedRegistryFiles",
            capability: .buildTool(),
            dependencies: ["EmbedFilesTool"]
        ),
        .target(
            name: "RegistryDomain",
            dependencies: [
                "RegistryStorage",
                // SHA-256 of the change log's hash chain.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["EmbedRegistryFiles"]
        ),
        .target(
            name: "RegistryCLI",
            dependencies: [
                "RegistryDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "registry",
            dependencies: ["RegistryCLI"]
        ),
        // The benchmarks (Documentation/Performance.md): registry against the sqlite3 shell.
        .executableTarget(
            name: "registry-bench",
            dependencies: ["RegistryDomain"]
        ),
        // Helpers shared by the test targets (temporary folders).
        .target(name: "RegistryTestSupport", path: "Tests/RegistryTestSupport"),
        .testTarget(
            name: "RegistryStorageTests",
            dependencies: ["RegistryStorage", "RegistryTestSupport"]
        ),
        .testTarget(
            name: "RegistryDomainTests",
            dependencies: ["RegistryDomain", "RegistryStorage", "RegistryTestSupport"]
        ),
        .testTarget(
            name: "RegistryCLITests",
            // Depends on the executable so that `swift test` builds it; the tests
            // run the real binary as a child process.
            // RegistryStorage stands in for the sqlite3 shell in the tamper tests.
            // Crypto re-signs a bundle as a newer registry would (the sync tests).
            dependencies: [
                "RegistryCLI", "registry", "RegistryStorage", "RegistryTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
