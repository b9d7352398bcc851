-- Audit trail of message events. Never any content: no subject, no body, no attachment names.
CREATE TABLE message_event (
    id             BIGSERIAL PRIMARY KEY,
    occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    event          TEXT        NOT NULL,
    mail_name      TEXT        NOT NULL,
    message_id     TEXT,
    sender         TEXT,
    recipients     TEXT[]      NOT NULL DEFAULT '{}',
    remote_address TEXT,
    size_bytes     BIGINT,
    detail         TEXT
);

CREATE INDEX message_event_occurred_at ON message_event (occurred_at);
CREATE INDEX message_event_message_id ON message_event (message_id);
