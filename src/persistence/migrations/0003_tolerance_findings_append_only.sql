-- An out-of-tolerance finding is evidence too: append-only, like the records.
CREATE TRIGGER tolerance_findings_append_only BEFORE UPDATE OR DELETE ON tolerance_findings
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER tolerance_findings_no_truncate BEFORE TRUNCATE ON tolerance_findings
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
