-- metrotrace_ledger_content_spot_check_plan: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_spot_check_plan(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (jsonb_strip_nulls(to_jsonb(p) - 'created_at' - 'population') || jsonb_build_object('population_digest', metrotrace_sha256(p.population)))::text
      FROM spot_check_plans p WHERE p.id = p_id
$$;
