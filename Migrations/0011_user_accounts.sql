-- 0011: the accounts of `registry serve` (issue 17).
--
-- One row per person who signs in to the web pages: a name (the actor the
-- change log records for their changes), a role, the bcrypt hash of the
-- password, and when the account was disabled (NULL while it may sign in).
-- The table is recorded like any other: a hash or role changed with the
-- sqlite3 shell behind registry's back is what `verify` reports. It is a
-- site's own table and never travels in a sync bundle.
CREATE TABLE user_account (
    name          TEXT NOT NULL PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role = 'viewer' OR role = 'clerk' OR role = 'auditor' OR role = 'admin'),
    password_hash TEXT NOT NULL CHECK (length(password_hash) = 60 AND substr(password_hash, 1, 4) = '$2b$'),
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
) STRICT;
