-- Professionals' access (issue 4): how each mailbox may log in, the certificates that identify applicative
-- mailboxes (SASL EXTERNAL), TOTP secrets, the brute-force throttle and the authentication audit trail.

-- DISABLED: no password login at all (tokens/certificates only); PASSWORD; PASSWORD_TOTP: password followed by the
-- 6-digit TOTP code (RFC 6238). NULL: the operator default (MSS_PASSWORD_LOGIN).
ALTER TABLE mailbox ADD COLUMN password_login TEXT CHECK (password_login IN ('DISABLED', 'PASSWORD', 'PASSWORD_TOTP'));

-- A client certificate registered for a mailbox: its subject DN (normalised, RFC 4514) and optionally the SHA-256 of
-- the certificate to pin one certificate rather than any certificate issued to that DN.
CREATE TABLE mailbox_certificate (
    address       TEXT        NOT NULL REFERENCES mailbox (address),
    subject_dn    TEXT        NOT NULL,
    sha256        TEXT,
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (address, subject_dn)
);
CREATE INDEX mailbox_certificate_dn ON mailbox_certificate (subject_dn);

-- TOTP secrets, encrypted at rest with the operator master key (AES-GCM); last_step prevents replay of a code.
CREATE TABLE mailbox_totp (
    address    TEXT        PRIMARY KEY REFERENCES mailbox (address),
    secret     BYTEA       NOT NULL,
    last_step  BIGINT      NOT NULL DEFAULT 0,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Failed logins per login name in a sliding one-minute window; locked_until set when the threshold is reached.
CREATE TABLE login_throttle (
    principal    TEXT        PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    failures     INTEGER     NOT NULL,
    locked_until TIMESTAMPTZ
);

-- Every authentication attempt: who (actor: national id, certificate DN or login name), for which mailbox, how and
-- with what outcome. Never a password, token or code.
CREATE TABLE auth_event (
    id        BIGSERIAL PRIMARY KEY,
    at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    protocol  TEXT        NOT NULL,
    mechanism TEXT        NOT NULL,
    actor     TEXT,
    mailbox   TEXT,
    outcome   TEXT        NOT NULL,
    reason    TEXT,
    remote    TEXT
);
CREATE INDEX auth_event_at ON auth_event (at);
CREATE INDEX auth_event_actor ON auth_event (actor, at);
