-- 0009: the findings register (整改台账).
--
-- `audit run --record` stores each finding with a stable identity: `id` is
-- `F-` and the first 12 hex digits of SHA-256 over the rule and the keys of
-- the records the finding names (fund, allocation, payment, project, payee),
-- so the same problem found again next month is the same finding. A finding
-- no longer found keeps its row with `still_found = 0`; it is never deleted.
--
-- Statuses: open (待核实) → explained (已说明) | confirmed (已确认) →
-- rectified (已整改), or dismissed (不属实). Each change goes through the
-- single write path, so who changed it and when is in the change log; the
-- row keeps the latest note, document number (整改文号), actor and time for
-- the register's own columns. `year` freezes the finding with year close.
CREATE TABLE finding (
    id           TEXT NOT NULL PRIMARY KEY CHECK (length(id) = 14 AND id GLOB 'F-*'),
    rule         TEXT NOT NULL CHECK (length(rule) > 0),
    year         INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2199),
    severity     TEXT NOT NULL CHECK (severity = 'error' OR severity = 'warning' OR severity = 'info'),
    fund         TEXT,
    allocation   TEXT,
    disbursement TEXT,
    project      TEXT,
    payee        TEXT,
    reason       TEXT NOT NULL,
    first_found  TEXT NOT NULL CHECK (date(first_found) IS first_found),
    last_found   TEXT NOT NULL CHECK (date(last_found) IS last_found),
    still_found  INTEGER NOT NULL CHECK (still_found = 0 OR still_found = 1),
    status       TEXT NOT NULL CHECK (status = 'open' OR status = 'explained' OR status = 'confirmed'
                                      OR status = 'rectified' OR status = 'dismissed'),
    note         TEXT,
    document     TEXT,
    changed_by   TEXT,
    changed_at   TEXT
) STRICT;

CREATE INDEX finding_rule_year ON finding (rule, year);
