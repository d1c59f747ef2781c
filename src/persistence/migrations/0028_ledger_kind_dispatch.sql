-- The ledger's content of an entity, one function per kind: metrotrace_ledger_content_<kind>(id).
-- Until now each migration that added a kind rewrote the whole CASE over every kind (0018,
-- 0023, 0024, 0025, 0026); from here a new kind only adds its own function, and the
-- dispatcher below finds it by name. Each function's body is the branch it had in 0026,
-- so every content hash already in a ledger is unchanged (the ledger tests verify old entries).

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_record(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
        'record', jsonb_strip_nulls(to_jsonb(r) - 'created_at'),
        'references', coalesce((SELECT jsonb_agg(rr.reference_id ORDER BY rr.position) FROM record_references rr WHERE rr.record_id = r.id), '[]'::jsonb),
        'points', coalesce((SELECT jsonb_agg(jsonb_strip_nulls(to_jsonb(p) - 'record_id') ORDER BY p.seq) FROM measured_points p WHERE p.record_id = r.id), '[]'::jsonb)
      )::text
      FROM calibration_records r WHERE r.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_record_sidecar(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(s) - 'created_at')::text FROM record_sidecars s WHERE s.record_id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_tolerance_finding(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(t) - 'created_at')::text FROM tolerance_findings t WHERE t.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_energy_audit(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(a) - 'created_at')::text FROM energy_audits a WHERE a.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_organisation(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(o) - 'created_at')::text FROM organisations o WHERE o.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_scope(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(s) - 'created_at')::text FROM lab_scopes s WHERE s.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_cmc(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(c) - 'created_at')::text FROM lab_cmcs c WHERE c.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_equipment(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(e) - 'created_at')::text FROM equipment e WHERE e.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_api_key(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (jsonb_strip_nulls(to_jsonb(k) - 'created_at' - 'secret_hash')
              || jsonb_build_object('secret_hash_digest', CASE WHEN k.secret_hash LIKE 'withheld-from-export:%' THEN substr(k.secret_hash, 22) ELSE metrotrace_sha256(k.secret_hash) END))::text
      FROM api_keys k WHERE k.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_equipment_event(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM equipment_events v WHERE v.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_filed_certificate(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(f) - 'created_at')::text FROM filed_certificates f WHERE f.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_filed_decision(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(d) - 'created_at')::text FROM filed_certificate_decisions d WHERE d.filed_id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_scope_amendment(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM lab_scope_versions v WHERE v.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_cmc_amendment(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM lab_cmc_versions v WHERE v.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_in_use_inspection(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(i) - 'created_at')::text FROM in_use_inspections i WHERE i.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_spot_check_plan(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (jsonb_strip_nulls(to_jsonb(p) - 'created_at' - 'population') || jsonb_build_object('population_digest', metrotrace_sha256(p.population)))::text
      FROM spot_check_plans p WHERE p.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_spot_check_closure(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(c) - 'created_at')::text FROM spot_check_closures c WHERE c.plan_id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_integrity_measure(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(m) - 'created_at')::text FROM integrity_measures m WHERE m.id = p_id
$$;--> statement-breakpoint

-- An unknown kind, or one spelled outside [a-z_], has no content: metrotrace_ledger_append then
-- refuses it with its LEDGER exception, as before.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content(p_kind text, p_id text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_content text;
BEGIN
  IF p_kind !~ '^[a-z_]+$' OR to_regprocedure('metrotrace_ledger_content_' || p_kind || '(text)') IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT %I($1)', 'metrotrace_ledger_content_' || p_kind) INTO v_content USING p_id;
  RETURN v_content;
END
$$;
