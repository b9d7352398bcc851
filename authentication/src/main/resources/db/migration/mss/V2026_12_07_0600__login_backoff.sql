-- Password-login throttle with growing delays (issue 12 #5), replacing the per-login lock (which let anyone lock
-- anyone out): failures counted per (source address, login) and per source address (login = ''), with the end of
-- the current block. A key with no failure for a while starts again (see LoginThrottle).
DROP TABLE login_throttle;

CREATE TABLE login_backoff (
    source        TEXT        NOT NULL,
    login         TEXT        NOT NULL,
    failures      INTEGER     NOT NULL,
    last_failure  TIMESTAMPTZ NOT NULL,
    blocked_until TIMESTAMPTZ,
    PRIMARY KEY (source, login)
);
CREATE INDEX login_backoff_login ON login_backoff (login);
