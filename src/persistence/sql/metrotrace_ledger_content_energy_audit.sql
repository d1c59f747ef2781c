-- metrotrace_ledger_content_energy_audit: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_energy_audit(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(a) - 'created_at')::text FROM energy_audits a WHERE a.id = p_id
$$;
