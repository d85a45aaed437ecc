import Hummingbird
import NIOCore
import RegistryDomain

/// The request context of every route: who is signed in, once the session
/// middleware has looked (nil on the sign-in page and the assets).
struct WebContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    var signedIn: SignedIn?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Imports upload a sheet: 32 MiB, as `import` reads a file of any size
    /// from the command line but a browser upload is held in memory.
    var maxUploadSize: Int { 32 * 1024 * 1024 }

    /// The address a throttle counts failed sign-ins against.
    var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}

/// A signed-in person, as read from the database for this request.
struct SignedIn: Sendable {
    let account: UserAccount
    let csrf: String
}

extension WebContext {
    /// A path parameter (a project code, a USCC) as typed: percent-decoded.
    func parameter(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
