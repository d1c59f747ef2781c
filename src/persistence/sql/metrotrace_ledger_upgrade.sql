-- metrotrace_ledger_upgrade: the live definition, as migration 0023_ledger_insider.sql last wrote it.
-- Enters every row of the kinds the ledger did not cover before that has no
-- entry yet, oldest first, and notes the head as awaiting its seal (the first
-- start with a ledger key signs it). Run by this migration on an upgraded
-- database, and by an import of an export made before it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_upgrade() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_row record;
  v_n bigint := 0;
BEGIN
  FOR v_row IN
    SELECT 'organisation' AS kind, o.id, o.created_at, 1 AS ord FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'organisation' AND l.entity_id = o.id)
    UNION ALL SELECT 'scope', s.id, s.created_at, 2 FROM lab_scopes s WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'scope' AND l.entity_id = s.id)
    UNION ALL SELECT 'cmc', c.id, c.created_at, 3 FROM lab_cmcs c WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'cmc' AND l.entity_id = c.id)
    UNION ALL SELECT 'equipment', e.id, e.created_at, 4 FROM equipment e WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'equipment' AND l.entity_id = e.id)
    UNION ALL SELECT 'api_key', k.id, k.created_at, 5 FROM api_keys k WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'api_key' AND l.entity_id = k.id)
    ORDER BY 4, 3, 2
  LOOP
    PERFORM metrotrace_ledger_append(v_row.kind, v_row.id);
    v_n := v_n + 1;
  END LOOP;
  INSERT INTO ledger_seals (through_seq, through_hash)
    SELECT l.seq, l.hash FROM ledger l
    WHERE NOT EXISTS (SELECT 1 FROM ledger_macs m WHERE m.seq = l.seq)
    ORDER BY l.seq DESC LIMIT 1
  ON CONFLICT (through_seq) DO NOTHING;
  RETURN v_n;
END;
$$;
