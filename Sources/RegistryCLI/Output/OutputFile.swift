import Foundation
import RegistryDomain
import RegistryPresentation
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

    /// Streams into `path` after `refuseIfUnsafe`: `body` writes to a
    /// temporary file beside it, which replaces `path` only when `body`
    /// finishes; on any failure it is removed, and `path` is as it was.
    static func stream<T>(to path: String, database: String, force: Bool, _ body: (TextSink) throws -> T) throws -> T {
        try refuseIfUnsafe(path, database: database, force: force)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = try? FileHandle(forWritingTo: temporary) else {
            throw CLIFailure(message: "cannot write \(path): cannot create a file in \(url.deletingLastPathComponent().path)", code: ExitStatus.ioError)
        }
        do {
            let result = try withExtendedLifetime(TextSink.file(handle)) { sink in
                let result = try body(sink)
                sink.flush()
                return result
            }
            try handle.synchronize()
            try handle.close()
            if force { _ = try? FileManager.default.removeItem(at: url) }
            try FileManager.default.moveItem(at: temporary, to: url)
            return result
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
