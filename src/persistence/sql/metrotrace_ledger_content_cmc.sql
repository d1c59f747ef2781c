-- metrotrace_ledger_content_cmc: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_cmc(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(c) - 'created_at')::text FROM lab_cmcs c WHERE c.id = p_id
$$;
