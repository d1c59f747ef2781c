-- metrotrace_ledger_content_organisation: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_organisation(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(o) - 'created_at')::text FROM organisations o WHERE o.id = p_id
$$;
