CREATE TABLE "lab_cmc_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"cmc_id" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"effective_from" date NOT NULL,
	"reason" text,
	"range_min" numeric,
	"range_max" numeric,
	"range_unit" text,
	"expanded_uncertainty" numeric,
	"relative_expanded_uncertainty" numeric,
	"coverage_factor" numeric,
	"valid_until" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_cmc_versions_kind_check" CHECK ("lab_cmc_versions"."kind" in ('amend', 'withdraw')),
	CONSTRAINT "lab_cmc_versions_version_check" CHECK ("lab_cmc_versions"."version" >= 2),
	CONSTRAINT "lab_cmc_versions_content_check" CHECK (("lab_cmc_versions"."kind" = 'amend' and "lab_cmc_versions"."range_unit" is not null and "lab_cmc_versions"."coverage_factor" > 0 and "lab_cmc_versions"."valid_until" is not null and ("lab_cmc_versions"."expanded_uncertainty" is null) <> ("lab_cmc_versions"."relative_expanded_uncertainty" is null)) or ("lab_cmc_versions"."kind" = 'withdraw' and "lab_cmc_versions"."range_unit" is null and "lab_cmc_versions"."range_min" is null and "lab_cmc_versions"."range_max" is null and "lab_cmc_versions"."expanded_uncertainty" is null and "lab_cmc_versions"."relative_expanded_uncertainty" is null and "lab_cmc_versions"."coverage_factor" is null and "lab_cmc_versions"."valid_until" is null)),
	CONSTRAINT "lab_cmc_versions_range_check" CHECK ("lab_cmc_versions"."range_min" is null or "lab_cmc_versions"."range_max" is null or "lab_cmc_versions"."range_min" <= "lab_cmc_versions"."range_max")
);
--> statement-breakpoint
CREATE TABLE "lab_scope_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"scope_id" text NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"effective_from" date NOT NULL,
	"reason" text,
	"category" text,
	"range_min" numeric,
	"range_max" numeric,
	"range_unit" text,
	"mandatory_verification" boolean,
	"valid_until" date,
	"authorisation_no" text,
	"issued_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_scope_versions_kind_check" CHECK ("lab_scope_versions"."kind" in ('amend', 'withdraw')),
	CONSTRAINT "lab_scope_versions_version_check" CHECK ("lab_scope_versions"."version" >= 2),
	CONSTRAINT "lab_scope_versions_content_check" CHECK (("lab_scope_versions"."kind" = 'amend' and "lab_scope_versions"."mandatory_verification" is not null and "lab_scope_versions"."valid_until" is not null) or ("lab_scope_versions"."kind" = 'withdraw' and "lab_scope_versions"."category" is null and "lab_scope_versions"."range_unit" is null and "lab_scope_versions"."range_min" is null and "lab_scope_versions"."range_max" is null and "lab_scope_versions"."mandatory_verification" is null and "lab_scope_versions"."valid_until" is null and "lab_scope_versions"."authorisation_no" is null and "lab_scope_versions"."issued_by" is null)),
	CONSTRAINT "lab_scope_versions_range_check" CHECK ("lab_scope_versions"."range_min" is null or "lab_scope_versions"."range_max" is null or "lab_scope_versions"."range_min" <= "lab_scope_versions"."range_max")
);
--> statement-breakpoint
ALTER TABLE "lab_scopes" ADD COLUMN "authorisation_no" text;--> statement-breakpoint
ALTER TABLE "lab_scopes" ADD COLUMN "issued_by" text;--> statement-breakpoint
ALTER TABLE "lab_cmc_versions" ADD CONSTRAINT "lab_cmc_versions_cmc_id_lab_cmcs_id_fk" FOREIGN KEY ("cmc_id") REFERENCES "public"."lab_cmcs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_scope_versions" ADD CONSTRAINT "lab_scope_versions_scope_id_lab_scopes_id_fk" FOREIGN KEY ("scope_id") REFERENCES "public"."lab_scopes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_scope_versions" ADD CONSTRAINT "lab_scope_versions_issued_by_organisations_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "lab_cmc_versions_cmc_version_idx" ON "lab_cmc_versions" USING btree ("cmc_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "lab_scope_versions_scope_version_idx" ON "lab_scope_versions" USING btree ("scope_id","version");--> statement-breakpoint
ALTER TABLE "lab_scopes" ADD CONSTRAINT "lab_scopes_issued_by_organisations_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
-- ==== Hand-written (re-append after regenerating) ====
-- Amendments are append-only: a change is a new version, never an edit.
CREATE TRIGGER lab_scope_versions_append_only BEFORE UPDATE OR DELETE ON lab_scope_versions
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lab_scope_versions_no_truncate BEFORE TRUNCATE ON lab_scope_versions
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lab_cmc_versions_append_only BEFORE UPDATE OR DELETE ON lab_cmc_versions
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lab_cmc_versions_no_truncate BEFORE TRUNCATE ON lab_cmc_versions
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
-- The ledger's content of the two new kinds, scope_amendment and cmc_amendment (the rest as in 0024).
-- A scope's own content is unchanged for rows written before: its new columns are null and stripped.
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
    WHEN 'equipment_event' THEN (SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM equipment_events v WHERE v.id = p_id)
    WHEN 'filed_certificate' THEN (SELECT jsonb_strip_nulls(to_jsonb(f) - 'created_at')::text FROM filed_certificates f WHERE f.id = p_id)
    WHEN 'filed_decision' THEN (SELECT jsonb_strip_nulls(to_jsonb(d) - 'created_at')::text FROM filed_certificate_decisions d WHERE d.filed_id = p_id)
    WHEN 'scope_amendment' THEN (SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM lab_scope_versions v WHERE v.id = p_id)
    WHEN 'cmc_amendment' THEN (SELECT jsonb_strip_nulls(to_jsonb(v) - 'created_at')::text FROM lab_cmc_versions v WHERE v.id = p_id)
  END
$$;
