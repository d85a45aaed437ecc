import Foundation
import RegistryDomain
import RegistryStorage

/// `--output FILE` of the commands that write a file (report, export): written
/// whole (never half a file on disk), never over an existing file without
/// `--force` (exit 73, as `backup`), and never over the registry database or
/// its `-wal`/`-shm`/`-journal` files, `--force` or not.
enum OutputFile {
    static func refuseIfUnsafe(_ path: String, database: String, force: Bool) throws {
        if FileIdentity.isPart(path, of: database) {
            throw RegistryError.outputIsDatabase(path: path, database: database)
        }
        if !force && FileManager.default.fileExists(atPath: path) {
            throw RegistryError.outputExists(path: path)
        }
    }

    /// Writes `text` to `path` after `refuseIfUnsafe`.
    static func write(_ text: String, to path: String, database: String, force: Bool) throws {
        try refuseIfUnsafe(path, database: database, force: force)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure(message: "cannot write \(path): \(error.localizedDescription)", code: ExitStatus.ioError)
        }
    }
}
