-- 0007: a compact change log.
--
-- change_log (0005) repeated the actor, time and command in every entry,
-- stored both whole rows as JSON objects with their column names, and a
-- 64-digit hex hash: at a million projects the log was eight times the size
-- of the rows. From here on:
--
-- * change_set: one row per command (one write transaction): when, who, what
--   command, and at which site (a registry_identity id). Its `hash` is SHA-256
--   over those fields (see EntryHash.swift), 32 bytes.
-- * change_entry: one row per row inserted, updated or deleted, naming its set.
--   `row_key` is the JSON array of the primary-key values, as before.
--     insert: `after` is the whole row as a JSON array in column order
--             (what json_array(col1, col2, …) of the row gives); `before` NULL.
--     update: `before` and `after` are JSON objects of the changed columns only.
--     delete: `before` is the whole row as a JSON array; `after` NULL.
--   `hash` (32 bytes) is SHA-256 over the entry, its set's hash and the
--   previous entry's hash: one chain, whose first entry here follows the last
--   entry of change_log. Entry numbers (`seq`) continue change_log's, so a
--   published head `seq:hash` means the same thing before and after this
--   migration.
--
-- change_log keeps the entries it holds (so every published head still
-- verifies) and takes no new ones. The view change_history shows both as
-- one log, readable from the sqlite3 shell.
CREATE TABLE change_set (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id > 0),
    at      TEXT NOT NULL CHECK (length(at) = 20),
    actor   TEXT NOT NULL CHECK (length(actor) > 0),
    command TEXT NOT NULL CHECK (length(command) > 0),
    site    TEXT NOT NULL CHECK (length(site) = 36),
    hash    BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE TABLE change_entry (
    seq        INTEGER NOT NULL PRIMARY KEY CHECK (seq > 0),
    set_id     INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    row_key    TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    hash       BLOB NOT NULL CHECK (length(hash) = 32),
    CHECK (before IS NOT NULL OR after IS NOT NULL)
) STRICT;

-- `history`, `log --table/--key`, and verify's row-by-row merge.
CREATE INDEX change_entry_row ON change_entry (table_name, row_key);

CREATE TRIGGER change_set_no_update BEFORE UPDATE ON change_set
BEGIN
    SELECT RAISE(ABORT, 'change_set is append-only: sets cannot be changed');
END;

CREATE TRIGGER change_set_no_delete BEFORE DELETE ON change_set
BEGIN
    SELECT RAISE(ABORT, 'change_set is append-only: sets cannot be deleted');
END;

CREATE TRIGGER change_entry_no_update BEFORE UPDATE ON change_entry
BEGIN
    SELECT RAISE(ABORT, 'change_entry is append-only: entries cannot be changed');
END;

CREATE TRIGGER change_entry_no_delete BEFORE DELETE ON change_entry
BEGIN
    SELECT RAISE(ABORT, 'change_entry is append-only: entries cannot be deleted');
END;

CREATE TRIGGER change_log_closed BEFORE INSERT ON change_log
BEGIN
    SELECT RAISE(ABORT, 'change_log is closed (migration 0007): new entries go to change_entry');
END;

-- Both logs as one, oldest first by seq, for reading in the shell:
--   SELECT * FROM change_history WHERE table_name = 'project' AND row_key = '["SW-2025-001"]';
CREATE VIEW change_history (seq, at, actor, command, site, table_name, row_key, before, after, hash) AS
    SELECT seq, at, actor, command, NULL, table_name, row_key, before, after, hash
    FROM change_log
    UNION ALL
    SELECT e.seq, s.at, s.actor, s.command, s.site, e.table_name, e.row_key, e.before, e.after, lower(hex(e.hash))
    FROM change_entry AS e JOIN change_set AS s ON s.id = e.set_id;
