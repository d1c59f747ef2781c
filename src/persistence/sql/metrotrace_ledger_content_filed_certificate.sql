-- metrotrace_ledger_content_filed_certificate: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_filed_certificate(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(f) - 'created_at')::text FROM filed_certificates f WHERE f.id = p_id
$$;
