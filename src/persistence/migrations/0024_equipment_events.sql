-- The life of an equipment after its registration: append-only events, applied in order at a date.
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
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_equipment_id_equipment_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_new_owner_id_organisations_id_fk" FOREIGN KEY ("new_owner_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment_events" ADD CONSTRAINT "equipment_events_recorded_by_organisation_organisations_id_fk" FOREIGN KEY ("recorded_by_organisation") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_events_seq_idx" ON "equipment_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "equipment_events_equipment_idx" ON "equipment_events" USING btree ("equipment_id","seq");--> statement-breakpoint
CREATE TRIGGER equipment_events_append_only BEFORE UPDATE OR DELETE ON equipment_events
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER equipment_events_no_truncate BEFORE TRUNCATE ON equipment_events
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
