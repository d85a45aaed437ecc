import ArgumentParser
import RegistryDomain
import RegistryPresentation

struct FundCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fund",
        abstract: "Record assistance funds, their allocations to projects, and the payments out of them.",
        discussion: """
            Amounts must be more than zero and references must exist; anything merely \
            suspicious (paid before approval, more paid than allocated, ...) is recorded \
            and reported by `registry audit run`.
            """,
        subcommands: [FundAdd.self, FundList.self, FundShow.self, FundAllocate.self, FundDisburse.self, FundPeriod.self]
    )
}

struct FundAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Record a fund.",
        discussion: "Example: registry fund add --code SZ-ASSIST-2025 --name 2025年深圳对口帮扶资金 --source shenzhen-assistance --year 2025 --budget 8亿"
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Fund code, the key, e.g. SZ-ASSIST-2025.") var code: String
    @Option(help: "Fund name (资金名称).") var name: String
    @Option(help: "Source: \(FundSource.acceptedValues).") var source: String
    @Option(help: "The fund's year.") var year: String
    @Option(parsing: .unconditional, help: "Budget: 8亿, 80000万, 800000000.") var budget: String
    @Flag(help: "A subsidy fund: its allocations to one project are capped (audit subsidy-cap-exceeded).") var subsidy = false
    @Option(help: "Free notes.") var notes: String?

    func run() throws {
        let fund = try global.openRegistry().write(global.context("fund add")) {
            try $0.addFund(
                FundFields(
                    code: code, name: name, source: source, year: year, budget: budget,
                    isSubsidy: subsidy ? "yes" : "no", notes: notes))
        }
        say("added fund \(fund.code) \(fund.name): \(fund.year), budget \(fund.budget.formatted())\(fund.isSubsidy ? ", subsidy fund" : "")")
    }
}

struct FundAllocate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocate", abstract: "Record an allocation (批复) of a fund's money to a project or wellbeing programme.",
        discussion: "Example: registry fund allocate SZ-ASSIST-2025 --project WB-2025-HEALTH --amount 3000万 --approved-on 2025-02-10 --doc 深汕指〔2025〕12号"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Fund code or exact name.") var fund: String
    @Option(help: "Project code.") var project: String
    @Option(parsing: .unconditional, help: "Approved amount (批复金额): 3000万, 30000000.") var amount: String
    @Option(help: "Approval date (批复日期).") var approvedOn: String
    @Option(help: "Approval document number (批复文号), e.g. 深汕指〔2025〕12号.") var doc: String?
    @Option(help: "Id of the allocation (default: minted, A-<site>-<year>-NNNN).") var id: String?
    @Option(help: "Free notes.") var notes: String?

    func run() throws {
        let allocation = try global.openRegistry().write(global.context("fund allocate")) {
            try $0.allocate(
                AllocationFields(
                    id: id, fund: fund, project: project, amount: amount, approvedOn: approvedOn,
                    approvalDocument: doc, notes: notes))
        }
        say(
            "allocation \(allocation.id): \(allocation.amount.formatted()) of \(allocation.fundCode) to \(allocation.projectCode), approved \(allocation.approvedOn)\(allocation.approvalDocument.map { " (\($0))" } ?? Message(" (no approval document number)"))"
        )
    }
}

struct FundDisburse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disburse", abstract: "Record a payment (拨付) out of an allocation.",
        discussion: "Example: registry fund disburse A-HQ-2025-0001 --amount 1200万 --paid-on 2025-03-05 --payee 91441500MA4W1X2Y3Z --voucher PZ-2025-0031"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Allocation id.") var allocation: String
    @Option(parsing: .unconditional, help: "Amount paid (拨付金额).") var amount: String
    @Option(help: "Payment date (拨付日期).") var paidOn: String
    @Option(help: "Payee (收款单位): unified social credit code, or the exact name of a registered enterprise.") var payee: String
    @Option(help: "Payee name as on the voucher.") var payeeName: String?
    @Option(help: "Voucher number (凭证号).") var voucher: String
    @Option(help: "Purpose (用途).") var purpose: String?
    @Flag(help: "Paid in a later year than the fund's, with the carry-over (结转) approved.") var carryOver = false
    @Option(help: "Id of the payment (default: minted, D-<site>-<year>-NNNNNN).") var id: String?

    func run() throws {
        let payment = try global.openRegistry().write(global.context("fund disburse")) {
            try $0.disburse(
                DisbursementFields(
                    id: id, allocation: allocation, amount: amount, paidOn: paidOn, payee: payee,
                    payeeName: payeeName, voucher: voucher, purpose: purpose, carryOver: carryOver ? "yes" : "no"))
        }
        say(
            "disbursement \(payment.id): \(payment.amount.formatted()) from \(payment.allocationID) to \(payment.payeeCode) on \(payment.paidOn), voucher \(payment.voucher)"
        )
    }
}

struct FundList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Funds with budget, allocated, disbursed, remaining and disbursement rate.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only funds of this year.") var year: Int?
    @OptionGroup var output: FormatOption

    func run() throws {
        let funds = try global.openRegistry().funds(year: year)
        var listing = Listing(fields: [
            .init("code", "资金编号"), .init("name", "资金名称"), .init("source", "来源"), .init("year", "年度", .right),
            .init("subsidy", "补助", inTable: true), .init("budget_yuan", "预算", .right), .init("allocated_yuan", "已批复", .right),
            .init("disbursed_yuan", "已拨付", .right), .init("remaining_yuan", "待拨付", .right),
            .init("unallocated_yuan", "未批复", .right), .init("disbursement_rate", "拨付率", .right),
        ])
        let unit = output.unit
        for summary in funds {
            let fund = summary.fund
            listing.rows.append([
                .text(fund.code), .text(fund.name),
                Listing.Value(display: fund.source.chineseName, exact: .text(fund.source.rawValue)), .integer(Int64(fund.year)),
                Listing.Value(display: fund.isSubsidy ? "是" : "", exact: .integer(fund.isSubsidy ? 1 : 0)),
                .money(fund.budget, unit), .money(summary.allocated, unit), .money(summary.disbursed, unit),
                .money(summary.remaining, unit), .money(summary.unallocated, unit), .rate(summary.disbursementRateBasisPoints),
            ])
        }
        print(listing.render(output.resolved), terminator: "")
        if output.resolved == .table {
            let budget = funds.reduce(0) { $0 + $1.fund.budget.fen }, allocated = funds.reduce(0) { $0 + $1.allocated.fen }
            let disbursed = funds.reduce(0) { $0 + $1.disbursed.fen }
            say(
                "\(funds.count) fund(s): budget \(Money(fen: budget).formatted(unit)), allocated \(Money(fen: allocated).formatted(unit)), disbursed \(Money(fen: disbursed).formatted(unit))"
            )
        }
    }
}

struct FundShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One fund, its allocations and its payments.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "Fund code or exact name.") var fund: String
    @Option(help: "Unit for amounts: auto, yi, wan or yuan.") var unit: Money.DisplayUnit = .auto

    func run() throws {
        let (summary, allocations, disbursements) = try global.openRegistry().fund(fund)
        let display = unit
        var details = Details()
        details.add("资金编号 code", summary.fund.code)
        details.add("资金名称 name", summary.fund.name)
        details.add("来源 source", "\(summary.fund.source.chineseName) (\(summary.fund.source.rawValue))")
        details.add("年度 year", String(summary.fund.year))
        details.add("补助资金 subsidy", summary.fund.isSubsidy ? "是 yes" : "否 no")
        details.add("预算 budget", summary.fund.budget.formatted(display))
        details.add("已批复 allocated", "\(summary.allocated.formatted(display)) in \(summary.allocations) allocation(s)")
        details.add("已拨付 disbursed", "\(summary.disbursed.formatted(display)) (\(Listing.Value.rate(summary.disbursementRateBasisPoints).display))")
        details.add("备注 notes", summary.fund.notes)
        print(details.render())
        var table = TextTable(columns: [
            .init("批复编号"), .init("项目"), .init("批复日期"), .init("批复文号"), .init("批复金额", .right),
            .init("已拨付", .right), .init("笔数", .right), .init("拨付率", .right),
        ])
        for line in allocations {
            table.append([
                line.allocation.id, "\(line.allocation.projectCode) \(line.projectName)", line.allocation.approvedOn.description,
                line.allocation.approvalDocument ?? "（无）", line.allocation.amount.formatted(display), line.disbursed.formatted(display),
                String(line.payments), Percent.text(basisPoints: line.disbursementRateBasisPoints),
            ])
        }
        print(table.render())
        var payments = TextTable(columns: [.init("拨付编号"), .init("批复编号"), .init("拨付日期"), .init("金额", .right), .init("收款单位"), .init("凭证号")])
        for payment in disbursements {
            payments.append([
                payment.id, payment.allocationID, payment.paidOn.description, payment.amount.formatted(display),
                [payment.payeeCode, payment.payeeName].compactMap { $0 }.joined(separator: " "), payment.voucher + (payment.carryOver ? "（结转）" : ""),
            ])
        }
        print(payments.render(), terminator: "")
    }
}
