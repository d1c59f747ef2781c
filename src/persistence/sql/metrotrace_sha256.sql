-- metrotrace_sha256: the live definition, as migration 0018_ledger_functions.sql last wrote it.
-- The evidence ledger's arithmetic lives here, once, for the writer and the
-- verifier alike. An entity's canonical content is its row (without the
-- insertion timestamp) with its child rows, as jsonb text: jsonb orders keys
-- and keeps every numeric's digits and scale, so the same stored values always
-- give the same text, on PGlite and on a PostgreSQL server.
CREATE OR REPLACE FUNCTION metrotrace_sha256(p text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT encode(sha256(convert_to(p, 'UTF8')), 'hex') $$;
