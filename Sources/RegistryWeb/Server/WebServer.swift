import Foundation
import Hummingbird
import HummingbirdAuth
import Logging
import RegistryDomain
import ServiceLifecycle

/// `registry serve`: the web pages over one registry file.
public struct WebServerConfiguration: Sendable {
    public var databasePath: String
    public var host: String
    public var port: Int
    /// How long a session lasts after sign-in.
    public var sessionLifetime: Duration
    /// Threads for SQLite calls (reads in parallel, writes one at a time).
    public var threads: Int
    public var throttle: LoginThrottleLimits
    /// Cookies marked `Secure` (sent over HTTPS only): for a server behind the office's TLS proxy.
    public var secureCookies: Bool

    public init(
        databasePath: String, host: String = "127.0.0.1", port: Int = 8080, sessionLifetime: Duration = .seconds(8 * 3600),
        threads: Int = 4, throttle: LoginThrottleLimits = LoginThrottleLimits(), secureCookies: Bool = false
    ) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.sessionLifetime = sessionLifetime
        self.threads = threads
        self.throttle = throttle
        self.secureCookies = secureCookies
    }
}

/// The sign-in limits, settable for tests.
public struct LoginThrottleLimits: Sendable {
    public var perAccount: Int
    public var perAddress: Int
    public var windowSeconds: Double
    public init(perAccount: Int = 5, perAddress: Int = 20, windowSeconds: Double = 15 * 60) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.windowSeconds = windowSeconds
    }
}

public enum WebServer {
    /// Builds the application: open the registry (refusing a missing or
    /// outdated file before listening), then the routes.
    public static func application(_ configuration: WebServerConfiguration, onListening: (@Sendable (Int) -> Void)? = nil) throws
        -> some ApplicationProtocol
    {
        let pool = try RegistryPool(path: configuration.databasePath, threads: configuration.threads)
        let persist = MemoryPersistDriver()
        let site = try WebSite(pool: pool, configuration: configuration, persist: persist)
        var logger = Logger(label: "registry-serve")
        logger.logLevel = .notice
        var app = Application(
            router: site.router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in onListening?(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        app.addServices(persist, PoolService(pool: pool))
        return app
    }
}

/// Shuts the SQLite thread pool down with the server.
struct PoolService: Service {
    let pool: RegistryPool
    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdown()
    }
}
