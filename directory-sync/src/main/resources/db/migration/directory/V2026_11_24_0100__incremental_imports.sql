-- Incremental imports (ImportMode.INCREMENTAL): the daily file is applied to the current generation when it is read
-- with the same header layout and storage version as the stored rows (dataset_generation.layout, written by every
-- import from now on). Generations loaded before this migration have no layout: their next import is a full one.
ALTER TABLE directory.dataset_generation ADD COLUMN layout text;
ALTER TABLE directory.import_run ADD COLUMN mode text CHECK (mode IN ('FULL', 'INCREMENTAL'));
