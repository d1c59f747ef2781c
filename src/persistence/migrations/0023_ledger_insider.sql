CREATE TABLE "ledger_macs" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"mac" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_seals" (
	"through_seq" bigint PRIMARY KEY NOT NULL,
	"through_hash" text NOT NULL,
	"key_id" text,
	"mac" text,
	"sealed_at" timestamp with time zone
);
--> statement-breakpoint
DROP TABLE "import_checkpoints" CASCADE;--> statement-breakpoint
DROP INDEX "ledger_entity_idx";--> statement-breakpoint
ALTER TABLE "ledger_macs" ADD CONSTRAINT "ledger_macs_seq_ledger_seq_fk" FOREIGN KEY ("seq") REFERENCES "public"."ledger"("seq") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entity_seq_idx" ON "ledger" USING btree ("kind","entity_id","seq");--> statement-breakpoint
-- Hand-written below (issue 16, item 4): the ledger covers what the evidence
-- rests on too — organisations, authorisation scopes, CMCs, equipment and API
-- keys — one entry per state. A key's content holds a digest of its secret's
-- hash (so replacing the hash is a change, and an export that withholds the
-- hash as 'withheld-from-export:<digest>' keeps the same content); nothing
-- volatile (no last-use time) is part of any content.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content(p_kind text, p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE p_kind
    WHEN 'record' THEN (
      SELECT jsonb_build_object(
        'record', jsonb_strip_nulls(to_jsonb(r) - 'created_at'),
        'references', coalesce((SELECT jsonb_agg(rr.reference_id ORDER BY rr.position) FROM record_references rr WHERE rr.record_id = r.id), '[]'::jsonb),
        'points', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(to_jsonb(p) - 'record_id') ORDER BY p.seq) FROM measured_points p WHERE p.record_id = r.id), '[]'::jsonb)
      )::text
      FROM calibration_records r WHERE r.id = p_id)
    WHEN 'record_sidecar' THEN (SELECT jsonb_strip_nulls(to_jsonb(s) - 'created_at')::text FROM record_sidecars s WHERE s.record_id = p_id)
    WHEN 'tolerance_finding' THEN (SELECT jsonb_strip_nulls(to_jsonb(t) - 'created_at')::text FROM tolerance_findings t WHERE t.id = p_id)
    WHEN 'energy_audit' THEN (SELECT jsonb_strip_nulls(to_jsonb(a) - 'created_at')::text FROM energy_audits a WHERE a.id = p_id)
    WHEN 'organisation' THEN (SELECT jsonb_strip_nulls(to_jsonb(o) - 'created_at')::text FROM organisations o WHERE o.id = p_id)
    WHEN 'scope' THEN (SELECT jsonb_strip_nulls(to_jsonb(s) - 'created_at')::text FROM lab_scopes s WHERE s.id = p_id)
    WHEN 'cmc' THEN (SELECT jsonb_strip_nulls(to_jsonb(c) - 'created_at')::text FROM lab_cmcs c WHERE c.id = p_id)
    WHEN 'equipment' THEN (SELECT jsonb_strip_nulls(to_jsonb(e) - 'created_at')::text FROM equipment e WHERE e.id = p_id)
    WHEN 'api_key' THEN (
      SELECT (jsonb_strip_nulls(to_jsonb(k) - 'created_at' - 'secret_hash')
              || jsonb_build_object('secret_hash_digest', CASE WHEN k.secret_hash LIKE 'withheld-from-export:%' THEN substr(k.secret_hash, 22) ELSE metrotrace_sha256(k.secret_hash) END))::text
      FROM api_keys k WHERE k.id = p_id)
  END
$$;
--> statement-breakpoint
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
--> statement-breakpoint
SELECT metrotrace_ledger_upgrade();
--> statement-breakpoint
-- MACs are append-only like the entries they authenticate.
CREATE TRIGGER ledger_macs_append_only BEFORE UPDATE OR DELETE ON ledger_macs
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_macs_no_truncate BEFORE TRUNCATE ON ledger_macs
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
-- A seal is never removed; its MAC is filled in once.
CREATE OR REPLACE FUNCTION metrotrace_seal_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.mac IS NULL AND NEW.mac IS NOT NULL
     AND NEW.through_seq = OLD.through_seq AND NEW.through_hash = OLD.through_hash THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'APPEND_ONLY: % on % is not allowed; a seal is signed once', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'MT001';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_seals_sign_once BEFORE UPDATE OR DELETE ON ledger_seals
  FOR EACH ROW EXECUTE FUNCTION metrotrace_seal_once();
--> statement-breakpoint
CREATE TRIGGER ledger_seals_no_truncate BEFORE TRUNCATE ON ledger_seals
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
