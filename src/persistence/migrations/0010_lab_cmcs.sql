CREATE TABLE "lab_cmcs" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"quantity" text NOT NULL,
	"range_min" numeric,
	"range_max" numeric,
	"range_unit" text NOT NULL,
	"expanded_uncertainty" numeric,
	"relative_expanded_uncertainty" numeric,
	"coverage_factor" numeric NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_cmcs_quantity_check" CHECK ("lab_cmcs"."quantity" in ('mass', 'length', 'temperature', 'pressure', 'electrical_energy', 'electrical_power', 'voltage', 'current', 'resistance', 'volume', 'flow', 'density', 'force', 'torque', 'hardness', 'time_frequency', 'acoustics', 'optics', 'ionising_radiation', 'chemical_composition', 'humidity', 'velocity', 'heat')),
	CONSTRAINT "lab_cmcs_form_check" CHECK (("lab_cmcs"."expanded_uncertainty" is null) <> ("lab_cmcs"."relative_expanded_uncertainty" is null)),
	CONSTRAINT "lab_cmcs_validity_check" CHECK ("lab_cmcs"."valid_until" >= "lab_cmcs"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "lab_cmcs" ADD CONSTRAINT "lab_cmcs_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_cmcs_lab_idx" ON "lab_cmcs" USING btree ("lab_id");