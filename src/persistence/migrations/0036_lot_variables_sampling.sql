ALTER TABLE "lot_sampling_plans" ALTER COLUMN "acceptance" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_sampling_plans" ALTER COLUMN "rejection" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "lot_sampling_plans" ADD COLUMN "method" text;--> statement-breakpoint
ALTER TABLE "lot_sampling_plans" ADD COLUMN "acceptability_constant" text;--> statement-breakpoint
ALTER TABLE "lot_sampling_results" ADD COLUMN "statistics" jsonb;--> statement-breakpoint
ALTER TABLE "lot_sampling_plans" ADD CONSTRAINT "lot_sampling_plans_method_check" CHECK (("lot_sampling_plans"."method" is null and "lot_sampling_plans"."acceptance" is not null and "lot_sampling_plans"."rejection" is not null and "lot_sampling_plans"."acceptability_constant" is null) or ("lot_sampling_plans"."method" = 'variables' and "lot_sampling_plans"."acceptance" is null and "lot_sampling_plans"."rejection" is null and "lot_sampling_plans"."acceptability_constant" is not null));