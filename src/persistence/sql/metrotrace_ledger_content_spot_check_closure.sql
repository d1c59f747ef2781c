-- metrotrace_ledger_content_spot_check_closure: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_spot_check_closure(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(c) - 'created_at')::text FROM spot_check_closures c WHERE c.plan_id = p_id
$$;
