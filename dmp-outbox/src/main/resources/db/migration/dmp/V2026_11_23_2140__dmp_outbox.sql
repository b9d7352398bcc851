-- The DMP filing outbox. The mail server enqueues (one row per document of a message), the DMP connector JVM(s)
-- claim due rows with FOR UPDATE SKIP LOCKED, file them (ITI-41) and record the outcome; the mail server reads
-- REJECTED/FAILED outcomes once (notified_at) to tell the sender.
CREATE TABLE dmp.submission (
    id                  bigserial   PRIMARY KEY,
    message_id          text        NOT NULL,
    document_unique_id  text        NOT NULL,
    mailbox             text        NOT NULL,
    sender_national_id  text,
    type_code           text        NOT NULL,
    format_code         text        NOT NULL,
    title               text,
    mime_type           text        NOT NULL,
    document            bytea       NOT NULL,
    pdf_rendering       bytea,
    -- the XDS metadata extracted by the mail server (DocumentMetadata as JSON)
    metadata            jsonb       NOT NULL,
    state               text        NOT NULL
        CHECK (state IN ('QUEUED', 'SENDING', 'ACCEPTED', 'REJECTED', 'FAILED')),
    attempts            integer     NOT NULL DEFAULT 0,
    -- QUEUED: earliest next attempt; SENDING: the lease expiry (claimable again after it)
    next_attempt_at     timestamptz NOT NULL,
    -- the current lease: a connector's outcome is recorded only if its token still matches
    claim_token         uuid,
    last_error          text,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    finished_at         timestamptz,
    notified_at         timestamptz,
    CONSTRAINT submission_once UNIQUE (message_id, document_unique_id)
);

-- claimDue: only live rows, in due order
CREATE INDEX submission_due ON dmp.submission (next_attempt_at, id) WHERE state IN ('QUEUED', 'SENDING');
-- pollOutcomes: final failures not yet told to the sender
CREATE INDEX submission_to_notify ON dmp.submission (id) WHERE state IN ('REJECTED', 'FAILED') AND notified_at IS NULL;
-- the console's list (newest first, optionally by state or mailbox)
CREATE INDEX submission_created ON dmp.submission (created_at DESC, id DESC);
CREATE INDEX submission_mailbox ON dmp.submission (mailbox, created_at DESC);
CREATE INDEX submission_document ON dmp.submission (document_unique_id);
