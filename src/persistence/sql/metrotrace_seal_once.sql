-- metrotrace_seal_once: the live definition, as migration 0023_ledger_insider.sql last wrote it.
-- A seal is never removed; its MAC is filled in once.
CREATE OR REPLACE FUNCTION metrotrace_seal_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.mac IS NULL AND NEW.mac IS NOT NULL
     AND NEW.through_seq = OLD.through_seq AND NEW.through_hash = OLD.through_hash THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'APPEND_ONLY: % on % is not allowed; a seal is signed once', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'MT001';
END;
$$;
