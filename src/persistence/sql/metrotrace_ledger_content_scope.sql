-- metrotrace_ledger_content_scope: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_scope(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(s) - 'created_at')::text FROM lab_scopes s WHERE s.id = p_id
$$;
