-- Hand-written (issue 23, item 3): the ledger is partitioned by the year (UTC)
-- of recorded_at like the audit log (0039): ledger_y<year>, and ledger_default
-- for a year without its partition. Every entry is copied as it is (seq, hashes,
-- time): the chain, the MACs and the seals are unchanged, and so is every
-- function that writes or checks them (they name the table, not its storage).
--
-- MACs pointed at ledger(seq) by a foreign key; a foreign key needs a unique
-- key to point at, and the ledger's now holds recorded_at. An entry is never
-- deleted (append-only), so a check when a MAC is written keeps the same
-- promise: no MAC of an entry that does not exist.
ALTER TABLE "ledger_macs" DROP CONSTRAINT "ledger_macs_seq_ledger_seq_fk";
--> statement-breakpoint
ALTER TABLE ledger RENAME TO ledger_unpartitioned;
--> statement-breakpoint
ALTER TABLE ledger_unpartitioned DROP CONSTRAINT ledger_pkey;
--> statement-breakpoint
DROP INDEX ledger_entity_seq_idx;
--> statement-breakpoint
CREATE TABLE "ledger" (
	"seq" bigint NOT NULL,
	"kind" text NOT NULL,
	"entity_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_seq_recorded_at_pk" PRIMARY KEY("seq","recorded_at")
) PARTITION BY RANGE ("recorded_at");
--> statement-breakpoint
CREATE INDEX "ledger_entity_seq_idx" ON "ledger" USING btree ("kind","entity_id","seq");
--> statement-breakpoint
CREATE TABLE ledger_default PARTITION OF ledger DEFAULT;
--> statement-breakpoint
CREATE TRIGGER ledger_default_no_truncate BEFORE TRUNCATE ON ledger_default
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION metrotrace_partitioned_tables() RETURNS TABLE (parent text, key_column text)
LANGUAGE sql IMMUTABLE AS $$ VALUES ('audit_log', 'at'), ('ledger', 'recorded_at') $$;
--> statement-breakpoint
SELECT metrotrace_partition_year('ledger', 'recorded_at', y)
  FROM (SELECT DISTINCT extract(year FROM recorded_at AT TIME ZONE 'UTC')::integer AS y FROM ledger_unpartitioned) years ORDER BY y;
--> statement-breakpoint
SELECT metrotrace_partitions_ensure();
--> statement-breakpoint
INSERT INTO ledger (seq, kind, entity_id, content_hash, prev_hash, hash, recorded_at)
  SELECT seq, kind, entity_id, content_hash, prev_hash, hash, recorded_at FROM ledger_unpartitioned ORDER BY seq;
--> statement-breakpoint
DROP TABLE ledger_unpartitioned;
--> statement-breakpoint
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION metrotrace_reject_change();
--> statement-breakpoint
-- seq stays unique across the partitions. An entry is written under the
-- ledger's append lock (metrotrace_ledger_append takes it; taking it again
-- costs nothing), and a writer that inserts without the function (an import)
-- takes it here: with every writer in turn, looking for the seq in every
-- partition (an index probe per year) is enough.
CREATE OR REPLACE FUNCTION metrotrace_ledger_seq_unique() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE ledger IN EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM ledger WHERE seq = NEW.seq) THEN
    RAISE EXCEPTION 'duplicate key value violates unique constraint "ledger_seq_unique"'
      USING ERRCODE = 'unique_violation', DETAIL = format('Key (seq)=(%s) already exists.', NEW.seq),
            CONSTRAINT = 'ledger_seq_unique', TABLE = 'ledger';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_seq_unique BEFORE INSERT ON ledger
  FOR EACH ROW EXECUTE FUNCTION metrotrace_ledger_seq_unique();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION metrotrace_ledger_macs_entry_exists() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM ledger WHERE seq = NEW.seq) THEN
    RAISE EXCEPTION 'insert or update on table "ledger_macs" violates foreign key constraint "ledger_macs_seq_ledger_seq_fk"'
      USING ERRCODE = 'foreign_key_violation', DETAIL = format('Key (seq)=(%s) is not present in table "ledger".', NEW.seq),
            CONSTRAINT = 'ledger_macs_seq_ledger_seq_fk', TABLE = 'ledger_macs';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_macs_entry_exists BEFORE INSERT OR UPDATE ON ledger_macs
  FOR EACH ROW EXECUTE FUNCTION metrotrace_ledger_macs_entry_exists();
--> statement-breakpoint
-- The keeper runs as the tables' owner whoever calls it: making, detaching and
-- attaching partitions needs ownership, and in production the application's
-- role does not own the tables (docs/deploy.md). It only ever touches the tables
-- metrotrace_partitioned_tables() names, and its search path is pinned.
ALTER FUNCTION metrotrace_partitions_ensure(timestamptz) SECURITY DEFINER SET search_path = public, pg_temp;
