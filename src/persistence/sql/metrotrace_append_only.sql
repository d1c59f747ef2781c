-- metrotrace_append_only: the live definition, as migration 0041_partition_records.sql last wrote it.
-- Makes `p_table` append-only: UPDATE and DELETE refused row by row (a
-- partition inherits that trigger from its parent, so it gets none of its own)
-- and TRUNCATE refused (a statement trigger, never inherited). Idempotent.
CREATE OR REPLACE FUNCTION metrotrace_append_only(p_table text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_rel regclass := p_table::regclass;
BEGIN
  IF NOT (SELECT relispartition FROM pg_class WHERE oid = v_rel)
     AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = v_rel AND tgname = p_table || '_append_only') THEN
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change()', p_table || '_append_only', p_table);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = v_rel AND tgname = p_table || '_no_truncate') THEN
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change()', p_table || '_no_truncate', p_table);
  END IF;
END;
$$;
