import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import RegistryDomain
import RegistryPresentation
import RegistryWeb

/// `registry serve`: the web pages for office staff, leaders and auditors.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry's web pages (sign-in, roles, forms) over HTTP.",
        discussion: """
            Listens on 127.0.0.1:8080 unless --listen says otherwise. Put it behind the office's TLS \
            reverse proxy to open it to the network (Documentation/Web.md). Accounts are made with \
            `registry user add`.
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Address and port to listen on, e.g. 0.0.0.0:8080 or [::1]:8080.") var listen = "127.0.0.1:8080"
    @Option(name: .customLong("session-hours"), help: "How long a sign-in lasts, in hours.") var sessionHours = 8.0
    @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (HTTPS only): set it behind a TLS reverse proxy.")
    var secureCookies = false

    func validate() throws {
        _ = try Self.address(listen)
        guard sessionHours > 0, sessionHours <= 24 * 30 else { throw usageError("--session-hours must be above 0 and at most 720") }
    }

    /// `host:port` or `[v6]:port`.
    static func address(_ text: String) throws -> (host: String, port: Int) {
        var host: Substring
        var portText: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(after: close)...].drop { $0 == ":" }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw usageError("--listen \"\(text)\": give ADDRESS:PORT, e.g. 127.0.0.1:8080") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else {
            throw usageError("--listen \"\(text)\": give ADDRESS:PORT with a port of 0–65535, e.g. 127.0.0.1:8080")
        }
        return (String(host), port)
    }

    func run() throws {
        let (host, port) = try Self.address(listen)
        let configuration = WebServerConfiguration(
            databasePath: global.databasePath, host: host, port: port, sessionLifetime: .seconds(Int64(sessionHours * 3600)),
            secureCookies: secureCookies)
        let app = try WebServer.application(configuration) { port in
            let shown = host.contains(":") ? "[\(host)]" : host
            sayError("registry serve: http://\(shown):\(port)/ on \(configuration.databasePath) (Ctrl-C to stop)")
        }
        let finished = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw CLIFailure(message: "serve stopped: \(error)", code: ExitStatus.software) }
    }
}

/// The server's error, handed from its task to the waiting command.
private final class ServeOutcome: @unchecked Sendable {
    var error: Error?
}
