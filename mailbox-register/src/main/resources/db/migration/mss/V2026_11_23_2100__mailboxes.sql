-- The operator's mailboxes as MSSanté sees them (issue 4): kind, holder, state, publication flags; who else may use
-- them; and every change, audited.
CREATE TABLE mailbox (
    address          TEXT PRIMARY KEY CHECK (address = lower(address)),
    kind             TEXT        NOT NULL CHECK (kind IN ('PER', 'ORG', 'APP', 'CAB')),
    holder_id        TEXT        NOT NULL,
    description      TEXT,
    service          TEXT,
    liste_rouge      BOOLEAN     NOT NULL DEFAULT false,
    preferred_rank   INTEGER,
    state            TEXT        NOT NULL DEFAULT 'ACTIVE' CHECK (state IN ('ACTIVE', 'SUSPENDED', 'CLOSED')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_activity_at TIMESTAMPTZ
);
CREATE INDEX mailbox_holder ON mailbox (holder_id);

CREATE TABLE mailbox_access (
    address    TEXT        NOT NULL REFERENCES mailbox (address),
    identity   TEXT        NOT NULL,
    role       TEXT        NOT NULL CHECK (role IN ('CO_HOLDER', 'DELEGATE_READ', 'DELEGATE_SEND')),
    granted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (address, identity, role)
);
CREATE INDEX mailbox_access_identity ON mailbox_access (identity);

CREATE TABLE mailbox_change (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    address TEXT        NOT NULL,
    actor   TEXT        NOT NULL,
    change  TEXT        NOT NULL,
    detail  TEXT
);
CREATE INDEX mailbox_change_address ON mailbox_change (address, at);
