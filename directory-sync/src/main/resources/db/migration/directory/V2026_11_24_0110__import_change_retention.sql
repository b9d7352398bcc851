-- The per-row foreign-key check of directory.import_change cost 14 µs per stored entry (a sixth of applying a daily
-- MSSanté file); the rows are only ever written by the import that owns them, in its applying transaction. Old diff
-- rows and line issues are now purged by the importer after each applied import (ImportHistory.purgeDetails,
-- 90 days by default) instead of by a cascade from import_run, whose rows are kept.
ALTER TABLE directory.import_change DROP CONSTRAINT IF EXISTS import_change_import_id_fkey;
