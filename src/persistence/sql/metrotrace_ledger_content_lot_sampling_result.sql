-- metrotrace_ledger_content_lot_sampling_result: the live definition, as migration 0031_lots_hand_written.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_lot_sampling_result(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(r) - 'created_at')::text FROM lot_sampling_results r WHERE r.plan_id = p_id
$$;
