-- Citizen messaging (issue 15): the citizens whose mailbox we serve (a patient domain of ours), and what the rules
-- remember of conversations: the messages professionals sent to citizens (Message-ID, without angle brackets), the
-- conversations a professional ended (X-MSS-MES: FIN / [FIN]), the one-time login codes of the health space.
CREATE TABLE citizen (
    ins            VARCHAR(15)  PRIMARY KEY,
    address        VARCHAR(320) NOT NULL UNIQUE,
    display_name   TEXT         NOT NULL,
    personal_email VARCHAR(320) NOT NULL,
    state          VARCHAR(8)   NOT NULL DEFAULT 'OPEN' CHECK (state IN ('OPEN', 'CLOSED')),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    closed_at      TIMESTAMPTZ
);

CREATE TABLE citizen_thread (
    thread_id    VARCHAR(998) NOT NULL,
    citizen      VARCHAR(320) NOT NULL,
    professional VARCHAR(320) NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    ended_at     TIMESTAMPTZ,
    PRIMARY KEY (citizen, thread_id)
);

CREATE TABLE citizen_message (
    citizen      VARCHAR(320) NOT NULL,
    message_id   VARCHAR(998) NOT NULL,
    thread_id    VARCHAR(998) NOT NULL,
    professional VARCHAR(320) NOT NULL,
    reply_to     VARCHAR(320),
    sent_at      TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (citizen, message_id),
    FOREIGN KEY (citizen, thread_id) REFERENCES citizen_thread (citizen, thread_id)
);
CREATE INDEX citizen_message_last ON citizen_message (citizen, professional, sent_at DESC);

CREATE TABLE citizen_login_code (
    ins           VARCHAR(15) PRIMARY KEY REFERENCES citizen (ins),
    code_hash     VARCHAR(64) NOT NULL,
    issued_at     TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    attempts_left INTEGER     NOT NULL
);
