-- The fields every Chinese verification document carries (issue #18 item 3): verification type,
-- procedure (检定依据), verifier/checker/approver, certificate kind, label and seal numbers, the
-- customer (送检单位), and the equipment's pattern-approval number (型式批准编号). All nullable:
-- rows written before stay as they are. The ledger's content of a record or an equipment is
-- to_jsonb of its row with nulls stripped (metrotrace_ledger_content, 0025), so every existing
-- ledger entry still verifies, and a new row's non-null fields are covered without changing it.
-- valid_until drops NOT NULL: a failed verification (检定结果通知书) states no validity and a
-- calibration may leave it to the owner's interval policy. verification_current copies it
-- (triggers of 0019, which copy NULL as is; the due-list query tests a failed record by its
-- conformity, never by its date); calibration_records_validity_check (valid_until >= performed_on)
-- holds for NULL. A passed verification must still state it (pass_validity_check).
ALTER TABLE "calibration_records" ALTER COLUMN "valid_until" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "verification_current" ALTER COLUMN "valid_until" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "verification_type" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "procedure" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "verifier" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "checker" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "approver" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "certificate_kind" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "label_no" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "seal_no" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD COLUMN "customer_name" text;--> statement-breakpoint
ALTER TABLE "equipment" ADD COLUMN "pattern_approval_no" text;--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_verification_type_check" CHECK ("calibration_records"."verification_type" is null or ("calibration_records"."kind" = 'verification' and "calibration_records"."verification_type" in ('initial', 'subsequent', 'periodic', 'after_repair', 'in_use_check')));--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_certificate_kind_check" CHECK ("calibration_records"."certificate_kind" is null or "calibration_records"."certificate_kind" in ('verification_certificate', 'result_notice', 'calibration_certificate'));--> statement-breakpoint
ALTER TABLE "calibration_records" ADD CONSTRAINT "calibration_records_pass_validity_check" CHECK (not ("calibration_records"."kind" = 'verification' and "calibration_records"."conformity" = 'pass' and "calibration_records"."valid_until" is null));