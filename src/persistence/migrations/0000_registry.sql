CREATE TABLE "calibration_records" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"lab_id" text NOT NULL,
	"certificate_no" text NOT NULL,
	"performed_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"conformity" text,
	"supersedes" text,
	"remarks" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "calibration_records_kind_check" CHECK ("calibration_records"."kind" in ('verification', 'calibration')),
	CONSTRAINT "calibration_records_conformity_check" CHECK (("calibration_records"."kind" = 'verification' and "calibration_records"."conformity" in ('pass', 'fail')) or ("calibration_records"."kind" = 'calibration' and "calibration_records"."conformity" is null)),
	CONSTRAINT "calibration_records_validity_check" CHECK ("calibration_records"."valid_until" >= "calibration_records"."performed_on"),
	CONSTRAINT "calibration_records_supersedes_check" CHECK ("calibration_records"."supersedes" is null or "calibration_records"."supersedes" <> "calibration_records"."id")
);
--> statement-breakpoint
CREATE TABLE "equipment" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_id" text NOT NULL,
	"name" text NOT NULL,
	"asset_code" text,
	"serial_number" text,
	"manufacturer" text,
	"model" text,
	"quantity" text NOT NULL,
	"range_min" numeric,
	"range_max" numeric,
	"range_unit" text NOT NULL,
	"accuracy_kind" text NOT NULL,
	"mpe" numeric,
	"accuracy_class" text,
	"expanded_uncertainty" numeric,
	"coverage_factor" numeric,
	"accuracy_unit" text,
	"level" text NOT NULL,
	"category" text,
	"usage" text NOT NULL,
	"status" text NOT NULL,
	"assessment_no" text,
	"assessment_valid_from" date,
	"assessment_valid_until" date,
	"realisation" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "equipment_quantity_check" CHECK ("equipment"."quantity" in ('mass', 'length', 'temperature', 'pressure', 'electrical_energy', 'electrical_power', 'voltage', 'current', 'resistance', 'volume', 'flow', 'density', 'force', 'torque', 'hardness', 'time_frequency', 'acoustics', 'optics', 'ionising_radiation', 'chemical_composition', 'humidity', 'velocity', 'heat')),
	CONSTRAINT "equipment_level_check" CHECK ("equipment"."level" in ('national_primary_standard', 'public_highest_standard', 'department_highest_standard', 'enterprise_highest_standard', 'working_standard', 'working_instrument')),
	CONSTRAINT "equipment_usage_check" CHECK ("equipment"."usage" in ('trade_settlement', 'safety_protection', 'medical', 'environmental_monitoring', 'energy_metering', 'other')),
	CONSTRAINT "equipment_status_check" CHECK ("equipment"."status" in ('in_service', 'suspended', 'retired')),
	CONSTRAINT "equipment_accuracy_kind_check" CHECK ("equipment"."accuracy_kind" in ('mpe', 'class', 'expanded')),
	CONSTRAINT "equipment_range_check" CHECK ("equipment"."range_min" is null or "equipment"."range_max" is null or "equipment"."range_min" <= "equipment"."range_max"),
	CONSTRAINT "equipment_accuracy_check" CHECK (("equipment"."accuracy_kind" = 'mpe' and "equipment"."mpe" > 0) or ("equipment"."accuracy_kind" = 'class' and "equipment"."accuracy_class" is not null) or ("equipment"."accuracy_kind" = 'expanded' and "equipment"."expanded_uncertainty" >= 0 and "equipment"."coverage_factor" > 0)),
	CONSTRAINT "equipment_assessment_check" CHECK (("equipment"."assessment_no" is null and "equipment"."assessment_valid_from" is null and "equipment"."assessment_valid_until" is null) or ("equipment"."assessment_no" is not null and "equipment"."assessment_valid_until" >= "equipment"."assessment_valid_from" and "equipment"."level" <> 'working_instrument'))
);
--> statement-breakpoint
CREATE TABLE "lab_scopes" (
	"id" text PRIMARY KEY NOT NULL,
	"lab_id" text NOT NULL,
	"quantity" text NOT NULL,
	"category" text,
	"range_min" numeric,
	"range_max" numeric,
	"range_unit" text,
	"mandatory_verification" boolean DEFAULT false NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lab_scopes_quantity_check" CHECK ("lab_scopes"."quantity" in ('mass', 'length', 'temperature', 'pressure', 'electrical_energy', 'electrical_power', 'voltage', 'current', 'resistance', 'volume', 'flow', 'density', 'force', 'torque', 'hardness', 'time_frequency', 'acoustics', 'optics', 'ionising_radiation', 'chemical_composition', 'humidity', 'velocity', 'heat')),
	CONSTRAINT "lab_scopes_validity_check" CHECK ("lab_scopes"."valid_until" >= "lab_scopes"."valid_from"),
	CONSTRAINT "lab_scopes_range_check" CHECK ("lab_scopes"."range_min" is null or "lab_scopes"."range_max" is null or "lab_scopes"."range_min" <= "lab_scopes"."range_max")
);
--> statement-breakpoint
CREATE TABLE "measured_points" (
	"record_id" text NOT NULL,
	"seq" integer NOT NULL,
	"nominal" numeric NOT NULL,
	"as_found" numeric,
	"as_left" numeric,
	"expanded_uncertainty" numeric,
	"coverage_factor" numeric,
	"unit" text NOT NULL,
	CONSTRAINT "measured_points_record_id_seq_pk" PRIMARY KEY("record_id","seq"),
	CONSTRAINT "measured_points_uncertainty_check" CHECK ("measured_points"."expanded_uncertainty" is null or "measured_points"."expanded_uncertainty" >= 0)
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"region_code" text NOT NULL,
	"accreditation" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_kind_check" CHECK ("organisations"."kind" in ('legal_metrology_institute', 'calibration_lab', 'enterprise', 'energy_using_unit', 'regulator')),
	CONSTRAINT "organisations_region_check" CHECK ("organisations"."region_code" ~ '^[0-9]{6}$')
);
--> statement-breakpoint
CREATE TABLE "record_references" (
	"record_id" text NOT NULL,
	"reference_id" text NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "record_references_record_id_reference_id_pk" PRIMARY KEY("record_id","reference_id")
);
--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_subject_id_equipment_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_supersedes_calibration_records_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."calibration_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "equipment" ADD CONSTRAINT "equipment_owner_id_organisations_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lab_scopes" ADD CONSTRAINT "lab_scopes_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measured_points" ADD CONSTRAINT "measured_points_record_id_calibration_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."calibration_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_references" ADD CONSTRAINT "record_references_record_id_calibration_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."calibration_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "record_references" ADD CONSTRAINT "record_references_reference_id_equipment_id_fk" FOREIGN KEY ("reference_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calibration_records_certificate_idx" ON "calibration_records" USING btree ("certificate_no");--> statement-breakpoint
CREATE UNIQUE INDEX "calibration_records_supersedes_idx" ON "calibration_records" USING btree ("supersedes");--> statement-breakpoint
CREATE INDEX "calibration_records_subject_idx" ON "calibration_records" USING btree ("subject_id","performed_on");--> statement-breakpoint
CREATE INDEX "calibration_records_lab_idx" ON "calibration_records" USING btree ("lab_id");--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_owner_asset_idx" ON "equipment" USING btree ("owner_id","asset_code");--> statement-breakpoint
CREATE INDEX "equipment_owner_idx" ON "equipment" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "equipment_quantity_level_idx" ON "equipment" USING btree ("quantity","level");--> statement-breakpoint
CREATE INDEX "equipment_category_idx" ON "equipment" USING btree ("category");--> statement-breakpoint
CREATE INDEX "lab_scopes_lab_idx" ON "lab_scopes" USING btree ("lab_id");--> statement-breakpoint
CREATE INDEX "organisations_region_idx" ON "organisations" USING btree ("region_code");--> statement-breakpoint
CREATE INDEX "record_references_reference_idx" ON "record_references" USING btree ("reference_id");