ALTER TABLE "api_keys" ADD COLUMN "purpose" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "issued_by_key" text;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_purpose_check" CHECK ("api_keys"."purpose" is null or "api_keys"."purpose" = 'calendar_feed');