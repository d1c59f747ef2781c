-- metrotrace_ledger_content_cmc_amendment: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_cmc_amendment(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM lab_cmc_versions v WHERE v.id = p_id
$$;
