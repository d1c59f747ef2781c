-- metrotrace_ledger_link: the live definition, as migration 0018_ledger_functions.sql last wrote it.
-- An entry's own hash binds its position, what it is, its content and the entry before it.
CREATE OR REPLACE FUNCTION metrotrace_ledger_link(p_seq bigint, p_kind text, p_id text, p_content text, p_prev text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT metrotrace_sha256(p_seq::text || '|' || p_kind || '|' || p_id || '|' || p_content || '|' || p_prev) $$;
