-- metrotrace_check_supersedes: the live definition, as migration 0001_append_only_records.sql last wrote it.
-- A correction must concern the same equipment as the record it supersedes.
CREATE OR REPLACE FUNCTION metrotrace_check_supersedes() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.supersedes IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM calibration_records r WHERE r.id = NEW.supersedes AND r.subject_id = NEW.subject_id
  ) THEN
    RAISE EXCEPTION 'SUPERSEDES_OTHER_SUBJECT: record % supersedes % of another equipment', NEW.id, NEW.supersedes
      USING ERRCODE = 'MT002';
  END IF;
  RETURN NEW;
END;
$$;
