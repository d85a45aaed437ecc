-- 0006: each registry's identity.
--
-- One row, minted once: by `registry init` for a new database, or by this
-- migration when it upgrades an older one (the domain's data step writes the
-- row and its change-log entry in the same transaction). Backups carry it,
-- so `restore` can tell a backup of this registry from one of another
-- registry, and county sync will name the registries it links by it.
CREATE TABLE registry_identity (
    singleton  INTEGER PRIMARY KEY CHECK (singleton = 1),
    id         TEXT NOT NULL CHECK (length(id) = 36),
    created_at TEXT NOT NULL
) STRICT;
