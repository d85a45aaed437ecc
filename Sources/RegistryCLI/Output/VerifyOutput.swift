import RegistryDomain
import RegistryPresentation

enum VerifyOutput {
    static func print(_ report: VerifyReport) throws {
        guard report.isIntact else {
            for failure in report.failures { say("TAMPERED \(failure.check.rawValue): \(failure.message)") }
            if report.failuresNotShown > 0 { say("… and \(report.failuresNotShown) more") }
            throw CLIFailure(
                message: "verify: \(report.failures.count + report.failuresNotShown) problem(s); the registry does not match its history",
                code: ExitStatus.findings)
        }
        say(
            "intact: \(report.entries) log entries chain to head \(report.head); \(report.rows) rows in \(report.tables) tables match the log; schema (\(report.schemaObjects) objects) as the migrations made it"
        )
    }
}
