-- metrotrace_ledger_seq_unique: the live definition, as migration 0040_partition_ledger.sql last wrote it.
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
