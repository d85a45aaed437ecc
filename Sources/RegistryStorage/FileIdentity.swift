import Foundation

/// Whether a path names a database file or one of SQLite's companions
/// (`-wal`, `-shm`, `-journal`), however it is spelt: relative or absolute,
/// through a symbolic link, or as a second hard link to the same file.
///
/// A command that writes a file the user names (`--output`, a backup) must
/// never write over the live database: the path is compared after resolving
/// links, and existing files by device and inode.
public enum FileIdentity {
    /// SQLite's companion files: "the WAL file ... has the same name as the
    /// database file but with the 4 characters "-wal" appended".
    public static let companionSuffixes = ["", "-wal", "-shm", "-journal"]

    /// True when `path` is `database` or one of its companion files.
    public static func isPart(_ path: String, of database: String) -> Bool {
        let target = resolved(path)
        let base = resolved(database)
        let targetInode = inode(path)
        return companionSuffixes.contains { suffix in
            target.sameBytes(as: base + suffix) || (targetInode != nil && targetInode == inode(database + suffix))
        }
    }

    /// The absolute path with every symbolic link resolved: the file's own
    /// when it exists, else its folder's (the file may be made later).
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        if let real = realpath(absolute, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let url = URL(fileURLWithPath: absolute)
        let folder = url.deletingLastPathComponent().path
        guard let real = realpath(folder, nil) else { return url.standardizedFileURL.path }
        defer { free(real) }
        return String(cString: real) + "/" + url.lastPathComponent
    }

    private struct Inode: Equatable {
        let device: UInt64
        let number: UInt64
    }

    private static func inode(_ path: String) -> Inode? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Inode(device: UInt64(info.st_dev), number: UInt64(info.st_ino))
    }
}
