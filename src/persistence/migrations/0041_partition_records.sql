-- Hand-written (issue 23, item 3): calibration records are partitioned by the
-- year of performed_on like the audit log (0039) and the ledger (0040):
-- calibration_records_y<year>, and calibration_records_default for a record
-- of a year without its partition (an import of old years). Every record is
-- copied as it is; the ledger's content of a record is built from its columns
-- (metrotrace_ledger_content), so the chain verifies unchanged.
--
-- What the partitioning changes, and what keeps each promise:
-- * the key holds the partition key: (id, performed_on);
-- * the id, the certificate number (as a printed identifier) and "a record is
--   corrected at most once" stay unique across the years by a trigger that
--   looks for the value in every partition (an index probe per year) under the
--   ledger's append lock, which every record write takes anyway for its ledger
--   entry: concurrent writers are checked one after the other, with no new lock
--   and no new lock order; the refusal names the index it names today;
-- * every foreign key into the records (references, measured points, sidecars,
--   filed certificates' decisions) becomes a trigger that checks the record
--   exists, raising the same foreign-key violation; records are never deleted
--   (append-only), so checking on insert keeps the same promise. A correction's
--   supersedes was already checked by metrotrace_check_supersedes (0001);
-- * append-only on the parent and every partition (the TRUNCATE trigger made
--   per table by metrotrace_append_only, below).
--
-- The keeper (metrotrace_partition_year) now also handles a date partition
-- key, and moves the rows waiting in DEFAULT into a new year's table before it
-- attaches it, so a move fires none of the insert triggers (a correction moved
-- before the record it corrects would otherwise be refused).

-- Makes `p_table` append-only: UPDATE and DELETE refused row by row (a
-- partition inherits that trigger from its parent, so it gets none of its own)
-- and TRUNCATE refused (a statement trigger, never inherited). Idempotent.
CREATE OR REPLACE FUNCTION metrotrace_append_only(p_table text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  v_rel regclass := p_table::regclass;
BEGIN
  IF NOT (SELECT relispartition FROM pg_class WHERE oid = v_rel)
     AND NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = v_rel AND tgname = p_table || '_append_only') THEN
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change()', p_table || '_append_only', p_table);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = v_rel AND tgname = p_table || '_no_truncate') THEN
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change()', p_table || '_no_truncate', p_table);
  END IF;
END;
$$;
--> statement-breakpoint
-- The year's bounds in the type of the partition key: a date column's year
-- runs from 1 January to 1 January; a timestamptz column's in UTC.
CREATE OR REPLACE FUNCTION metrotrace_partition_bounds(p_parent text, p_column text, p_year integer, OUT key_type text, OUT from_value text, OUT to_value text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  SELECT format_type(a.atttypid, a.atttypmod) INTO key_type
    FROM pg_attribute a WHERE a.attrelid = p_parent::regclass AND a.attname = p_column;
  IF key_type = 'date' THEN
    from_value := make_date(p_year, 1, 1)::text;
    to_value := make_date(p_year + 1, 1, 1)::text;
  ELSE
    from_value := make_timestamptz(p_year, 1, 1, 0, 0, 0, 'UTC')::text;
    to_value := make_timestamptz(p_year + 1, 1, 1, 0, 0, 0, 'UTC')::text;
  END IF;
END;
$$;
--> statement-breakpoint
-- A year's partition, made once (0039, generalised). Rows of that year waiting
-- in DEFAULT are moved into a table of the parent's shape, which is then
-- attached as the year's partition (taking the parent's indexes, constraints
-- and row triggers): the move inserts nothing through the parent, so none of
-- its insert triggers fire for rows already checked when they were written.
-- DEFAULT is detached meanwhile (a detached table has none of the parent's row
-- triggers, so taking the rows out of it is no DELETE on the table).
CREATE OR REPLACE FUNCTION metrotrace_partition_year(p_parent text, p_column text, p_year integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  v_name text := p_parent || '_y' || p_year;
  v_default text := p_parent || '_default';
  v_bounds record := metrotrace_partition_bounds(p_parent, p_column, p_year);
  v_range text;
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
  v_range := format('%I >= %L::%s AND %I < %L::%s', p_column, v_bounds.from_value, v_bounds.key_type, p_column, v_bounds.to_value, v_bounds.key_type);
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %s)', v_default, v_range) INTO v_waiting;
  IF v_waiting THEN
    EXECUTE format('ALTER TABLE %I DETACH PARTITION %I', p_parent, v_default);
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name, p_parent);
    EXECUTE format('INSERT INTO %I SELECT * FROM %I WHERE %s', v_name, v_default, v_range);
    EXECUTE format('DELETE FROM %I WHERE %s', v_default, v_range);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', p_parent, v_name, v_bounds.from_value, v_bounds.to_value);
    EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I DEFAULT', p_parent, v_default);
  ELSE
    EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', v_name, p_parent, v_bounds.from_value, v_bounds.to_value);
  END IF;
  PERFORM metrotrace_append_only(v_name);
  RETURN true;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION metrotrace_partitioned_tables() RETURNS TABLE (parent text, key_column text)
LANGUAGE sql IMMUTABLE AS $$ VALUES ('audit_log', 'at'), ('ledger', 'recorded_at'), ('calibration_records', 'performed_on') $$;
--> statement-breakpoint
-- As in 0039, with the year of a row taken in its key's type (a date has no time zone).
CREATE OR REPLACE FUNCTION metrotrace_partitions_ensure(p_now timestamptz DEFAULT now()) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_table record;
  v_year integer;
  v_this integer := extract(year FROM p_now AT TIME ZONE 'UTC')::integer;
  v_waiting integer[];
  v_made integer := 0;
BEGIN
  FOR v_table IN SELECT * FROM metrotrace_partitioned_tables() LOOP
    IF (metrotrace_partition_bounds(v_table.parent, v_table.key_column, v_this)).key_type = 'date' THEN
      EXECUTE format('SELECT array_agg(DISTINCT extract(year FROM %I)::integer) FROM %I', v_table.key_column, v_table.parent || '_default') INTO v_waiting;
    ELSE
      EXECUTE format('SELECT array_agg(DISTINCT extract(year FROM %I AT TIME ZONE ''UTC'')::integer) FROM %I', v_table.key_column, v_table.parent || '_default') INTO v_waiting;
    END IF;
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
-- The foreign keys into the records go (they need a unique key on id alone to point at).
ALTER TABLE "calibration_records" DROP CONSTRAINT "calibration_records_supersedes_calibration_records_id_fk";
--> statement-breakpoint
ALTER TABLE "filed_certificate_decisions" DROP CONSTRAINT "filed_certificate_decisions_record_id_calibration_records_id_fk";
--> statement-breakpoint
ALTER TABLE "measured_points" DROP CONSTRAINT "measured_points_record_id_calibration_records_id_fk";
--> statement-breakpoint
ALTER TABLE "record_references" DROP CONSTRAINT "record_references_record_id_calibration_records_id_fk";
--> statement-breakpoint
ALTER TABLE "record_sidecars" DROP CONSTRAINT "record_sidecars_record_id_calibration_records_id_fk";
--> statement-breakpoint
ALTER TABLE calibration_records RENAME TO calibration_records_unpartitioned;
--> statement-breakpoint
ALTER TABLE calibration_records_unpartitioned DROP CONSTRAINT calibration_records_pkey;
--> statement-breakpoint
DROP INDEX calibration_records_certificate_key_idx;
--> statement-breakpoint
DROP INDEX calibration_records_supersedes_idx;
--> statement-breakpoint
DROP INDEX calibration_records_subject_idx;
--> statement-breakpoint
DROP INDEX calibration_records_lab_idx;
--> statement-breakpoint
-- The same columns in the same order, the same checks and outgoing foreign keys.
CREATE TABLE "calibration_records" (
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"lab_id" text NOT NULL,
	"certificate_no" text NOT NULL,
	"performed_on" date NOT NULL,
	"valid_until" date,
	"conformity" text,
	"supersedes" text,
	"remarks" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decision_rule" jsonb,
	"conditions" jsonb,
	"external_references" jsonb,
	"verification_type" text,
	"procedure" text,
	"verifier" text,
	"checker" text,
	"approver" text,
	"certificate_kind" text,
	"label_no" text,
	"seal_no" text,
	"customer_name" text,
	CONSTRAINT "calibration_records_id_performed_on_pk" PRIMARY KEY("id","performed_on"),
	CONSTRAINT "calibration_records_kind_check" CHECK ("calibration_records"."kind" in ('verification', 'calibration')),
	CONSTRAINT "calibration_records_conformity_check" CHECK (("calibration_records"."kind" = 'verification' and "calibration_records"."conformity" in ('pass', 'fail')) or ("calibration_records"."kind" = 'calibration' and "calibration_records"."conformity" is null)),
	CONSTRAINT "calibration_records_validity_check" CHECK ("calibration_records"."valid_until" >= "calibration_records"."performed_on"),
	CONSTRAINT "calibration_records_supersedes_check" CHECK ("calibration_records"."supersedes" is null or "calibration_records"."supersedes" <> "calibration_records"."id"),
	CONSTRAINT "calibration_records_verification_type_check" CHECK ("calibration_records"."verification_type" is null or ("calibration_records"."kind" = 'verification' and "calibration_records"."verification_type" in ('initial', 'subsequent', 'periodic', 'after_repair', 'in_use_check'))),
	CONSTRAINT "calibration_records_certificate_kind_check" CHECK ("calibration_records"."certificate_kind" is null or "calibration_records"."certificate_kind" in ('verification_certificate', 'result_notice', 'calibration_certificate')),
	CONSTRAINT "calibration_records_pass_validity_check" CHECK (not ("calibration_records"."kind" = 'verification' and "calibration_records"."conformity" = 'pass' and "calibration_records"."valid_until" is null)),
	CONSTRAINT "calibration_records_subject_id_equipment_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."equipment"("id") ON DELETE no action ON UPDATE no action,
	CONSTRAINT "calibration_records_lab_id_organisations_id_fk" FOREIGN KEY ("lab_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action
) PARTITION BY RANGE ("performed_on");
--> statement-breakpoint
CREATE INDEX "calibration_records_certificate_key_idx" ON "calibration_records" USING btree (metrotrace_identifier_key("certificate_no"));
--> statement-breakpoint
CREATE INDEX "calibration_records_supersedes_idx" ON "calibration_records" USING btree ("supersedes");
--> statement-breakpoint
CREATE INDEX "calibration_records_subject_idx" ON "calibration_records" USING btree ("subject_id","performed_on");
--> statement-breakpoint
CREATE INDEX "calibration_records_lab_idx" ON "calibration_records" USING btree ("lab_id");
--> statement-breakpoint
CREATE TABLE calibration_records_default PARTITION OF calibration_records DEFAULT;
--> statement-breakpoint
SELECT metrotrace_partition_year('calibration_records', 'performed_on', y)
  FROM (SELECT DISTINCT extract(year FROM performed_on)::integer AS y FROM calibration_records_unpartitioned) years ORDER BY y;
--> statement-breakpoint
SELECT metrotrace_partitions_ensure();
--> statement-breakpoint
-- Copied before the triggers exist: the rows were checked when written, and
-- verification_current (derived from them) stays as it is.
INSERT INTO calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity, supersedes, remarks, created_at,
    decision_rule, conditions, external_references, verification_type, procedure, verifier, checker, approver, certificate_kind, label_no, seal_no, customer_name)
  SELECT id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity, supersedes, remarks, created_at,
    decision_rule, conditions, external_references, verification_type, procedure, verifier, checker, approver, certificate_kind, label_no, seal_no, customer_name
  FROM calibration_records_unpartitioned;
--> statement-breakpoint
DROP TABLE calibration_records_unpartitioned;
--> statement-breakpoint
SELECT metrotrace_append_only('calibration_records');
--> statement-breakpoint
SELECT metrotrace_append_only('calibration_records_default');
--> statement-breakpoint
CREATE TRIGGER calibration_records_supersedes_same_subject BEFORE INSERT ON calibration_records
  FOR EACH ROW EXECUTE FUNCTION metrotrace_check_supersedes();
--> statement-breakpoint
CREATE TRIGGER calibration_records_verification_current AFTER INSERT ON calibration_records
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_refresh_verification_current();
--> statement-breakpoint
-- The three unique rules, checked in the order the unique indexes were before
-- (id, correction, certificate number), under the ledger's append lock: a
-- writer that inserts a record holds it from here to its commit (the record's
-- ledger entry needs it anyway), so a second writer's look, made once it has
-- the lock, sees every committed record that could collide with its own
-- (READ COMMITTED: each statement of the function reads afresh).
CREATE OR REPLACE FUNCTION metrotrace_calibration_records_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE ledger IN EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM calibration_records WHERE id = NEW.id) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "calibration_records_pkey"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (id)=(%s) already exists.', NEW.id),
            CONSTRAINT = 'calibration_records_pkey', TABLE = 'calibration_records';
  END IF;
  IF NEW.supersedes IS NOT NULL AND EXISTS (SELECT 1 FROM calibration_records WHERE supersedes = NEW.supersedes) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "calibration_records_supersedes_idx"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (supersedes)=(%s) already exists.', NEW.supersedes),
            CONSTRAINT = 'calibration_records_supersedes_idx', TABLE = 'calibration_records';
  END IF;
  IF EXISTS (SELECT 1 FROM calibration_records WHERE metrotrace_identifier_key(certificate_no) = metrotrace_identifier_key(NEW.certificate_no)) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "calibration_records_certificate_key_idx"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (metrotrace_identifier_key(certificate_no))=(%s) already exists.', metrotrace_identifier_key(NEW.certificate_no)),
            CONSTRAINT = 'calibration_records_certificate_key_idx', TABLE = 'calibration_records';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER calibration_records_unique BEFORE INSERT ON calibration_records
  FOR EACH ROW EXECUTE FUNCTION metrotrace_calibration_records_unique();
--> statement-breakpoint
-- The foreign keys into the records, as triggers of the same meaning (TG_ARGV[0]: the constraint's name).
CREATE OR REPLACE FUNCTION metrotrace_record_exists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.record_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM calibration_records WHERE id = NEW.record_id) THEN
    RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%"', TG_TABLE_NAME, TG_ARGV[0]
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (record_id)=(%s) is not present in table "calibration_records".', NEW.record_id),
            CONSTRAINT = TG_ARGV[0], TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER record_references_record_exists BEFORE INSERT OR UPDATE ON record_references
  FOR EACH ROW EXECUTE FUNCTION metrotrace_record_exists('record_references_record_id_calibration_records_id_fk');
--> statement-breakpoint
CREATE TRIGGER measured_points_record_exists BEFORE INSERT OR UPDATE ON measured_points
  FOR EACH ROW EXECUTE FUNCTION metrotrace_record_exists('measured_points_record_id_calibration_records_id_fk');
--> statement-breakpoint
CREATE TRIGGER record_sidecars_record_exists BEFORE INSERT OR UPDATE ON record_sidecars
  FOR EACH ROW EXECUTE FUNCTION metrotrace_record_exists('record_sidecars_record_id_calibration_records_id_fk');
--> statement-breakpoint
CREATE TRIGGER filed_certificate_decisions_record_exists BEFORE INSERT OR UPDATE ON filed_certificate_decisions
  FOR EACH ROW EXECUTE FUNCTION metrotrace_record_exists('filed_certificate_decisions_record_id_calibration_records_id_fk');
