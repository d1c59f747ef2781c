-- Lots of meters in service (issue #22), hand-written: append-only triggers and the ledger's
-- content of the four new kinds (one function per kind, found by the dispatcher of 0028).
-- A lot's decisions are records, never updates: a sampling plan is never re-drawn, a result
-- never edited, a rotation never undone.
CREATE TRIGGER meter_lots_append_only BEFORE UPDATE OR DELETE ON meter_lots
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER meter_lots_no_truncate BEFORE TRUNCATE ON meter_lots
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER meter_lot_members_append_only BEFORE UPDATE OR DELETE ON meter_lot_members
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER meter_lot_members_no_truncate BEFORE TRUNCATE ON meter_lot_members
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lot_sampling_plans_append_only BEFORE UPDATE OR DELETE ON lot_sampling_plans
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lot_sampling_plans_no_truncate BEFORE TRUNCATE ON lot_sampling_plans
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lot_sampling_results_append_only BEFORE UPDATE OR DELETE ON lot_sampling_results
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lot_sampling_results_no_truncate BEFORE TRUNCATE ON lot_sampling_results
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lot_rotations_append_only BEFORE UPDATE OR DELETE ON lot_rotations
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint
CREATE TRIGGER lot_rotations_no_truncate BEFORE TRUNCATE ON lot_rotations
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();--> statement-breakpoint

-- A lot enters with its members by their digest (serial TAB equipment id, one line each, by serial).
CREATE OR REPLACE FUNCTION metrotrace_ledger_content_meter_lot(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT (jsonb_strip_nulls(to_jsonb(l) - 'created_at')
          || jsonb_build_object('members_digest', metrotrace_sha256(coalesce(
               (SELECT string_agg(m.serial || E'\t' || coalesce(m.equipment_id, ''), E'\n' ORDER BY m.serial COLLATE "C") FROM meter_lot_members m WHERE m.lot_id = l.id), ''))))::text
      FROM meter_lots l WHERE l.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_lot_sampling_plan(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(p) - 'created_at')::text FROM lot_sampling_plans p WHERE p.id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_lot_sampling_result(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(r) - 'created_at')::text FROM lot_sampling_results r WHERE r.plan_id = p_id
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION metrotrace_ledger_content_lot_rotation(p_id text) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT jsonb_strip_nulls(to_jsonb(r) - 'created_at')::text FROM lot_rotations r WHERE r.lot_id = p_id
$$;
