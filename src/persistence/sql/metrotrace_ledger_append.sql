-- metrotrace_ledger_append: the live definition, as migration 0018_ledger_functions.sql last wrote it.
-- Appends the entry of an entity written in the current transaction. The table
-- lock (held to the end of the transaction) makes concurrent writers take their
-- turn, so the chain has neither gaps nor forks; reads are not blocked.
CREATE OR REPLACE FUNCTION metrotrace_ledger_append(p_kind text, p_id text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  v_content text;
  v_seq bigint;
  v_prev text;
BEGIN
  LOCK TABLE ledger IN EXCLUSIVE MODE;
  v_content := metrotrace_sha256(metrotrace_ledger_content(p_kind, p_id));
  IF v_content IS NULL THEN
    RAISE EXCEPTION 'LEDGER: there is no % with id % to enter in the ledger', p_kind, p_id;
  END IF;
  SELECT seq, hash INTO v_seq, v_prev FROM ledger ORDER BY seq DESC LIMIT 1;
  v_seq := coalesce(v_seq, 0) + 1;
  v_prev := coalesce(v_prev, repeat('0', 64));
  INSERT INTO ledger (seq, kind, entity_id, content_hash, prev_hash, hash)
    VALUES (v_seq, p_kind, p_id, v_content, v_prev, metrotrace_ledger_link(v_seq, p_kind, p_id, v_content, v_prev));
  RETURN v_seq;
END;
$$;
