-- 0003: annual targets, and the index the year-end report reads.
--
-- A target is one figure for one year, one metric and one scope; its natural
-- key is (year, metric, scope), which two sites cannot mint differently.
-- `value` is a count of projects, or an amount in fen for `investment`.
-- Scopes: 'all', 'level:municipal', 'level:county', 'park:<park code>',
-- 'county:<county name>', 'sector:<sector key>'. Setting a target again
-- replaces the value and records who set it and when (UTC).
CREATE TABLE target (
    year   INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2199),
    metric TEXT NOT NULL CHECK (metric = 'projects' OR metric = 'investment'),
    scope  TEXT NOT NULL
           CHECK (scope = 'all' OR scope = 'level:municipal' OR scope = 'level:county'
                  OR (length(scope) > 5 AND (substr(scope, 1, 5) = 'park:' OR substr(scope, 1, 7) = 'county:'
                                             OR substr(scope, 1, 7) = 'sector:'))),
    value  INTEGER NOT NULL CHECK (value > 0),
    set_by TEXT NOT NULL CHECK (length(set_by) > 0),
    set_at TEXT NOT NULL,
    PRIMARY KEY (year, metric, scope)
) STRICT, WITHOUT ROWID;

-- The report counts investment projects signed in a date range and groups
-- them by park, sector, month and stage: this index answers it without
-- touching the table (a covering index, scanned in signing order). The code
-- is in it to match projects against later stage changes (below).
CREATE INDEX project_report ON project (kind, signed_on, park_code, sector_key, stage, planned_investment_fen, code);

-- Stages as of a past date: which projects changed stage after it (covering).
CREATE INDEX project_stage_entered_on ON project_stage (entered_on, project_code);
