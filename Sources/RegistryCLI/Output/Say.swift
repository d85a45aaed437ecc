import ArgumentParser
import Foundation
import RegistryDomain

/// A line for the person at the terminal, in the language of the session
/// (`--lang`, `LANG`): the catalogue's wording of `message` (see `Message`).
/// Data (tables, CSV, JSON) is printed as it is, not through here.
func say(_ message: Message, terminator: String = "\n") {
    Swift.print(message.description, terminator: terminator)
}

/// The same on standard error (what a command did with an --output file).
func sayError(_ message: Message) {
    FileHandle.standardError.write(Data((message.description + "\n").utf8))
}

/// A wrong command line, in the session's language (the argument parser
/// adds the usage and exits 64).
func usageError(_ message: Message) -> ValidationError {
    ValidationError(message.description)
}
