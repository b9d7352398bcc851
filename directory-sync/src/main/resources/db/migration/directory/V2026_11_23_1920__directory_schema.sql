-- Directory: imported extractions live in generation tables (<dataset>_g<n>) behind a view (<dataset>).
-- An import loads a new generation, indexes it, compares it with the current one and switches the view in one
-- transaction. The *_template tables define the columns (all text: the files are text and we never compute on them).

CREATE SEQUENCE directory.generation_seq START 1;

CREATE TABLE directory.dataset_generation (
  dataset     text PRIMARY KEY,
  generation  bigint NOT NULL,
  import_id   bigint,
  swapped_at  timestamptz
);

CREATE TABLE directory.import_run (
  id              bigserial PRIMARY KEY,
  dataset         text,
  source          text NOT NULL,
  entry           text,
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz,
  status          text NOT NULL CHECK (status IN ('RUNNING', 'APPLIED', 'REJECTED', 'FAILED')),
  reason          text,
  generation      bigint,
  data_lines      bigint,
  loaded_rows     bigint,
  malformed_lines bigint,
  duplicate_lines bigint,
  previous_keys   bigint,
  new_keys        bigint,
  added           bigint,
  removed         bigint,
  changed         bigint
);
CREATE INDEX import_run_dataset_started ON directory.import_run (dataset, started_at DESC);

CREATE TABLE directory.import_issue (
  import_id  bigint NOT NULL REFERENCES directory.import_run (id) ON DELETE CASCADE,
  line       bigint NOT NULL,
  kind       text NOT NULL,
  message    text NOT NULL
);
CREATE INDEX import_issue_import ON directory.import_issue (import_id);

-- The rows that differ from the previous import (not stored for the first import of a dataset).
CREATE TABLE directory.import_change (
  import_id  bigint NOT NULL REFERENCES directory.import_run (id) ON DELETE CASCADE,
  change     text NOT NULL CHECK (change IN ('ADDED', 'REMOVED', 'CHANGED')),
  key        text NOT NULL,
  before     jsonb,
  after      jsonb
);
CREATE INDEX import_change_import ON directory.import_change (import_id, change);

CREATE TABLE directory.mailbox_template (
  kind text,
  address text,
  id_type text,
  id_pp text,
  national_id text,
  structure_id_type text,
  structure_id text,
  service text,
  civility text,
  last_name text,
  first_name text,
  category_code text,
  category_label text,
  profession_code text,
  profession_label text,
  specialty_code text,
  specialty_label text,
  dematerialisation text,
  org_name text,
  org_trade_name text,
  addr_complement text,
  addr_distribution text,
  street_number text,
  street_number_ext text,
  street_type text,
  street_name text,
  locality text,
  delivery_line text,
  postal_code text,
  department text,
  country text,
  address_key text,
  city text,
  norm_name text,
  norm_last text,
  norm_first text,
  norm_city text,
  norm_profession text,
  norm_specialty text,
  norm_org text
);
CREATE TABLE directory.mailbox_g0 (LIKE directory.mailbox_template);
CREATE VIEW directory.mailbox AS SELECT * FROM directory.mailbox_g0;
INSERT INTO directory.dataset_generation (dataset, generation) VALUES ('MAILBOX', 0);

CREATE TABLE directory.activity_template (
  id_type text,
  id_pp text,
  national_id text,
  civility_code text,
  civility text,
  last_name text,
  first_name text,
  profession_code text,
  profession_label text,
  category_code text,
  category_label text,
  specialty_type_code text,
  specialty_type_label text,
  specialty_code text,
  specialty_label text,
  mode_code text,
  mode_label text,
  siret text,
  siren text,
  finess text,
  finess_legal text,
  structure_tech_id text,
  org_name text,
  org_trade_name text,
  addr_recipient text,
  addr_complement text,
  street_number text,
  street_number_ext text,
  street_type_code text,
  street_type text,
  street_name text,
  addr_distribution text,
  cedex text,
  postal_code text,
  commune_code text,
  city text,
  country_code text,
  country text,
  phone text,
  phone2 text,
  fax text,
  email text,
  department_code text,
  department text,
  former_structure_id text,
  registration_authority text,
  sector_code text,
  sector_label text,
  pharma_section_code text,
  pharma_section_label text,
  role_code text,
  role_label text,
  activity_kind_code text,
  activity_kind_label text,
  norm_name text,
  norm_last text,
  norm_first text,
  norm_city text,
  norm_profession text,
  norm_specialty text
);
CREATE TABLE directory.activity_g0 (LIKE directory.activity_template);
CREATE VIEW directory.activity AS SELECT * FROM directory.activity_g0;
INSERT INTO directory.dataset_generation (dataset, generation) VALUES ('ACTIVITY', 0);

CREATE TABLE directory.skill_template (
  id_type text,
  id_pp text,
  national_id text,
  last_name text,
  first_name text,
  profession_code text,
  profession_label text,
  category_code text,
  category_label text,
  specialty_type_code text,
  specialty_type_label text,
  specialty_code text,
  specialty_label text,
  norm_name text
);
CREATE TABLE directory.skill_g0 (LIKE directory.skill_template);
CREATE VIEW directory.skill AS SELECT * FROM directory.skill_g0;
INSERT INTO directory.dataset_generation (dataset, generation) VALUES ('SKILL', 0);

CREATE TABLE directory.diploma_template (
  id_type text,
  id_pp text,
  national_id text,
  last_name text,
  first_name text,
  diploma_type_code text,
  diploma_type_label text,
  diploma_code text,
  diploma_label text,
  authorisation_type_code text,
  authorisation_type_label text,
  discipline_code text,
  discipline_label text,
  norm_name text
);
CREATE TABLE directory.diploma_g0 (LIKE directory.diploma_template);
CREATE VIEW directory.diploma AS SELECT * FROM directory.diploma_g0;
INSERT INTO directory.dataset_generation (dataset, generation) VALUES ('DIPLOMA', 0);

-- Trigram indexes make substring search fast; without the extension (not allowed to create it) the importer
-- falls back to btree prefix indexes.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
  RAISE NOTICE 'pg_trgm not available: prefix search only';
END $$;
