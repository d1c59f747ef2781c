-- metrotrace_ledger_content: the live definition, as migration 0028_ledger_kind_dispatch.sql last wrote it.
-- An unknown kind, or one spelled outside [a-z_], has no content: metrotrace_ledger_append then
-- refuses it with its LEDGER exception, as before.
CREATE OR REPLACE FUNCTION metrotrace_ledger_content(p_kind text, p_id text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  v_content text;
BEGIN
  IF p_kind !~ '^[a-z_]+$' OR to_regprocedure('metrotrace_ledger_content_' || p_kind || '(text)') IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT %I($1)', 'metrotrace_ledger_content_' || p_kind) INTO v_content USING p_id;
  RETURN v_content;
END
$$;
