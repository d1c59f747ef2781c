CREATE TABLE "import_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"format" text NOT NULL,
	"file_name" text,
	"file_sha256" text NOT NULL,
	"dry_run" boolean NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"organisation_id" text,
	"key_id" text,
	"total_rows" integer NOT NULL,
	"processed_rows" integer NOT NULL,
	"counts" jsonb NOT NULL,
	"file_problems" jsonb NOT NULL,
	"rows" jsonb NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "import_jobs_kind_check" CHECK ("import_jobs"."kind" in ('equipment')),
	CONSTRAINT "import_jobs_format_check" CHECK ("import_jobs"."format" in ('csv', 'xlsx')),
	CONSTRAINT "import_jobs_mode_check" CHECK ("import_jobs"."mode" in ('valid-rows', 'all-or-nothing')),
	CONSTRAINT "import_jobs_status_check" CHECK ("import_jobs"."status" in ('running', 'completed', 'failed', 'interrupted'))
);
--> statement-breakpoint
CREATE INDEX "import_jobs_organisation_idx" ON "import_jobs" USING btree ("organisation_id");