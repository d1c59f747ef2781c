-- metrotrace_record_exists: the live definition, as migration 0041_partition_records.sql last wrote it.
-- The foreign keys into the records, as triggers of the same meaning (TG_ARGV[0]: the constraint's name).
CREATE OR REPLACE FUNCTION metrotrace_record_exists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.record_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calibration_records WHERE id = NEW.record_id) THEN
    RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_ARGV[0]
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (record_id)=(%s) is not present in table "calibration_records".', NEW.record_id),
            CONSTRAINT = TG_ARGV[0], TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END;
$$;
