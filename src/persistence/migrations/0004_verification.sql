CREATE TABLE "lab_capacities" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"category" text NOT NULL,
	"monthly" integer NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_capacities_monthly_check" CHECK ("lab_capacities"."monthly" >= 0),
	CONSTRAINT "lab_capacities_validity_check" CHECK ("lab_capacities"."valid_until" >= "lab_capacities"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "verification_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"request" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"plan" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "verification_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"regulator_id" text NOT NULL,
	"region_code" text NOT NULL,
	"category" text NOT NULL,
	"interval_months" integer,
	"service_life_months" integer,
	"grace_days" integer,
	"due_soon_days" integer,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"remarks" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "verification_policies_region_check" CHECK ("verification_policies"."region_code" ~ '^[0-9]{6}$'),
	CONSTRAINT "verification_policies_numbers_check" CHECK (coalesce("verification_policies"."interval_months", 1) > 0 and coalesce("verification_policies"."service_life_months", 1) > 0 and coalesce("verification_policies"."grace_days", 0) >= 0 and coalesce("verification_policies"."due_soon_days", 0) >= 0),
	CONSTRAINT "verification_policies_validity_check" CHECK ("verification_policies"."valid_until" >= "verification_policies"."valid_from")
);
--> statement-breakpoint
ALTER TABLE "lab_capacities" ADD CONSTRAINT "lab_capacities_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "verification_policies" ADD CONSTRAINT "verification_policies_regulator_id_organisations_id_fk" FOREIGN KEY ("regulator_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lab_capacities_lab_idx" ON "lab_capacities" USING btree ("lab_id");--> statement-breakpoint
CREATE INDEX "verification_policies_category_idx" ON "verification_policies" USING btree ("category");