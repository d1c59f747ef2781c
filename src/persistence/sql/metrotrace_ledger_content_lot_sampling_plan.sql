-- metrotrace_ledger_content_lot_sampling_plan: the live definition, as migration 0031_lots_hand_written.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_lot_sampling_plan(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(p) - 'created_at')::text FROM lot_sampling_plans p WHERE p.id = p_id
$$;
