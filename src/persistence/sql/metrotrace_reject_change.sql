-- metrotrace_reject_change: the live definition, as migration 0001_append_only_records.sql last wrote it.
-- Calibration and verification records are legal evidence: append-only.
-- A correction is a new record that supersedes the old one. These triggers make
-- UPDATE, DELETE and TRUNCATE fail on the record tables whatever code path tries.
CREATE OR REPLACE FUNCTION metrotrace_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'APPEND_ONLY: % on % is not allowed; records are append-only, a correction supersedes the record', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'MT001';
END;
$$;
