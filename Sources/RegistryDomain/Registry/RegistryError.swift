import RegistryStorage

/// Why the registry database itself cannot be used (as opposed to a value
/// refused at the door, which is a `InvalidValue`).
public enum RegistryError: Error, MessageDescribed {
    /// No database file at the path: the user has to run `registry init`.
    case databaseMissing(path: String)
    /// The file is not SQLite, or is SQLite without the registry's schema.
    case notARegistryDatabase(path: String, detail: String, nextStep: NextStep? = nil)
    /// The database is older than this program: `registry init` upgrades it.
    case upgradeNeeded(path: String, pending: [String])
    /// The schema history does not match this program's migrations.
    case incompatibleSchema(path: String, MigrationError)
    /// The database file, or its folder, cannot be written (permissions, or a read-only disk).
    case readOnly(path: String)
    /// A file that a command would create exists already (and --force was not given).
    case outputExists(path: String)
    /// A file that a command would write is the registry database itself or
    /// one of its -wal/-shm/-journal files (refused even with --force).
    case outputIsDatabase(path: String, database: String)
    /// A restore would replace this registry with a backup of another one.
    case otherRegistry(backup: String, backupIdentity: String?, database: String, databaseIdentity: String)
    /// A backup or restore could not produce a sound copy; nothing was replaced.
    case backupFailed(path: String, detail: String)

    public var message: Message {
        switch self {
        case .databaseMissing(let path):
            "no registry database at \(path)"
        case .notARegistryDatabase(let path, let detail, _):
            "\(path) is not a registry database: \(detail)"
        case .upgradeNeeded(let path, let pending):
            "\(path) needs an upgrade (\(pending.count) pending migration(s): \(pending.joined(separator: ", ")))"
        case .incompatibleSchema(let path, let error):
            "cannot use \(path): \(error)"
        case .readOnly(let path):
            "the registry database \(path) is read-only here (the file or its folder is not writable, or the disk is mounted read-only); nothing was written"
        case .outputExists(let path):
            "\(path) already exists"
        case .outputIsDatabase(let path, let database):
            "\(path) is the registry database \(database) (or its -wal/-shm/-journal file); nothing was written; choose another file"
        case .otherRegistry(let backup, let backupIdentity, let database, let databaseIdentity):
            "\(backup) is a backup of another registry (\(backupIdentity ?? "one made before registries had an identity")), not of \(database) (\(databaseIdentity)); nothing was replaced"
        case .backupFailed(let path, let detail):
            "no backup written to \(path): \(detail)"
        }
    }
}

extension RegistryError {
    /// What to do about it, for the front end to render.
    public var nextStep: NextStep? {
        switch self {
        case .databaseMissing, .upgradeNeeded: .initialize
        case .notARegistryDatabase(_, _, let step): step
        case .outputExists: .otherFileOrForce
        case .incompatibleSchema, .readOnly, .outputIsDatabase, .backupFailed, .otherRegistry: nil
        }
    }
}
