-- Certificates an owner filed on a lab's behalf: unverified evidence until the lab or an admin decides (append-only).
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
ALTER TABLE "filed_certificate_decisions" ADD CONSTRAINT "filed_certificate_decisions_filed_id_filed_certificates_id_fk" FOREIGN KEY ("filed_id") REFERENCES "public"."filed_certificates"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificate_decisions" ADD CONSTRAINT "filed_certificate_decisions_record_id_calibration_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."calibration_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificate_decisions" ADD CONSTRAINT "filed_certificate_decisions_decided_by_organisation_organisations_id_fk" FOREIGN KEY ("decided_by_organisation") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificates" ADD CONSTRAINT "filed_certificates_subject_id_equipment_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificates" ADD CONSTRAINT "filed_certificates_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "filed_certificates" ADD CONSTRAINT "filed_certificates_filed_by_organisations_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "filed_certificates_subject_idx" ON "filed_certificates" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "filed_certificates_lab_idx" ON "filed_certificates" USING btree ("lab_id");--> statement-breakpoint
CREATE TRIGGER filed_certificates_append_only BEFORE UPDATE OR DELETE ON filed_certificates
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER filed_certificates_no_truncate BEFORE TRUNCATE ON filed_certificates
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER filed_certificate_decisions_append_only BEFORE UPDATE OR DELETE ON filed_certificate_decisions
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER filed_certificate_decisions_no_truncate BEFORE TRUNCATE ON filed_certificate_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
