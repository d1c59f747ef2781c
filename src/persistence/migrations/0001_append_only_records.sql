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
--> statement-breakpoint
CREATE TRIGGER calibration_records_append_only BEFORE UPDATE OR DELETE ON calibration_records
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER calibration_records_no_truncate BEFORE TRUNCATE ON calibration_records
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER record_references_append_only BEFORE UPDATE OR DELETE ON record_references
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER record_references_no_truncate BEFORE TRUNCATE ON record_references
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER measured_points_append_only BEFORE UPDATE OR DELETE ON measured_points
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER measured_points_no_truncate BEFORE TRUNCATE ON measured_points
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
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
--> statement-breakpoint
CREATE TRIGGER calibration_records_supersedes_same_subject BEFORE INSERT ON calibration_records
  FOR EACH ROW EXECUTE FUNCTION metrotrace_check_supersedes();
