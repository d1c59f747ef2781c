-- A sidecar is part of the evidence of an imported record: append-only.
CREATE TRIGGER record_sidecars_append_only BEFORE UPDATE OR DELETE ON record_sidecars
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER record_sidecars_no_truncate BEFORE TRUNCATE ON record_sidecars
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
