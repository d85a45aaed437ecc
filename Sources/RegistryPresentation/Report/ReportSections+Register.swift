import RegistryDomain

extension ReportLayout {
    /// The findings register of the year (整改台账), once `audit run --record`
    /// has recorded findings: how many are in each status, and how long the
    /// open ones have been open. Nothing when the register is empty.
    package func registerSections(_ funds: FundReport) -> [ReportSection] {
        guard let register = funds.register, register.total > 0 else { return [] }
        var byStatus = ReportSection(
            key: "findings_by_status", title: "审计问题整改情况（整改台账，按状态）",
            columns: [.init("status", "状态"), .init("findings", "问题数", .right)],
            rows: register.byStatus.map { [ReportSection.Cell($0.status.chineseName, exact: $0.status.rawValue), count($0.count)] })
        byStatus.note = "共 \(register.total) 项已登记。明细：registry finding list --year \(report.year)"
        var byAge = ReportSection(
            key: "open_findings_by_age", title: "未办结问题账龄（自首次发现，截至\(report.asOf)）",
            columns: [.init("age", "账龄"), .init("findings", "问题数", .right)],
            rows: register.openByAge.map { [ReportSection.Cell($0.label), count($0.count)] })
        byAge.note = "未办结：待核实、已说明、已确认。"
        return [byStatus, byAge]
    }
}
