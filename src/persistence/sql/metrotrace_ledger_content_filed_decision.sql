-- metrotrace_ledger_content_filed_decision: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_filed_decision(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(d) - 'created_at')::text FROM filed_certificate_decisions d WHERE d.filed_id = p_id
$$;
