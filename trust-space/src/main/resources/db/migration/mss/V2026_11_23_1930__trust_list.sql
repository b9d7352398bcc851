-- Trust space: the last good liste blanche (raw document, re-parsed at start) and the refresh history.
CREATE TABLE mss.trust_list_current (
    id           smallint    PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    source       text        NOT NULL,
    sha256       char(64)    NOT NULL,
    entry_count  integer     NOT NULL,
    generated_at timestamptz,
    fetched_at   timestamptz NOT NULL,
    document     bytea       NOT NULL
);

CREATE TABLE mss.trust_list_refresh (
    id          bigserial   PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL,
    source      text        NOT NULL,
    outcome     varchar(16) NOT NULL CHECK (outcome IN ('UPDATED', 'UNCHANGED', 'REFUSED', 'FAILED')),
    reason      text        NOT NULL DEFAULT '',
    entry_count integer,
    added       integer     NOT NULL DEFAULT 0,
    removed     integer     NOT NULL DEFAULT 0,
    sha256      char(64)
);

CREATE INDEX trust_list_refresh_started_idx ON mss.trust_list_refresh (started_at DESC);
