-- metrotrace_refresh_verification_current: the live definition, as migration 0043_current_records.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_refresh_verification_current() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  touched bigint;
  sid text;
BEGIN
  -- An API write inserts one record: refresh its subject with static statements
  -- (planned once per session) straight over the transition table. The temporary
  -- table, ANALYZE and re-planning below are for bulk inserts, where a plan made
  -- for small tables would go quadratic; for one row they cost ~15 ms.
  SELECT count(*) INTO touched FROM inserted;
  IF touched <= 64 THEN
    FOR sid IN SELECT DISTINCT subject_id FROM inserted LOOP
    DELETE FROM verification_current v
    WHERE v.equipment_id = sid AND NOT EXISTS (
      SELECT 1 FROM current_records cr WHERE cr.subject_id = v.equipment_id AND cr.kind = 'verification');
    WITH cur AS (
      SELECT cr.id, cr.subject_id, cr.performed_on, cr.valid_until, cr.conformity, cr.lab_id, cr.certificate_no
      FROM current_records cr
      WHERE cr.kind = 'verification' AND cr.subject_id = sid
    ),
    latest AS (
      SELECT DISTINCT ON (subject_id) * FROM cur ORDER BY subject_id, performed_on DESC, id COLLATE "C" DESC
    ),
    first_pass AS (
      SELECT subject_id, min(performed_on) AS first_pass_on FROM cur WHERE conformity = 'pass' GROUP BY subject_id
    )
    INSERT INTO verification_current (equipment_id, record_id, performed_on, valid_until, conformity, lab_id, certificate_no, first_pass_on)
    SELECT l.subject_id, l.id, l.performed_on, l.valid_until, l.conformity, l.lab_id, l.certificate_no, f.first_pass_on
    FROM latest l LEFT JOIN first_pass f ON f.subject_id = l.subject_id
    ON CONFLICT (equipment_id) DO UPDATE SET record_id = excluded.record_id, performed_on = excluded.performed_on,
      valid_until = excluded.valid_until, conformity = excluded.conformity, lab_id = excluded.lab_id,
      certificate_no = excluded.certificate_no, first_pass_on = excluded.first_pass_on;
    END LOOP;
    RETURN NULL;
  END IF;
  CREATE TEMPORARY TABLE IF NOT EXISTS metrotrace_touched (subject_id text PRIMARY KEY) ON COMMIT DROP;
  DELETE FROM metrotrace_touched;
  INSERT INTO metrotrace_touched SELECT DISTINCT subject_id FROM inserted;
  ANALYZE metrotrace_touched;
  -- After a bulk insert in the same transaction the planner still believes the
  -- records table small and would probe it by sequential scans: refresh its statistics.
  IF (SELECT count(*) FROM metrotrace_touched) > 5000 THEN
    ANALYZE calibration_records;
  END IF;
  EXECUTE $q$
  DELETE FROM verification_current v USING metrotrace_touched s
  WHERE v.equipment_id = s.subject_id AND NOT EXISTS (
    SELECT 1 FROM current_records cr WHERE cr.subject_id = s.subject_id AND cr.kind = 'verification')
  $q$;
  EXECUTE $q$
  WITH cur AS (
    SELECT cr.id, cr.subject_id, cr.performed_on, cr.valid_until, cr.conformity, cr.lab_id, cr.certificate_no
    FROM current_records cr
    WHERE cr.kind = 'verification' AND cr.subject_id IN (SELECT subject_id FROM metrotrace_touched)
  ),
  latest AS (
    SELECT DISTINCT ON (subject_id) * FROM cur ORDER BY subject_id, performed_on DESC, id COLLATE "C" DESC
  ),
  first_pass AS (
    SELECT subject_id, min(performed_on) AS first_pass_on FROM cur WHERE conformity = 'pass' GROUP BY subject_id
  )
  INSERT INTO verification_current (equipment_id, record_id, performed_on, valid_until, conformity, lab_id, certificate_no, first_pass_on)
  SELECT l.subject_id, l.id, l.performed_on, l.valid_until, l.conformity, l.lab_id, l.certificate_no, f.first_pass_on
  FROM latest l LEFT JOIN first_pass f ON f.subject_id = l.subject_id
  ON CONFLICT (equipment_id) DO UPDATE SET record_id = excluded.record_id, performed_on = excluded.performed_on,
    valid_until = excluded.valid_until, conformity = excluded.conformity, lab_id = excluded.lab_id,
    certificate_no = excluded.certificate_no, first_pass_on = excluded.first_pass_on
  $q$;
  RETURN NULL;
END;
$$;
