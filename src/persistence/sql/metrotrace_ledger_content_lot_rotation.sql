-- metrotrace_ledger_content_lot_rotation: the live definition, as migration 0031_lots_hand_written.sql last wrote it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_lot_rotation(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(r) - 'created_at')::text FROM lot_rotations r WHERE r.lot_id = p_id
$$;
