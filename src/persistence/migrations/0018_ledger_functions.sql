-- The evidence ledger's arithmetic lives here, once, for the writer and the
-- verifier alike. An entity's canonical content is its row (without the
-- insertion timestamp) with its child rows, as jsonb text: jsonb orders keys
-- and keeps every numeric's digits and scale, so the same stored values always
-- give the same text, on PGlite and on a PostgreSQL server.
CREATE OR REPLACE FUNCTION metrotrace_sha256(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(p, 'UTF8')), 'hex') $$;
--> statement-breakpoint
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
  END
$$;
--> statement-breakpoint
-- An entry's own hash binds its position, what it is, its content and the entry before it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_link(p_seq bigint, p_kind text, p_id text, p_content text, p_prev text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT metrotrace_sha256(p_seq::text || '|' || p_kind || '|' || p_id || '|' || p_content || '|' || p_prev) $$;
--> statement-breakpoint
-- Appends the entry of an entity written in the current transaction. The table
-- lock (held to the end of the transaction) makes concurrent writers take their
-- turn, so the chain has neither gaps nor forks; reads are not blocked.
CREATE OR REPLACE FUNCTION metrotrace_ledger_append(p_kind text, p_id text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_content text;
  v_seq bigint;
  v_prev text;
BEGIN
  LOCK TABLE ledger IN EXCLUSIVE MODE;
  v_content := metrotrace_sha256(metrotrace_ledger_content(p_kind, p_id));
  IF v_content IS NULL THEN
    RAISE EXCEPTION 'LEDGER: there is no % with id % to enter in the ledger', p_kind, p_id;
  END IF;
  SELECT seq, hash INTO v_seq, v_prev FROM ledger ORDER BY seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  INSERT INTO ledger (seq, kind, entity_id, content_hash, prev_hash, hash)
    VALUES (v_seq, p_kind, p_id, v_content, v_prev, metrotrace_ledger_link(v_seq, p_kind, p_id, v_content, v_prev));
  RETURN v_seq;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
