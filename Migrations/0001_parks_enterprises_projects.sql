-- 0001: parks, enterprises, sectors, projects and their stage history.
--
-- Every table is STRICT and has a declared primary key made of natural keys
-- (park code, USCC, sector key, project code), so that changesets from other
-- sites (the session extension) can be applied without identity clashes.
-- Money is INTEGER fen; dates are ISO YYYY-MM-DD text. The CHECKs repeat the
-- domain's validation as a last line of defence against writes that bypass it.

CREATE TABLE park (
    code   TEXT NOT NULL PRIMARY KEY
           CHECK (length(code) BETWEEN 1 AND 64 AND code = trim(code)),
    name   TEXT NOT NULL UNIQUE
           CHECK (length(trim(name)) > 0),
    level  TEXT NOT NULL
           CHECK (level IN ('municipal', 'county')),
    county TEXT NOT NULL
           CHECK (length(trim(county)) > 0),
    notes  TEXT
) STRICT;

-- USCC: 18 characters from GB 32100-2015's alphabet (no I, O, S, V, Z); the
-- check character is verified by the domain.
CREATE TABLE enterprise (
    uscc  TEXT NOT NULL PRIMARY KEY
          CHECK (length(uscc) = 18 AND uscc NOT GLOB '*[^0-9A-HJ-NPQRTUWXY]*'),
    name  TEXT NOT NULL UNIQUE
          CHECK (length(trim(name)) > 0),
    city  TEXT,
    notes TEXT
) STRICT;

CREATE TABLE sector (
    key          TEXT NOT NULL PRIMARY KEY,
    name_zh      TEXT NOT NULL UNIQUE,
    name_en      TEXT NOT NULL,
    key_emerging INTEGER NOT NULL CHECK (key_emerging IN (0, 1))
) STRICT;

-- Stable keys: scripts and imports rely on them.
INSERT INTO sector (key, name_zh, name_en, key_emerging) VALUES
    ('new-energy',          '新能源',           'New energy',                                1),
    ('low-altitude',        '低空经济',         'Low-altitude economy',                      1),
    ('agri-tech',           '农业科技',         'Agricultural technology',                   1),
    ('domestic-os',         '国产操作系统',     'Domestic operating systems',                1),
    ('ai',                  '人工智能',         'Artificial intelligence',                   1),
    ('nev',                 '新能源汽车及零部件', 'New-energy vehicles and auto parts',      0),
    ('energy-storage',      '储能',             'Energy storage',                            0),
    ('materials',           '高性能材料',       'High-performance materials',                0),
    ('smart-manufacturing', '智能制造装备',     'Intelligent manufacturing equipment',       0),
    ('logistics',           '现代物流',         'Logistics',                                 0),
    ('other',               '其他',             'Other',                                     0);

-- An investment project needs its park, enterprise and sector; a wellbeing
-- programme (a hospital, a school) may have none of them.
CREATE TABLE project (
    code                   TEXT NOT NULL PRIMARY KEY
                           CHECK (length(code) BETWEEN 1 AND 64 AND code = trim(code)),
    name                   TEXT NOT NULL
                           CHECK (length(trim(name)) > 0),
    kind                   TEXT NOT NULL
                           CHECK (kind IN ('investment', 'wellbeing')),
    park_code              TEXT REFERENCES park (code),
    enterprise_uscc        TEXT REFERENCES enterprise (uscc),
    sector_key             TEXT REFERENCES sector (key),
    planned_investment_fen INTEGER NOT NULL
                           CHECK (planned_investment_fen >= 0),
    signed_on              TEXT NOT NULL
                           CHECK (date(signed_on) IS signed_on),
    stage                  TEXT NOT NULL DEFAULT 'signed'
                           CHECK (stage IN ('signed', 'construction', 'operating', 'cancelled')),
    notes                  TEXT,
    CHECK (kind = 'wellbeing'
           OR (park_code IS NOT NULL AND enterprise_uscc IS NOT NULL AND sector_key IS NOT NULL))
) STRICT;

CREATE INDEX project_signed_on ON project (signed_on);
CREATE INDEX project_park ON project (park_code);
CREATE INDEX project_enterprise ON project (enterprise_uscc);

-- A project reaches each stage at most once (stages only move forward, and
-- cancelled is final), so (project, stage) is a natural key that two sites
-- cannot both mint differently.
CREATE TABLE project_stage (
    project_code TEXT NOT NULL REFERENCES project (code) ON UPDATE CASCADE,
    stage        TEXT NOT NULL
                 CHECK (stage IN ('signed', 'construction', 'operating', 'cancelled')),
    entered_on   TEXT NOT NULL
                 CHECK (date(entered_on) IS entered_on),
    PRIMARY KEY (project_code, stage)
) STRICT;
