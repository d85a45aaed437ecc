import ArgumentParser
import RegistryDomain
import RegistryPresentation

/// `enterprise status`: an enterprise's registration status and its date (what `payee-deregistered` reads).
struct EnterpriseStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Record an enterprise's registration status (存续, 经营异常, 吊销, 注销) and the date it took effect.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The enterprise's USCC or exact name.") var enterprise: String
    @Option(help: "The status: \(RegistrationStatus.acceptedValues).") var status: String
    @Option(name: .customLong("on"), help: "The date it took effect (YYYY-MM-DD).") var since: String
    @Option(help: "Free notes (e.g. the notice it was published in).") var notes: String?

    func run() throws {
        let registry = try global.openRegistry()
        let change = try registry.write(global.context("enterprise status")) {
            try $0.setEnterpriseStatus(EnterpriseStatusFields(uscc: enterprise, status: status, since: since, notes: notes), replacing: true)
        }
        let after = change.after
        say("enterprise \(after.uscc): \(after.status.chineseName) (\(after.status.rawValue)) since \(after.since)" + (change.changed ? "" : "; unchanged"))
    }
}

/// `fund period`: the period an allocation's agreement allows payments in (what `payment-outside-agreement` reads).
struct FundPeriod: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "period", abstract: "Record the period an allocation's agreement (协议) allows payments in; either end may be left open.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The allocation's id (A-HQ-2025-0001).") var allocation: String
    @Option(name: .customLong("from"), help: "First day payments are allowed (YYYY-MM-DD).") var startsOn: String?
    @Option(name: .customLong("until"), help: "Last day payments are allowed (YYYY-MM-DD).") var endsOn: String?

    func validate() throws {
        if startsOn == nil && endsOn == nil { throw usageError("give --from, --until or both") }
    }

    func run() throws {
        let registry = try global.openRegistry()
        let change = try registry.write(global.context("fund period")) {
            try $0.setAllocationPeriod(AllocationPeriodFields(allocation: allocation, startsOn: startsOn, endsOn: endsOn), replacing: true)
        }
        let period = change.after
        say("allocation \(period.allocationID): payments allowed \(period.startsOn?.description ?? "…") to \(period.endsOn?.description ?? "…")")
    }
}
