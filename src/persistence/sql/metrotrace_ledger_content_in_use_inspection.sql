-- metrotrace_ledger_content_in_use_inspection: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_in_use_inspection(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(i) - 'created_at')::text FROM in_use_inspections i WHERE i.id = p_id
$$;
