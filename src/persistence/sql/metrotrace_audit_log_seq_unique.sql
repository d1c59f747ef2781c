-- metrotrace_audit_log_seq_unique: the live definition, as migration 0039_partition_audit_log.sql last wrote it.
-- seq stays unique across the partitions, which no index can do any more. Each
-- insert looks for its seq in every partition (an index probe per year). A seq
-- drawn from the counter by this very session (the column default) cannot be
-- taken by another writer drawing from it; one given explicitly (an import)
-- takes the table's EXCLUSIVE lock first, which waits for every writer in
-- flight, so its look sees every row that could collide with it.
CREATE OR REPLACE FUNCTION metrotrace_audit_log_seq_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_drawn boolean;
BEGIN
  BEGIN
    v_drawn := NEW.seq = currval('audit_log_seq_seq');
  EXCEPTION WHEN object_not_in_prerequisite_state THEN
    v_drawn := false; -- this session has drawn nothing from the counter
  END;
  IF NOT v_drawn THEN
    LOCK TABLE audit_log IN EXCLUSIVE MODE;
  END IF;
  IF EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "audit_log_seq_unique"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (seq)=(%s) already exists.', NEW.seq),
            CONSTRAINT = 'audit_log_seq_unique', TABLE = 'audit_log';
  END IF;
  RETURN NEW;
END;
$$;
