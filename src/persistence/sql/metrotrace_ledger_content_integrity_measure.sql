-- metrotrace_ledger_content_integrity_measure: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_integrity_measure(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(m) - 'created_at')::text FROM integrity_measures m WHERE m.id = p_id
$$;
