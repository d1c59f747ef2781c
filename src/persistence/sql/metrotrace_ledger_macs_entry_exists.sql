-- metrotrace_ledger_macs_entry_exists: the live definition, as migration 0040_partition_ledger.sql last wrote it.
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
