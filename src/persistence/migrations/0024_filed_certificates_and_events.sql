-- Certificates an owner filed on a lab's behalf (unverified evidence until the lab or an admin
-- decides) and the life of an equipment after its registration (events applied in order at a
-- date). All append-only and in the ledger.
CREATE TABLE "equipment_events" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigserial NOT NULL,
	"equipment_id" text NOT NULL,
	"kind" text NOT NULL,
	"effective_on" date NOT NULL,
	"reason" text,
	"assessment_no" text,
	"assessment_valid_from" date,
	"assessment_valid_until" date,
	"new_owner_id" text,
	"location" text,
	"recorded_by_key" text,
	"recorded_by_organisation" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "equipment_events_kind_check" CHECK ("equipment_events"."kind" in ('assessment_renewed', 'suspended', 'resumed', 'retired', 'scrapped', 'transferred', 'relocated', 'repaired', 'seal_broken')),
	CONSTRAINT "equipment_events_renewal_check" CHECK (("equipment_events"."kind" = 'assessment_renewed') = ("equipment_events"."assessment_no" is not null and "equipment_events"."assessment_valid_from" is not null and "equipment_events"."assessment_valid_until" >= "equipment_events"."assessment_valid_from")),
	CONSTRAINT "equipment_events_transfer_check" CHECK (("equipment_events"."kind" = 'transferred') = ("equipment_events"."new_owner_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "filed_certificate_decisions" (
	"filed_id" text PRIMARY KEY NOT NULL,
	"decision" text NOT NULL,
	"record_id" text,
	"reason" text,
	"decided_by_key" text NOT NULL,
	"decided_by_organisation" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "filed_certificate_decisions_check" CHECK (("filed_certificate_decisions"."decision" = 'confirmed' and "filed_certificate_decisions"."record_id" is not null) or ("filed_certificate_decisions"."decision" = 'rejected' and "filed_certificate_decisions"."record_id" is null and "filed_certificate_decisions"."reason" is not null))
);
--> statement-breakpoint
CREATE TABLE "filed_certificates" (
	"id" text PRIMARY KEY NOT NULL,
	"subject_id" text NOT NULL,
	"lab_id" text NOT NULL,
	"certificate_no" text NOT NULL,
	"performed_on" date NOT NULL,
	"filed_by" text NOT NULL,
	"filed_by_key" text NOT NULL,
	"request" jsonb NOT NULL,
	"unmapped" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_equipment_id_equipment_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_new_owner_id_organisations_id_fk" FOREIGN KEY ("new_owner_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_recorded_by_organisation_organisations_id_fk" FOREIGN KEY ("recorded_by_organisation") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificate_decisions" ADD CONSTRAINT "filed_certificate_decisions_filed_id_filed_certificates_id_fk" FOREIGN KEY ("filed_id") REFERENCES "public"."filed_certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificate_decisions" ADD CONSTRAINT "filed_certificate_decisions_record_id_calibration_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."calibration_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificate_decisions" ADD CONSTRAINT "filed_certificate_decisions_decided_by_organisation_organisations_id_fk" FOREIGN KEY ("decided_by_organisation") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificates" ADD CONSTRAINT "filed_certificates_subject_id_equipment_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificates" ADD CONSTRAINT "filed_certificates_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificates" ADD CONSTRAINT "filed_certificates_filed_by_organisations_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_events_seq_idx" ON "equipment_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "equipment_events_equipment_idx" ON "equipment_events" USING btree ("equipment_id","seq");--> statement-breakpoint
CREATE INDEX "filed_certificates_subject_idx" ON "filed_certificates" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "filed_certificates_lab_idx" ON "filed_certificates" USING btree ("lab_id");
--> statement-breakpoint
CREATE TRIGGER filed_certificates_append_only BEFORE UPDATE OR DELETE ON filed_certificates
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER filed_certificates_no_truncate BEFORE TRUNCATE ON filed_certificates
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER filed_certificate_decisions_append_only BEFORE UPDATE OR DELETE ON filed_certificate_decisions
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER filed_certificate_decisions_no_truncate BEFORE TRUNCATE ON filed_certificate_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER equipment_events_append_only BEFORE UPDATE OR DELETE ON equipment_events
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER equipment_events_no_truncate BEFORE TRUNCATE ON equipment_events
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
-- The ledger's content of the three new kinds (the rest as in 0023).
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
  END
$$;
