-- metrotrace_calibration_records_unique: the live definition, as migration 0041_partition_records.sql last wrote it.
-- The three unique rules, checked in the order the unique indexes were before
-- (id, correction, certificate number), under the ledger's append lock: a
-- writer that inserts a record holds it from here to its commit (the record's
-- ledger entry needs it anyway), so a second writer's look, made once it has
-- the lock, sees every committed record that could collide with its own
-- (READ COMMITTED: each statement of the function reads afresh).
CREATE OR REPLACE FUNCTION metrotrace_calibration_records_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE ledger IN EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM calibration_records WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "calibration_records_pkey"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (id)=(%s) already exists.', NEW.id),
            CONSTRAINT = 'calibration_records_pkey', TABLE = 'calibration_records';
  END IF;
  IF NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM calibration_records WHERE supersedes = NEW.supersedes) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "calibration_records_supersedes_idx"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (supersedes)=(%s) already exists.', NEW.supersedes),
            CONSTRAINT = 'calibration_records_supersedes_idx', TABLE = 'calibration_records';
  END IF;
  IF EXISTS (SELECT 1 FROM calibration_records WHERE metrotrace_identifier_key(certificate_no) = metrotrace_identifier_key(NEW.certificate_no)) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "calibration_records_certificate_key_idx"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (metrotrace_identifier_key(certificate_no))=(%s) already exists.', metrotrace_identifier_key(NEW.certificate_no)),
            CONSTRAINT = 'calibration_records_certificate_key_idx', TABLE = 'calibration_records';
  END IF;
  RETURN NEW;
END;
$$;
