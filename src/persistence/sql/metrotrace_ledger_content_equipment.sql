-- metrotrace_ledger_content_equipment: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_equipment(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(e) - 'created_at')::text FROM equipment e WHERE e.id = p_id
$$;
