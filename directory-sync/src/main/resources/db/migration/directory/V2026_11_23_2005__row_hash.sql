-- The diff compares a 64-bit fingerprint of each source line (row_hash) instead of hashing whole rows in SQL.
-- Generation tables loaded before this migration get the column empty: their entries show as "changed" once, at
-- the next import.
ALTER TABLE directory.mailbox_template ADD COLUMN row_hash bigint;
ALTER TABLE directory.activity_template ADD COLUMN row_hash bigint;
ALTER TABLE directory.skill_template ADD COLUMN row_hash bigint;
ALTER TABLE directory.diploma_template ADD COLUMN row_hash bigint;

DO $$
DECLARE
  d record;
  current_table text;
BEGIN
  FOR d IN SELECT lower(dataset) AS base, generation FROM directory.dataset_generation LOOP
    current_table := d.base || '_g' || d.generation;
    EXECUTE format('ALTER TABLE directory.%I ADD COLUMN IF NOT EXISTS row_hash bigint', current_table);
    EXECUTE format('CREATE OR REPLACE VIEW directory.%I AS SELECT * FROM directory.%I', d.base, current_table);
  END LOOP;
END $$;
