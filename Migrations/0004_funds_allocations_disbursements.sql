-- 0004: assistance funds, their allocations to projects, and disbursements.
--
-- Keys that two sites cannot mint differently: a fund has a natural code
-- (SZ-ASSIST-2025). Allocations and disbursements have no natural key (an
-- approval document may cover several allocations, and a voucher number may,
-- wrongly, be used twice: the audits must see that), so their ids are text
-- that carries the site that minted them: A-HQ-2025-0001, D-HQ-2025-000001.
-- The site is this database's own code in `local_site` (HQ unless
-- `registry init --site` chose another), which is never sent to other sites.
--
-- The CHECKs admit what can be right; what is only suspicious (payment before
-- approval, more paid than allocated, a payee code with a wrong check
-- character) is stored and found by `registry audit`. No IN list has more than
-- two constants (see 0002).

CREATE TABLE local_site (
    singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    code      TEXT NOT NULL
              CHECK (length(code) BETWEEN 1 AND 8 AND code NOT GLOB '*[^A-Z0-9]*')
) STRICT;

INSERT INTO local_site (singleton, code) VALUES (1, 'HQ');

CREATE TABLE fund (
    code       TEXT NOT NULL PRIMARY KEY
               CHECK (length(code) BETWEEN 1 AND 64 AND code = trim(code)),
    name       TEXT NOT NULL UNIQUE
               CHECK (length(trim(name)) > 0),
    source     TEXT NOT NULL
               CHECK (source = 'shenzhen-assistance' OR source = 'park-fund'
                      OR source = 'provincial-subsidy' OR source = 'other'),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2199),
    budget_fen INTEGER NOT NULL CHECK (budget_fen > 0),
    is_subsidy INTEGER NOT NULL CHECK (is_subsidy = 0 OR is_subsidy = 1),
    notes      TEXT
) STRICT;

CREATE TABLE allocation (
    id           TEXT NOT NULL PRIMARY KEY
                 CHECK (length(id) BETWEEN 1 AND 64 AND id = trim(id)),
    fund_code    TEXT NOT NULL REFERENCES fund (code) ON UPDATE CASCADE,
    project_code TEXT NOT NULL REFERENCES project (code) ON UPDATE CASCADE,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    approved_on  TEXT NOT NULL CHECK (date(approved_on) IS approved_on),
    -- The approval document number (批复文号); NULL is allowed and audited.
    approval_doc TEXT CHECK (approval_doc IS NULL OR length(trim(approval_doc)) > 0),
    notes        TEXT
) STRICT;

CREATE TABLE disbursement (
    id            TEXT NOT NULL PRIMARY KEY
                  CHECK (length(id) BETWEEN 1 AND 64 AND id = trim(id)),
    allocation_id TEXT NOT NULL REFERENCES allocation (id) ON UPDATE CASCADE,
    amount_fen    INTEGER NOT NULL CHECK (amount_fen > 0),
    paid_on       TEXT NOT NULL CHECK (date(paid_on) IS paid_on),
    -- The payee's unified social credit code as written on the voucher: 18
    -- characters, check character not enforced (the audit reports bad ones).
    payee_uscc    TEXT NOT NULL
                  CHECK (length(payee_uscc) = 18 AND payee_uscc NOT GLOB '*[^0-9A-Z]*'),
    payee_name    TEXT,
    voucher       TEXT NOT NULL CHECK (length(trim(voucher)) > 0),
    purpose       TEXT,
    -- 1 when paying in a later year than the fund's was approved (结转).
    carry_over    INTEGER NOT NULL DEFAULT 0 CHECK (carry_over = 0 OR carry_over = 1)
) STRICT;

-- What the audits read. Each rule is one range scan or one ordered pass over
-- one of these (see Sources/RegistryDomain/Audit/BuiltinRules.swift):
--   sums and dates per allocation (over-disbursed, idle, before approval, year);
CREATE INDEX disbursement_allocation ON disbursement (allocation_id, paid_on, amount_fen);
--   one payee's payments in date order (split payments, unregistered payees);
CREATE INDEX disbursement_payee ON disbursement (payee_uscc, paid_on, amount_fen);
--   one payee's payments of one amount in date order (duplicate payments);
CREATE INDEX disbursement_payee_amount ON disbursement (payee_uscc, amount_fen, paid_on);
--   a voucher number used twice (with the date, so that the count as of a
--   date needs no look-up in the table);
CREATE INDEX disbursement_voucher ON disbursement (voucher, paid_on);
--   dates after the as-of date, and a year's payments.
CREATE INDEX disbursement_paid_on ON disbursement (paid_on);
CREATE INDEX allocation_fund ON allocation (fund_code, approved_on, amount_fen);
CREATE INDEX allocation_project ON allocation (project_code);
CREATE INDEX allocation_approved_on ON allocation (approved_on);
