-- IMAP SEARCH BODY/TEXT index (ADR 0011): the decoded, case-folded searchable text of each stored message, filled
-- when a message is added to a mailbox and removed on expunge or mailbox deletion. A row may be missing (crash
-- between the message's commit and its indexing) or stale (crash before the removal): the search treats the
-- message table as the truth, scans the missing ones and ignores the stale ones; a catch-up at start repairs both.
-- pg_trgm: substring LIKE over a trigram GIN index is exact (the index gives candidates, the row is rechecked).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE message_search_text (
    mailbox_id bigint      NOT NULL, -- james.james_mail.mailbox_id (no foreign key: James's schema is built later)
    uid        bigint      NOT NULL, -- james.james_mail.mail_uid
    headers    text        NOT NULL, -- the top-level header fields, "name: decoded value", case-folded
    body       text        NOT NULL, -- the decoded text/* parts, case-folded
    indexed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (mailbox_id, uid)
);

CREATE INDEX message_search_text_headers_trgm ON message_search_text USING gin (headers gin_trgm_ops);
CREATE INDEX message_search_text_body_trgm ON message_search_text USING gin (body gin_trgm_ops);
