-- 0005: the change history (a hash chain) and closed years.
--
-- change_log holds one entry per row inserted, updated or deleted by any
-- command, appended in the same transaction as the change by the domain's
-- single write path (RowStore). `seq` is this database's own sequence: the
-- log is a property of one database file, and its order is what the hash
-- chain fixes. (When county sites send changesets, each site's log stays
-- with the site; headquarters records the applied rows in its own log.)
--
-- Each entry's `hash` is SHA-256 over a length-prefixed encoding of its
-- fields and the previous entry's hash (see ChangeLog.swift). `row_key` is a
-- JSON array of the primary-key values; `before` and `after` are JSON objects
-- of the whole row in column order, NULL for an insert (before) or a delete
-- (after). Nothing in SQL can recompute a hash: `registry verify` does.
-- (No json_valid() CHECKs: parsing every entry's JSON on insert cost about a
-- tenth of a large import, and verify recomputes every entry anyway.)
--
-- The domain writes the baseline (one entry per row that exists when this
-- migration runs) in the same transaction, so that verify holds from here on
-- for databases made by earlier versions.
CREATE TABLE change_log (
    seq        INTEGER NOT NULL PRIMARY KEY CHECK (seq > 0),
    at         TEXT NOT NULL CHECK (length(at) = 20),
    actor      TEXT NOT NULL CHECK (length(actor) > 0),
    command    TEXT NOT NULL CHECK (length(command) > 0),
    table_name TEXT NOT NULL CHECK (length(table_name) > 0),
    row_key    TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    hash       TEXT NOT NULL CHECK (length(hash) = 64),
    CHECK (before IS NOT NULL OR after IS NOT NULL)
) STRICT;

-- `registry history <table> <key>` and `log --table/--key`.
CREATE INDEX change_log_row ON change_log (table_name, row_key);

-- Append-only for everyone who goes through SQL, including the sqlite3
-- shell. Dropping these triggers is possible, and `verify` reports it (the
-- schema is compared with what the migrations make), as it reports any edit
-- made while they were gone (the hashes no longer recompute).
CREATE TRIGGER change_log_no_update BEFORE UPDATE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'change_log is append-only: entries cannot be changed');
END;

CREATE TRIGGER change_log_no_delete BEFORE DELETE ON change_log
BEGIN
    SELECT RAISE(ABORT, 'change_log is append-only: entries cannot be deleted');
END;

-- A closed year's records are frozen (RowStore refuses changes to them) until
-- the year is reopened. One row per year ever closed; reopening sets closed
-- to 0 with its reason, so both steps stay in the row's history. The head of
-- the change log at closing is kept, to publish with the year's report.
CREATE TABLE year_close (
    year      INTEGER NOT NULL PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
    closed    INTEGER NOT NULL CHECK (closed = 0 OR closed = 1),
    reason    TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    head_seq  INTEGER NOT NULL CHECK (head_seq >= 0),
    head_hash TEXT NOT NULL CHECK (length(head_hash) = 64)
) STRICT;
