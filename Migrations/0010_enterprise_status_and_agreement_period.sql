-- 0010: what two more audit rules need (issue 19).
--
-- * enterprise_status: an enterprise's registration status (登记状态) and the
--   date it took effect: active (存续), abnormal (经营异常), revoked (吊销),
--   deregistered (注销). One row per enterprise, changed like any other
--   record, so its history is in the change log. `payee-deregistered` finds
--   payments to an enterprise marked abnormal, revoked or deregistered on or
--   before the payment date.
-- * allocation_period: the period an allocation's agreement (协议) allows
--   payments in; either end may be open. `payment-outside-agreement` finds
--   payments dated outside it.
--
-- Tables of their own rather than new columns of enterprise and allocation:
-- the change log's entries of those tables keep the columns they were
-- written with, and both facts are optional.
CREATE TABLE enterprise_status (
    uscc   TEXT NOT NULL PRIMARY KEY REFERENCES enterprise (uscc),
    status TEXT NOT NULL CHECK (status = 'active' OR status = 'abnormal' OR status = 'revoked' OR status = 'deregistered'),
    since  TEXT NOT NULL CHECK (date(since) IS since),
    notes  TEXT
) STRICT;

CREATE TABLE allocation_period (
    allocation_id TEXT NOT NULL PRIMARY KEY REFERENCES allocation (id) ON UPDATE CASCADE,
    starts_on     TEXT CHECK (starts_on IS NULL OR date(starts_on) IS starts_on),
    ends_on       TEXT CHECK (ends_on IS NULL OR date(ends_on) IS ends_on),
    CHECK (starts_on IS NOT NULL OR ends_on IS NOT NULL),
    CHECK (starts_on IS NULL OR ends_on IS NULL OR starts_on <= ends_on)
) STRICT;
