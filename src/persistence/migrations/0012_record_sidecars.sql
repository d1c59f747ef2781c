CREATE TABLE "record_sidecars" (
	"record_id" text PRIMARY KEY NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "record_sidecars" ADD CONSTRAINT "record_sidecars_record_id_calibration_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."calibration_records"("id") ON DELETE no action ON UPDATE no action;