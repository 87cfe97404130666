-- Objects become jsonb so that filters, sorts and counts run in the database. The conversion is
-- in place: ids, timestamps, tombstones and the access control entries (a table of their own)
-- are untouched; every stored text is valid JSON written by the server.
ALTER TABLE objects ALTER COLUMN data TYPE jsonb USING data::jsonb;
