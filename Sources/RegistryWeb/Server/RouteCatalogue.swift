import Hummingbird
import RegistryDomain

/// Every route behind the sign-in, with the action it needs. The server
/// registers exactly these (`WebSite.router`); `WebServer.routes` hands the
/// same list to the role tests.
enum RouteCatalogue {
    struct Entry: Sendable {
        let spec: RouteSpec
        let make: @Sendable (WebSite) -> Handler
    }

    private static func get(_ path: String, _ action: UserAction, _ make: @escaping @Sendable (WebSite) -> Handler) -> Entry {
        Entry(spec: RouteSpec(method: "GET", path: path, action: action), make: make)
    }

    private static func post(_ path: String, _ action: UserAction, _ make: @escaping @Sendable (WebSite) -> Handler) -> Entry {
        Entry(spec: RouteSpec(method: "POST", path: path, action: action), make: make)
    }

    static let entries: [Entry] = [
        get("/", .read) { site in { try await site.dashboard($0, $1, $2, $3) } },
        post("/logout", .read) { site in { try await site.logout($0, $1, $2, $3) } },
        get("/projects", .read) { site in { try await site.projectList($0, $1, $2, $3) } },
        get("/projects.csv", .export) { site in { try await site.projectCSV($0, $1, $2, $3) } },
        get("/projects/new", .write) { site in { try await site.projectForm($0, $1, $2, $3) } },
        post("/projects", .write) { site in { try await site.addProject($0, $1, $2, $3) } },
        get("/projects/:code", .read) { site in { try await site.projectPage($0, $1, $2, $3) } },
        get("/projects/:code/edit", .write) { site in { try await site.projectForm($0, $1, $2, $3) } },
        post("/projects/:code", .write) { site in { try await site.updateProject($0, $1, $2, $3) } },
        post("/projects/:code/stage", .write) { site in { try await site.changeStage($0, $1, $2, $3) } },
        get("/parks", .read) { site in { try await site.parkList($0, $1, $2, $3) } },
        get("/parks/new", .write) { site in { try await site.parkForm($0, $1, $2, $3) } },
        post("/parks", .write) { site in { try await site.addPark($0, $1, $2, $3) } },
        get("/parks/:code", .read) { site in { try await site.parkPage($0, $1, $2, $3) } },
        get("/enterprises", .read) { site in { try await site.enterpriseList($0, $1, $2, $3) } },
        get("/enterprises/new", .write) { site in { try await site.enterpriseForm($0, $1, $2, $3) } },
        post("/enterprises", .write) { site in { try await site.addEnterprise($0, $1, $2, $3) } },
        get("/enterprises/:uscc", .read) { site in { try await site.enterprisePage($0, $1, $2, $3) } },
        get("/funds", .read) { site in { try await site.fundList($0, $1, $2, $3) } },
        get("/funds/new", .write) { site in { try await site.fundForm($0, $1, $2, $3) } },
        post("/funds", .write) { site in { try await site.addFund($0, $1, $2, $3) } },
        get("/funds/:code", .read) { site in { try await site.fundPage($0, $1, $2, $3) } },
        post("/funds/:code/allocations", .write) { site in { try await site.allocate($0, $1, $2, $3) } },
        post("/allocations/payments", .write) { site in { try await site.disburse($0, $1, $2, $3) } },
        get("/audit", .audit) { site in { try await site.auditPage($0, $1, $2, $3) } },
        get("/report", .read) { site in { try await site.reportPage($0, $1, $2, $3) } },
        get("/search", .read) { site in { try await site.searchPage($0, $1, $2, $3) } },
        get("/history", .read) { site in { try await site.historyPage($0, $1, $2, $3) } },
        get("/import", .importFile) { site in { try await site.importForm($0, $1, $2, $3) } },
        post("/import", .importFile) { site in { try await site.importFile($0, $1, $2, $3) } },
        get("/users", .administer) { site in { try await site.userList($0, $1, $2, $3) } },
        post("/users", .administer) { site in { try await site.addUser($0, $1, $2, $3) } },
        post("/users/:name/disable", .administer) { site in { try await site.disableUser($0, $1, $2, $3) } },
        get("/admin", .administer) { site in { try await site.adminPage($0, $1, $2, $3) } },
        post("/targets", .administer) { site in { try await site.setTarget($0, $1, $2, $3) } },
        post("/years", .administer) { site in { try await site.closeOrReopenYear($0, $1, $2, $3) } },
    ]
}

extension WebServer {
    /// Every route behind the sign-in, with the action each needs (for the role tests).
    public static var routes: [RouteSpec] { RouteCatalogue.entries.map(\.spec) }
}
