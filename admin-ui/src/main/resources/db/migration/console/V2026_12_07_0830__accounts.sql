-- The operator console's own accounts (operators and read-only auditors) and its login audit. Passwords are BCrypt
-- hashes; the TOTP secret (RFC 6238) is what the authenticator app also holds. Nothing else of the server lives here.
CREATE TABLE account (
    login            TEXT PRIMARY KEY,
    password_hash    TEXT        NOT NULL,
    totp_secret      TEXT        NOT NULL,
    role             TEXT        NOT NULL CHECK (role IN ('OPERATOR', 'AUDITOR')),
    failed_attempts  INTEGER     NOT NULL DEFAULT 0,
    locked_until     TIMESTAMPTZ,
    last_totp_step   BIGINT      NOT NULL DEFAULT 0,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE login_event (
    id             BIGSERIAL PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    login          TEXT        NOT NULL,
    outcome        TEXT        NOT NULL CHECK (outcome IN ('SUCCESS', 'FAILURE', 'LOCKED_OUT', 'REFUSED_LOCKED')),
    reason         TEXT,
    remote_address TEXT
);
CREATE INDEX login_event_at ON login_event (at);
