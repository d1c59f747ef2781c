-- Hand-written (issue 23, item 3): the audit log grows without end, so it is
-- partitioned by the year (UTC) of its timestamp: audit_log_y<year> for each
-- year, and audit_log_default for a row whose year has no partition yet, so
-- that no insert can fail for a missing year. The migration rewrites the table
-- (a copy of every row); see docs/deploy.md.
--
-- A year's partition, made once: the parent's rows of that year waiting in its
-- DEFAULT partition (written before the year's partition existed) move into it
-- (DEFAULT is detached meanwhile: PostgreSQL refuses a new partition whose
-- range the DEFAULT partition holds rows of, and a detached table has none of
-- the parent's row triggers, so the move is no UPDATE or DELETE on the log).
-- Statement triggers are not inherited: every partition gets its own
-- no-truncate trigger, or TRUNCATE audit_log_y2026 would empty a year.
CREATE OR REPLACE FUNCTION metrotrace_partition_year(p_parent text, p_column text, p_year integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_name text := p_parent || '_y' || p_year;
  v_default text := p_parent || '_default';
  v_from timestamptz := make_timestamptz(p_year, 1, 1, 0, 0, 0, 'UTC');
  v_to timestamptz := make_timestamptz(p_year + 1, 1, 1, 0, 0, 0, 'UTC');
  v_waiting boolean;
BEGIN
  IF to_regclass(v_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', p_parent);
  -- another process may have made it while this one waited for the lock
  IF to_regclass(v_name) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= $1 AND %I < $2)', v_default, p_column, p_column) INTO v_waiting USING v_from, v_to;
  IF v_waiting THEN
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_parent, v_default);
  END IF;
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_name, p_parent, v_from, v_to);
  EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change()', v_name || '_no_truncate', v_name);
  IF v_waiting THEN
    EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE %I >= $1 AND %I < $2', p_parent, v_default, p_column, p_column) USING v_from, v_to;
    EXECUTE format('DELETE FROM %I WHERE %I >= $1 AND %I < $2', v_default, p_column, p_column) USING v_from, v_to;
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', p_parent, v_default);
  END IF;
  RETURN true;
END;
$$;
--> statement-breakpoint
-- The tables partitioned by year and their partition key.
CREATE OR REPLACE FUNCTION metrotrace_partitioned_tables() RETURNS TABLE (parent text, key_column text)
LANGUAGE sql IMMUTABLE AS $$ VALUES ('audit_log', 'at') $$;
--> statement-breakpoint
-- Makes this year's and next year's partition of every partitioned table, and
-- the partition of every year that has rows waiting in a DEFAULT partition.
-- Idempotent and cheap when there is nothing to do (a catalog lookup per year
-- and a look into the DEFAULT partitions, normally empty); run by every start
-- of the API (persistence/partitions.ts) and after an import. Returns how many
-- partitions it made.
CREATE OR REPLACE FUNCTION metrotrace_partitions_ensure(p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  v_table record;
  v_year integer;
  v_this integer := extract(year FROM p_now AT TIME ZONE 'UTC')::integer;
  v_waiting integer[];
  v_made integer := 0;
BEGIN
  FOR v_table IN SELECT * FROM metrotrace_partitioned_tables() LOOP
    EXECUTE format('SELECT array_agg(DISTINCT extract(year FROM %I AT TIME ZONE ''UTC'')::integer) FROM %I', v_table.key_column, v_table.parent || '_default') INTO v_waiting;
    FOR v_year IN SELECT DISTINCT y FROM unnest(array[v_this, v_this + 1] || coalesce(v_waiting, '{}')) AS y ORDER BY y LOOP
      IF metrotrace_partition_year(v_table.parent, v_table.key_column, v_year) THEN
        v_made := v_made + 1;
      END IF;
    END LOOP;
  END LOOP;
  RETURN v_made;
END;
$$;
--> statement-breakpoint
-- The table itself: the same columns, the key (seq, at) since a partitioned
-- table's unique keys must hold its partition key; the serial counter carries on.
ALTER SEQUENCE audit_log_seq_seq OWNED BY NONE;
--> statement-breakpoint
ALTER TABLE audit_log RENAME TO audit_log_unpartitioned;
--> statement-breakpoint
ALTER TABLE audit_log_unpartitioned DROP CONSTRAINT audit_log_pkey;
--> statement-breakpoint
DROP INDEX audit_log_key_idx;
--> statement-breakpoint
DROP INDEX audit_log_at_idx;
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"seq" bigint DEFAULT nextval('audit_log_seq_seq') NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"key_id" text,
	"role" text NOT NULL,
	"organisation_id" text,
	"method" text NOT NULL,
	"route" text NOT NULL,
	"path" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" integer NOT NULL,
	"outcome" text NOT NULL,
	"address" text NOT NULL,
	"request_id" text NOT NULL,
	CONSTRAINT "audit_log_seq_at_pk" PRIMARY KEY("seq","at")
) PARTITION BY RANGE ("at");
--> statement-breakpoint
ALTER SEQUENCE audit_log_seq_seq OWNED BY audit_log.seq;
--> statement-breakpoint
CREATE INDEX "audit_log_key_idx" ON "audit_log" USING btree ("key_id","seq");
--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");
--> statement-breakpoint
CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT;
--> statement-breakpoint
CREATE TRIGGER audit_log_default_no_truncate BEFORE TRUNCATE ON audit_log_default
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
SELECT metrotrace_partition_year('audit_log', 'at', y)
  FROM (SELECT DISTINCT extract(year FROM at AT TIME ZONE 'UTC')::integer AS y FROM audit_log_unpartitioned) years ORDER BY y;
--> statement-breakpoint
SELECT metrotrace_partitions_ensure();
--> statement-breakpoint
INSERT INTO audit_log (seq, at, key_id, role, organisation_id, method, route, path, params, status, outcome, address, request_id)
  SELECT seq, at, key_id, role, organisation_id, method, route, path, params, status, outcome, address, request_id FROM audit_log_unpartitioned;
--> statement-breakpoint
DROP TABLE audit_log_unpartitioned;
--> statement-breakpoint
-- Append-only as before: the row trigger on the parent is cloned onto every
-- partition, present and future; the no-truncate trigger is per table.
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
-- seq stays unique across the partitions, which no index can do any more. Each
-- insert looks for its seq in every partition (an index probe per year). A seq
-- drawn from the counter by this very session (the column default) cannot be
-- taken by another writer drawing from it; one given explicitly (an import)
-- takes the table's EXCLUSIVE lock first, which waits for every writer in
-- flight, so its look sees every row that could collide with it.
CREATE OR REPLACE FUNCTION metrotrace_audit_log_seq_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_drawn boolean;
BEGIN
  BEGIN
    v_drawn := NEW.seq = currval('audit_log_seq_seq');
  EXCEPTION WHEN object_not_in_prerequisite_state THEN
    v_drawn := false; -- this session has drawn nothing from the counter
  END;
  IF NOT v_drawn THEN
    LOCK TABLE audit_log IN EXCLUSIVE MODE;
  END IF;
  IF EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "audit_log_seq_unique"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (seq)=(%s) already exists.', NEW.seq),
            CONSTRAINT = 'audit_log_seq_unique', TABLE = 'audit_log';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_log_seq_unique BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION metrotrace_audit_log_seq_unique();
