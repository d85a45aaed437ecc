-- 0008: county sync (Documentation/Sync.md).
--
-- Headquarters (site code HQ) and the county working groups (HF, LF, ...)
-- each keep their own registry and exchange signed bundles of SQLite
-- changesets (the session extension). Nothing here is replicated itself:
-- each site's bookkeeping stays with the site.
--
-- * site: this registry's own site (is_local = 1, at most one) and the sites
--   it exchanges bundles with, each with its Ed25519 public key (64 hex
--   digits). Recorded in the change log: who trusts which key is part of the
--   history. The private key is never here (see SiteKey.swift).
-- * sync_outbox: one changeset per write transaction at this site, of the
--   tables this site sends (a county: its projects, stages, funds,
--   allocations, payments and enterprises; headquarters: parks, sectors,
--   enterprises, targets and its funds), written in the same transaction as
--   the change. seq is this database's own sequence. Seq 1 may be the
--   baseline: the rows that existed when sync was switched on.
-- * sync_sent: the bundles made here, per receiving site, with the range of
--   outbox entries each carries and its SHA-256 (the next bundle names it).
-- * sync_bundle: the bundles applied here, per sending site: the range of
--   the sender's outbox, the bundle's SHA-256, the sender's log head, and how
--   far the sender had applied this site's bundles (its acknowledgement).
--   Recorded in the change log: the entry names the bundle.
-- * sync_origin: which site a row came from, for the rows bundles brought
--   here (a row with none was made here). A site changes only the rows it
--   made: see Ownership.swift.
-- * sync_resolution: how a conflict between a bundle and this site's rows
--   was settled (keep the row here, or take the sender's), by whom; recorded
--   in the change log, and consulted when the bundle is applied.
CREATE TABLE site (
    code       TEXT NOT NULL PRIMARY KEY
               CHECK (length(code) BETWEEN 1 AND 8 AND code NOT GLOB '*[^A-Z0-9]*'),
    name       TEXT NOT NULL CHECK (length(trim(name)) > 0),
    public_key TEXT CHECK (public_key IS NULL OR (length(public_key) = 64 AND public_key NOT GLOB '*[^0-9a-f]*')),
    is_local   INTEGER NOT NULL CHECK (is_local = 0 OR is_local = 1),
    added_at   TEXT NOT NULL CHECK (length(added_at) = 20)
) STRICT;

CREATE UNIQUE INDEX site_one_local ON site (is_local) WHERE is_local = 1;

CREATE TABLE sync_outbox (
    seq       INTEGER NOT NULL PRIMARY KEY CHECK (seq > 0),
    set_id    INTEGER,
    at        TEXT NOT NULL CHECK (length(at) = 20),
    changeset BLOB NOT NULL CHECK (length(changeset) > 0)
) STRICT;

CREATE TABLE sync_sent (
    receiver TEXT NOT NULL,
    number   INTEGER NOT NULL CHECK (number > 0),
    from_seq INTEGER NOT NULL CHECK (from_seq >= 0),
    to_seq   INTEGER NOT NULL CHECK (to_seq >= from_seq),
    hash     TEXT NOT NULL CHECK (length(hash) = 64),
    at       TEXT NOT NULL CHECK (length(at) = 20),
    PRIMARY KEY (receiver, number)
) STRICT;

CREATE TABLE sync_bundle (
    sender       TEXT NOT NULL,
    number       INTEGER NOT NULL CHECK (number > 0),
    from_seq     INTEGER NOT NULL CHECK (from_seq >= 0),
    to_seq       INTEGER NOT NULL CHECK (to_seq >= from_seq),
    hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64),
    sender_head  TEXT NOT NULL,
    acknowledges INTEGER NOT NULL CHECK (acknowledges >= 0),
    changes      INTEGER NOT NULL CHECK (changes >= 0),
    applied_at   TEXT NOT NULL CHECK (length(applied_at) = 20),
    PRIMARY KEY (sender, number)
) STRICT;

CREATE TABLE sync_resolution (
    bundle_hash TEXT NOT NULL CHECK (length(bundle_hash) = 64),
    table_name  TEXT NOT NULL,
    row_key     TEXT NOT NULL,
    keep        TEXT NOT NULL CHECK (keep = 'here' OR keep = 'sender'),
    note        TEXT,
    PRIMARY KEY (bundle_hash, table_name, row_key)
) STRICT;

CREATE TABLE sync_origin (
    table_name TEXT NOT NULL,
    row_key    TEXT NOT NULL,
    site       TEXT NOT NULL,
    PRIMARY KEY (table_name, row_key)
) STRICT, WITHOUT ROWID;
