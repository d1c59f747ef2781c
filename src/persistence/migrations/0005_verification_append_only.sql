-- Regulators' policies and computed plans are kept as issued: append-only.
CREATE TRIGGER verification_policies_append_only BEFORE UPDATE OR DELETE ON verification_policies
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER verification_policies_no_truncate BEFORE TRUNCATE ON verification_policies
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER verification_plans_append_only BEFORE UPDATE OR DELETE ON verification_plans
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER verification_plans_no_truncate BEFORE TRUNCATE ON verification_plans
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
