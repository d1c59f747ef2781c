-- Inventories are versioned by new rows and audits are evidence: both append-only.
CREATE TRIGGER energy_inventories_append_only BEFORE UPDATE OR DELETE ON energy_inventories
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER energy_inventories_no_truncate BEFORE TRUNCATE ON energy_inventories
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER energy_audits_append_only BEFORE UPDATE OR DELETE ON energy_audits
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER energy_audits_no_truncate BEFORE TRUNCATE ON energy_audits
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
