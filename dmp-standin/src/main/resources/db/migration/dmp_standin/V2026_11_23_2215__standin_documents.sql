-- DMP stand-in (development and tests only): the documents filed through ITI-41.
CREATE TABLE dmp_standin.document (
    id                        bigserial   PRIMARY KEY,
    unique_id                 text        NOT NULL UNIQUE,
    entry_uuid                text        NOT NULL,
    submission_set_unique_id  text        NOT NULL,
    source_id                 text,
    patient_id                text        NOT NULL,
    type_code                 text        NOT NULL,
    class_code                text,
    format_code               text        NOT NULL,
    confidentiality_code      text,
    healthcare_facility_code  text,
    practice_setting_code     text,
    title                     text,
    mime_type                 text        NOT NULL,
    language_code             text,
    creation_time             text,
    author_person             text,
    author_institution        text,
    size                      bigint      NOT NULL,
    hash                      text        NOT NULL,
    state                     text        NOT NULL DEFAULT 'APPROVED',
    vihf_subject              text,
    vihf_issuer               text,
    content                   bytea       NOT NULL,
    received_at               timestamptz NOT NULL
);
CREATE INDEX document_patient ON dmp_standin.document (patient_id);
