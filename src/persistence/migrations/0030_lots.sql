CREATE TABLE "lot_rotations" (
	"lot_id" text PRIMARY KEY NOT NULL,
	"rotated_on" date NOT NULL,
	"remarks" text,
	"recorded_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lot_sampling_plans" (
	"id" text PRIMARY KEY NOT NULL,
	"lot_id" text NOT NULL,
	"planned_on" date NOT NULL,
	"seed" text NOT NULL,
	"level" text NOT NULL,
	"aql" text NOT NULL,
	"severity" text NOT NULL,
	"scheme" jsonb NOT NULL,
	"code_letter" text NOT NULL,
	"plan_letter" text NOT NULL,
	"table_sample_size" integer NOT NULL,
	"sample_size" integer NOT NULL,
	"acceptance" integer NOT NULL,
	"rejection" integer NOT NULL,
	"hundred_percent" boolean NOT NULL,
	"population_hash" text NOT NULL,
	"sample" jsonb NOT NULL,
	"regulator_id" text,
	"planned_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_sampling_plans_severity_check" CHECK ("lot_sampling_plans"."severity" in ('normal', 'tightened', 'reduced'))
);
--> statement-breakpoint
CREATE TABLE "lot_sampling_results" (
	"plan_id" text PRIMARY KEY NOT NULL,
	"recorded_on" date NOT NULL,
	"meters" jsonb NOT NULL,
	"inspected" integer NOT NULL,
	"nonconforming" integer NOT NULL,
	"decision" text NOT NULL,
	"rule" text NOT NULL,
	"recorded_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lot_sampling_results_decision_check" CHECK ("lot_sampling_results"."decision" in ('accept', 'reject'))
);
--> statement-breakpoint
CREATE TABLE "meter_lot_members" (
	"lot_id" text NOT NULL,
	"serial" text NOT NULL,
	"equipment_id" text,
	CONSTRAINT "meter_lot_members_lot_id_serial_pk" PRIMARY KEY("lot_id","serial")
);
--> statement-breakpoint
CREATE TABLE "meter_lots" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"category" text NOT NULL,
	"model" text NOT NULL,
	"pattern_approval_no" text,
	"manufacturer" text NOT NULL,
	"batch" text,
	"installed_from" date NOT NULL,
	"installed_to" date NOT NULL,
	"region" text NOT NULL,
	"size" integer NOT NULL,
	"registered_on" date NOT NULL,
	"registered_by_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "lot_rotations" ADD CONSTRAINT "lot_rotations_lot_id_meter_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."meter_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_sampling_plans" ADD CONSTRAINT "lot_sampling_plans_lot_id_meter_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."meter_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_sampling_plans" ADD CONSTRAINT "lot_sampling_plans_regulator_id_organisations_id_fk" FOREIGN KEY ("regulator_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lot_sampling_results" ADD CONSTRAINT "lot_sampling_results_plan_id_lot_sampling_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."lot_sampling_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_lot_members" ADD CONSTRAINT "meter_lot_members_lot_id_meter_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "public"."meter_lots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_lot_members" ADD CONSTRAINT "meter_lot_members_equipment_id_equipment_id_fk" FOREIGN KEY ("equipment_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meter_lots" ADD CONSTRAINT "meter_lots_owner_id_organisations_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lot_sampling_plans_lot_idx" ON "lot_sampling_plans" USING btree ("lot_id","planned_on");--> statement-breakpoint
CREATE INDEX "meter_lot_members_equipment_idx" ON "meter_lot_members" USING btree ("equipment_id");--> statement-breakpoint
CREATE INDEX "meter_lots_owner_idx" ON "meter_lots" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "meter_lots_region_idx" ON "meter_lots" USING btree ("region");