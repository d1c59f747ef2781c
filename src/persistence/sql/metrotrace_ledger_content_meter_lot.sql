-- metrotrace_ledger_content_meter_lot: the live definition, as migration 0031_lots_hand_written.sql last wrote it.
-- A lot enters with its members by their digest (serial TAB equipment id, one line each, by serial).
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_meter_lot(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (jsonb_strip_nulls(to_jsonb(l) - 'created_at')
          || jsonb_build_object('members_digest', metrotrace_sha256(coalesce(
               (SELECT string_agg(m.serial || E'\t' || coalesce(m.equipment_id, ''), E'\n' ORDER BY m.serial COLLATE "C") FROM meter_lot_members m WHERE m.lot_id = l.id), ''))))::text
      FROM meter_lots l WHERE l.id = p_id
$$;
