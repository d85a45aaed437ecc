import RegistryPresentation

/// Label–value lines for `show` commands, labels padded in terminal cells.
struct Details {
    private var lines: [(String, String)] = []

    mutating func add(_ label: String, _ value: String?) {
        lines.append((label, value.map(TerminalText.safe) ?? "—"))
    }

    func render() -> String {
        let width = lines.map { TerminalWidth.of($0.0) }.max() ?? 0
        return lines.map { TerminalWidth.pad($0.0, to: width, alignment: .left) + "  " + $0.1 }.joined(separator: "\n") + "\n"
    }
}

/// "field: before → after" for each field an update changed.
func describeChanges(_ pairs: [(label: String, before: String?, after: String?)]) -> [String] {
    pairs.filter { $0.before != $0.after }.map { "  \($0.label): \($0.before ?? "—") → \($0.after ?? "—")" }
}

/// Prints the outcome of an update: what changed, or that nothing did.
func printChange(_ kind: String, _ key: String, _ changed: Bool, _ lines: [String]) {
    if changed {
        say("updated \(kind) \(key):")
        lines.forEach { print($0) }
    } else {
        say("\(kind) \(key) unchanged: the values given are the ones it has")
    }
}
