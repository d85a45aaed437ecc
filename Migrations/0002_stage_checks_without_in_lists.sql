-- 0002: the same rules on project and project_stage, written without IN lists.
--
-- SQLite evaluates `stage IN ('signed', 'construction', 'operating',
-- 'cancelled')` (more than two constants) by building a temporary b-tree once
-- per statement execution. Registry writes one row per execution, so every
-- insert paid for it: about 1.5 µs per row per such CHECK, some 15% of a
-- large import. A chain of equalities states the same rule and costs nothing
-- extra. Keep CHECKs on written tables to two constants per IN, or use OR.
--
-- A CHECK cannot be altered in place, so both tables are rebuilt the way
-- SQLite documents (create new, copy, drop, rename, recreate indexes). The
-- migrator runs this with foreign keys off and runs `foreign_key_check`
-- before it commits.

CREATE TABLE project_new (
    code                   TEXT NOT NULL PRIMARY KEY
                           CHECK (length(code) BETWEEN 1 AND 64 AND code = trim(code)),
    name                   TEXT NOT NULL
                           CHECK (length(trim(name)) > 0),
    kind                   TEXT NOT NULL
                           CHECK (kind = 'investment' OR kind = 'wellbeing'),
    park_code              TEXT REFERENCES park (code),
    enterprise_uscc        TEXT REFERENCES enterprise (uscc),
    sector_key             TEXT REFERENCES sector (key),
    planned_investment_fen INTEGER NOT NULL
                           CHECK (planned_investment_fen >= 0),
    signed_on              TEXT NOT NULL
                           CHECK (date(signed_on) IS signed_on),
    stage                  TEXT NOT NULL DEFAULT 'signed'
                           CHECK (stage = 'signed' OR stage = 'construction' OR stage = 'operating' OR stage = 'cancelled'),
    notes                  TEXT,
    CHECK (kind = 'wellbeing'
           OR (park_code IS NOT NULL AND enterprise_uscc IS NOT NULL AND sector_key IS NOT NULL))
) STRICT;

INSERT INTO project_new (code, name, kind, park_code, enterprise_uscc, sector_key, planned_investment_fen, signed_on, stage, notes)
    SELECT code, name, kind, park_code, enterprise_uscc, sector_key, planned_investment_fen, signed_on, stage, notes
    FROM project ORDER BY rowid;
DROP TABLE project;
ALTER TABLE project_new RENAME TO project;

CREATE INDEX project_signed_on ON project (signed_on);
CREATE INDEX project_park ON project (park_code);
CREATE INDEX project_enterprise ON project (enterprise_uscc);

CREATE TABLE project_stage_new (
    project_code TEXT NOT NULL REFERENCES project (code) ON UPDATE CASCADE,
    stage        TEXT NOT NULL
                 CHECK (stage = 'signed' OR stage = 'construction' OR stage = 'operating' OR stage = 'cancelled'),
    entered_on   TEXT NOT NULL
                 CHECK (date(entered_on) IS entered_on),
    PRIMARY KEY (project_code, stage)
) STRICT;

INSERT INTO project_stage_new (project_code, stage, entered_on)
    SELECT project_code, stage, entered_on FROM project_stage ORDER BY rowid;
DROP TABLE project_stage;
ALTER TABLE project_stage_new RENAME TO project_stage;
