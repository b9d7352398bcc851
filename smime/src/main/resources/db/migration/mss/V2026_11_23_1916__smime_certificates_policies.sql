-- Recipient certificates known to the operator (directory, configuration, verified signatures).
CREATE TABLE mss.smime_certificate (
    email           TEXT        NOT NULL,          -- lower case
    fingerprint     TEXT        NOT NULL,          -- SHA-256 hex
    source          TEXT        NOT NULL,          -- DIRECTORY, CONFIGURATION, SIGNATURE
    not_after       TIMESTAMPTZ NOT NULL,
    certificate_der BYTEA       NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (email, fingerprint)
);

-- S/MIME policies: scope OPERATOR (scope_key ''), DOMAIN (domain) or MAILBOX (address); INHERIT defers to the parent.
CREATE TABLE mss.smime_policy (
    scope           TEXT        NOT NULL CHECK (scope IN ('OPERATOR', 'DOMAIN', 'MAILBOX')),
    scope_key       TEXT        NOT NULL,
    sign_mode       TEXT        NOT NULL CHECK (sign_mode IN ('INHERIT', 'NEVER', 'ALWAYS')),
    encrypt_mode    TEXT        NOT NULL CHECK (encrypt_mode IN ('INHERIT', 'NEVER', 'WHEN_POSSIBLE', 'REQUIRED')),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, scope_key)
);
