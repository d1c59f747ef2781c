DROP INDEX "calibration_records_certificate_idx";--> statement-breakpoint
DROP INDEX "equipment_owner_asset_idx";--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "external_references" jsonb;--> statement-breakpoint
CREATE UNIQUE INDEX "calibration_records_certificate_key_idx" ON "calibration_records" USING btree (metrotrace_identifier_key("certificate_no"));--> statement-breakpoint
CREATE UNIQUE INDEX "equipment_owner_asset_key_idx" ON "equipment" USING btree ("owner_id",metrotrace_identifier_key("asset_code"));