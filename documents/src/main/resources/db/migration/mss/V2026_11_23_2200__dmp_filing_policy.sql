-- Which health documents are filed into the patient's DMP (issue 7): per sending mailbox, else per sending domain.
-- NONE: never; CR_BIO: laboratory reports only (LOINC 11502-2); ALL_CDA: every CDA R2 document with a valid INS.
CREATE TABLE dmp_filing_policy (
    scope      TEXT        NOT NULL CHECK (scope IN ('MAILBOX', 'DOMAIN')),
    subject    TEXT        NOT NULL CHECK (subject = lower(subject)),
    rule       TEXT        NOT NULL CHECK (rule IN ('NONE', 'CR_BIO', 'ALL_CDA')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, subject)
);
