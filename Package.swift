// swift-tools-version: 6.1
import PackageDescription

// Layout (see Documentation/Design.md, "Design notes"):
//   RegistrySQLite3   system-library target: the Debian libsqlite3, nothing else
//   RegistryStorage   our wrapper over the SQLite C API; knows nothing of parks or projects
//   RegistryDomain    models, validation, the single write path, queries; prints nothing
//   RegistryPresentation  what people read, for both front ends: tables, listings,
//                     the report's renderings (text, Markdown, CSV, HTML)
//   RegistryWeb       `registry serve`: routes, sessions, roles and pages over
//                     the same domain calls as the CLI (Hummingbird)
//   RegistryCLI       argument parsing and output formatting only
//   registry          the executable: a one-line main over RegistryCLI
let package = Package(
    name: "registry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "registry", targets: ["registry"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        // The web server (Documentation/Design.md, "Why Hummingbird"): HTTP,
        // bcrypt and session storage, and logic-less templates.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Hummingbird's own service runner, to stop the SQLite threads with the server.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The .xlsx container (a ZIP archive); the sheet mapping is ours (Documentation/Design.md, "Workbooks").
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
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
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            plugins: ["EmbedRegistryFiles"]
        ),
        .target(
            name: "RegistryPresentation",
            dependencies: ["RegistryDomain", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "RegistryWeb",
            dependencies: [
                "RegistryDomain", "RegistryPresentation",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Embedded into the binary by the same plugin as the migrations.
            exclude: ["Templates", "Assets"],
            plugins: ["EmbedRegistryFiles"]
        ),
        .target(
            name: "RegistryCLI",
            dependencies: [
                "RegistryDomain", "RegistryPresentation", "RegistryWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
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
            name: "RegistryWebTests",
            dependencies: [
                "RegistryWeb", "RegistryDomain", "RegistryPresentation", "RegistryTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "RegistryCLITests",
            // Depends on the executable so that `swift test` builds it; the tests
            // run the real binary as a child process.
            // RegistryStorage stands in for the sqlite3 shell in the tamper tests.
            // Crypto re-signs a bundle as a newer registry would (the sync tests).
            dependencies: [
                "RegistryCLI", "RegistryPresentation", "registry", "RegistryStorage", "RegistryTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
