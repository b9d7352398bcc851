-- Lookup keys (mailbox address, national id) compared byte-wise: their btree indexes build 30-40% faster with the
-- "C" collation than with the database's (measured under C.UTF-8; more under fr_FR.UTF-8), and they are only ever
-- compared for equality or LIKE, never sorted for display. New generations copy the templates' collations; the
-- current generations and their views are converted here (CREATE OR REPLACE VIEW cannot change a collation).
ALTER TABLE directory.mailbox_template ALTER COLUMN address_key TYPE text COLLATE "C";
ALTER TABLE directory.mailbox_template ALTER COLUMN national_id TYPE text COLLATE "C";
ALTER TABLE directory.activity_template ALTER COLUMN national_id TYPE text COLLATE "C";
ALTER TABLE directory.skill_template ALTER COLUMN national_id TYPE text COLLATE "C";
ALTER TABLE directory.diploma_template ALTER COLUMN national_id TYPE text COLLATE "C";

DO $$
DECLARE
  d record;
  current_table text;
BEGIN
  FOR d IN SELECT lower(dataset) AS base, generation FROM directory.dataset_generation LOOP
    current_table := d.base || '_g' || d.generation;
    EXECUTE format('DROP VIEW directory.%I', d.base);
    IF d.base = 'mailbox' THEN
      EXECUTE format('ALTER TABLE directory.%I ALTER COLUMN address_key TYPE text COLLATE "C"', current_table);
    END IF;
    EXECUTE format('ALTER TABLE directory.%I ALTER COLUMN national_id TYPE text COLLATE "C"', current_table);
    EXECUTE format('CREATE VIEW directory.%I AS SELECT * FROM directory.%I', d.base, current_table);
  END LOOP;
END $$;
