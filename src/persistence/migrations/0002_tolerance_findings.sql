CREATE TABLE "tolerance_findings" (
	"id" text PRIMARY KEY NOT NULL,
	"equipment_id" text NOT NULL,
	"found_on" date NOT NULL,
	"last_known_good" date NOT NULL,
	"remarks" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tolerance_findings_dates_check" CHECK ("tolerance_findings"."last_known_good" <= "tolerance_findings"."found_on")
);
--> statement-breakpoint
ALTER TABLE "tolerance_findings" ADD CONSTRAINT "tolerance_findings_equipment_id_equipment_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tolerance_findings_equipment_idx" ON "tolerance_findings" USING btree ("equipment_id");