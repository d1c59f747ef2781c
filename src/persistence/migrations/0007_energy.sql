CREATE TABLE "energy_audits" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"at" date NOT NULL,
	"inventory_id" text NOT NULL,
	"rules_version" text NOT NULL,
	"input" jsonb NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "energy_inventories" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text NOT NULL,
	"version" integer NOT NULL,
	"document" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "energy_inventories_version_check" CHECK ("energy_inventories"."version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "energy_audits" ADD CONSTRAINT "energy_audits_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_audits" ADD CONSTRAINT "energy_audits_inventory_id_energy_inventories_id_fk" FOREIGN KEY ("inventory_id") REFERENCES "public"."energy_inventories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "energy_inventories" ADD CONSTRAINT "energy_inventories_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "energy_inventories_version_idx" ON "energy_inventories" USING btree ("organisation_id","version");