CREATE TABLE "in_use_inspections" (
	"id" text PRIMARY KEY NOT NULL,
	"equipment_id" text NOT NULL,
	"organisation_id" text NOT NULL,
	"regulator_id" text,
	"plan_id" text,
	"inspected_on" date NOT NULL,
	"inspectors" jsonb NOT NULL,
	"label_present" boolean NOT NULL,
	"label_matches" boolean,
	"seal_intact" boolean,
	"verification_state" text NOT NULL,
	"points" jsonb NOT NULL,
	"photos" jsonb NOT NULL,
	"outcome" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"rectify_by" date,
	"remarks" text,
	"recorded_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "in_use_inspections_outcome_check" CHECK ("in_use_inspections"."outcome" in ('compliant', 'rectify', 'prohibited')),
	CONSTRAINT "in_use_inspections_rectify_check" CHECK (("in_use_inspections"."outcome" = 'rectify') = ("in_use_inspections"."rectify_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "integrity_measures" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"kind" text NOT NULL,
	"decided_on" date NOT NULL,
	"reason" text,
	"regulator_id" text,
	"recorded_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrity_measures_kind_check" CHECK ("integrity_measures"."kind" in ('commitment', 'listed', 'appealed', 'removed'))
);
--> statement-breakpoint
CREATE TABLE "spot_check_closures" (
	"plan_id" text PRIMARY KEY NOT NULL,
	"closed_on" date NOT NULL,
	"closed_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_check_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"regulator_id" text NOT NULL,
	"title" text NOT NULL,
	"unit" text NOT NULL,
	"draw_date" date NOT NULL,
	"seed" text NOT NULL,
	"rules" jsonb NOT NULL,
	"inspectors" jsonb NOT NULL,
	"past_inspections" jsonb NOT NULL,
	"population" text NOT NULL,
	"population_hash" text NOT NULL,
	"population_size" integer NOT NULL,
	"result" jsonb NOT NULL,
	"drawn_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "spot_check_plans_unit_check" CHECK ("spot_check_plans"."unit" in ('instrument', 'organisation'))
);
--> statement-breakpoint
ALTER TABLE "equipment_events" DROP CONSTRAINT "equipment_events_kind_check";--> statement-breakpoint
ALTER TABLE "in_use_inspections" ADD CONSTRAINT "in_use_inspections_equipment_id_equipment_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "in_use_inspections" ADD CONSTRAINT "in_use_inspections_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "in_use_inspections" ADD CONSTRAINT "in_use_inspections_regulator_id_organisations_id_fk" FOREIGN KEY ("regulator_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "in_use_inspections" ADD CONSTRAINT "in_use_inspections_plan_id_spot_check_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."spot_check_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_measures" ADD CONSTRAINT "integrity_measures_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integrity_measures" ADD CONSTRAINT "integrity_measures_regulator_id_organisations_id_fk" FOREIGN KEY ("regulator_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_closures" ADD CONSTRAINT "spot_check_closures_plan_id_spot_check_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."spot_check_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "spot_check_plans" ADD CONSTRAINT "spot_check_plans_regulator_id_organisations_id_fk" FOREIGN KEY ("regulator_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "in_use_inspections_equipment_idx" ON "in_use_inspections" USING btree ("equipment_id","inspected_on");--> statement-breakpoint
CREATE INDEX "in_use_inspections_organisation_idx" ON "in_use_inspections" USING btree ("organisation_id","inspected_on");--> statement-breakpoint
CREATE INDEX "in_use_inspections_plan_idx" ON "in_use_inspections" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "integrity_measures_organisation_idx" ON "integrity_measures" USING btree ("organisation_id","decided_on");--> statement-breakpoint
CREATE INDEX "spot_check_plans_regulator_idx" ON "spot_check_plans" USING btree ("regulator_id");--> statement-breakpoint
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_kind_check" CHECK ("equipment_events"."kind" in ('assessment_renewed', 'suspended', 'resumed', 'retired', 'scrapped', 'transferred', 'relocated', 'repaired', 'seal_broken', 'use_prohibited'));--> statement-breakpoint
-- ==== Hand-written (re-append after regenerating) ====
-- Inspections, plans and closures are append-only: a finding is never edited, a plan never re-drawn.
CREATE TRIGGER in_use_inspections_append_only BEFORE UPDATE OR DELETE ON in_use_inspections
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER in_use_inspections_no_truncate BEFORE TRUNCATE ON in_use_inspections
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER spot_check_plans_append_only BEFORE UPDATE OR DELETE ON spot_check_plans
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER spot_check_plans_no_truncate BEFORE TRUNCATE ON spot_check_plans
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER spot_check_closures_append_only BEFORE UPDATE OR DELETE ON spot_check_closures
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER spot_check_closures_no_truncate BEFORE TRUNCATE ON spot_check_closures
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER integrity_measures_append_only BEFORE UPDATE OR DELETE ON integrity_measures
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER integrity_measures_no_truncate BEFORE TRUNCATE ON integrity_measures
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
-- The ledger's content of the four new kinds (the rest as in 0025). A plan's
-- population (up to millions of lines) enters by its SHA-256, as its published hash does.
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
    WHEN 'in_use_inspection' THEN (SELECT jsonb_strip_nulls(to_jsonb(i) - 'created_at')::text FROM in_use_inspections i WHERE i.id = p_id)
    WHEN 'spot_check_plan' THEN (
      SELECT (jsonb_strip_nulls(to_jsonb(p) - 'created_at' - 'population') || jsonb_build_object('population_digest', metrotrace_sha256(p.population)))::text
      FROM spot_check_plans p WHERE p.id = p_id)
    WHEN 'spot_check_closure' THEN (SELECT jsonb_strip_nulls(to_jsonb(c) - 'created_at')::text FROM spot_check_closures c WHERE c.plan_id = p_id)
    WHEN 'integrity_measure' THEN (SELECT jsonb_strip_nulls(to_jsonb(m) - 'created_at')::text FROM integrity_measures m WHERE m.id = p_id)
  END
$$;
