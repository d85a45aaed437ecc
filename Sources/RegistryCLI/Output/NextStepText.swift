import RegistryDomain
import RegistryPresentation

/// How the command line says what to do next (`NextStep`): the domain names
/// the step, this is the one place that spells it as commands and options.
enum NextStepText {
    /// The text to append to a refusal's reason, with its separator.
    static func suffix(_ step: NextStep?) -> Message {
        guard let step else { return "" }
        switch step {
        case .list(.sector): return " (see `registry sector list`)"
        case .list(.year): return "; see `registry year list`"
        case .list(let kind): return "; see `registry \(kind.rawValue) list`"
        case .listTargets(let year): return "; see `registry target list --year \(year)`"
        case .add(let kind): return "; add it with `registry \(kind.rawValue) add`"
        case .showFund: return "; see `registry fund show <fund>`"
        case .reopenYear(let year): return " with `registry year reopen \(year) --reason …`"
        case .changeStage: return "; use `registry project stage`"
        case .initialize: return "; run `registry init`"
        case .upsert: return "; use --upsert to update it"
        case .check: return "; run `registry check`"
        case .otherDatabase: return "; choose another --db"
        case .otherFileOrForce: return "; choose another file, or pass --force to replace it"
        case .giveTargets: return "; give --projects, --investment or both"
        case .giveUnit: return "; or give --amounts-in wan (万元), yi (亿元) or yuan (元)"
        }
    }

    /// An import problem as its line in the command's output.
    static func line(_ problem: ImportProblem) -> Message {
        problem.message + suffix(problem.nextStep)
    }
}
