import RegistryDomain

/// The menu, with only the pages this role may open.
enum Menu {
    static let all: [(path: String, title: String, action: UserAction)] = [
        ("/", "首页", .read),
        ("/projects", "项目", .read),
        ("/parks", "园区", .read),
        ("/enterprises", "企业", .read),
        ("/funds", "资金", .read),
        ("/audit", "审计", .audit),
        ("/report", "报告", .read),
        ("/history", "变更记录", .read),
        ("/search", "搜索", .read),
        ("/import", "导入", .importFile),
        ("/users", "用户", .administer),
        ("/admin", "目标与年度", .administer),
    ]

    static func items(for role: UserRole) -> [[String: Any]] {
        all.filter { role.may($0.action) }.map { ["path": $0.path, "title": $0.title] }
    }
}
