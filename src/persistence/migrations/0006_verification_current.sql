CREATE TABLE "verification_current" (
	"equipment_id" text PRIMARY KEY NOT NULL,
	"record_id" text NOT NULL,
	"performed_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"conformity" text NOT NULL,
	"lab_id" text NOT NULL,
	"certificate_no" text NOT NULL,
	"first_pass_on" date
);
--> statement-breakpoint
CREATE INDEX "verification_current_valid_until_idx" ON "verification_current" USING btree ("valid_until");--> statement-breakpoint
-- Recomputes verification_current for the subjects of the inserted records (a
-- correction may replace the current record, so the row is recomputed, not patched).
CREATE OR REPLACE FUNCTION metrotrace_refresh_verification_current() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM verification_current v USING (SELECT DISTINCT subject_id FROM inserted) s
  WHERE v.equipment_id = s.subject_id AND NOT EXISTS (
    SELECT 1 FROM calibration_records cr WHERE cr.subject_id = s.subject_id AND cr.kind = 'verification'
      AND NOT EXISTS (SELECT 1 FROM calibration_records c2 WHERE c2.supersedes = cr.id));
  INSERT INTO verification_current (equipment_id, record_id, performed_on, valid_until, conformity, lab_id, certificate_no, first_pass_on)
  SELECT s.subject_id, l.id, l.performed_on, l.valid_until, l.conformity, l.lab_id, l.certificate_no,
         (SELECT min(p.performed_on) FROM calibration_records p
           WHERE p.subject_id = s.subject_id AND p.kind = 'verification' AND p.conformity = 'pass'
             AND NOT EXISTS (SELECT 1 FROM calibration_records c2 WHERE c2.supersedes = p.id))
  FROM (SELECT DISTINCT subject_id FROM inserted) s
  CROSS JOIN LATERAL (
    SELECT cr.id, cr.performed_on, cr.valid_until, cr.conformity, cr.lab_id, cr.certificate_no
    FROM calibration_records cr
    WHERE cr.subject_id = s.subject_id AND cr.kind = 'verification'
      AND NOT EXISTS (SELECT 1 FROM calibration_records c2 WHERE c2.supersedes = cr.id)
    ORDER BY cr.performed_on DESC, cr.id COLLATE "C" DESC LIMIT 1
  ) l
  ON CONFLICT (equipment_id) DO UPDATE SET record_id = excluded.record_id, performed_on = excluded.performed_on,
    valid_until = excluded.valid_until, conformity = excluded.conformity, lab_id = excluded.lab_id,
    certificate_no = excluded.certificate_no, first_pass_on = excluded.first_pass_on;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER calibration_records_verification_current AFTER INSERT ON calibration_records
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_refresh_verification_current();
--> statement-breakpoint
-- Backfill from the records already there.
INSERT INTO verification_current (equipment_id, record_id, performed_on, valid_until, conformity, lab_id, certificate_no, first_pass_on)
SELECT DISTINCT ON (cr.subject_id) cr.subject_id, cr.id, cr.performed_on, cr.valid_until, cr.conformity, cr.lab_id, cr.certificate_no,
       (SELECT min(p.performed_on) FROM calibration_records p
         WHERE p.subject_id = cr.subject_id AND p.kind = 'verification' AND p.conformity = 'pass'
           AND NOT EXISTS (SELECT 1 FROM calibration_records c2 WHERE c2.supersedes = p.id))
FROM calibration_records cr
WHERE cr.kind = 'verification' AND NOT EXISTS (SELECT 1 FROM calibration_records c2 WHERE c2.supersedes = cr.id)
ORDER BY cr.subject_id, cr.performed_on DESC, cr.id COLLATE "C" DESC;
