-- The comparison key of a printed identifier (certificate number, asset code):
-- NFKC, every white-space character removed, ASCII letters upper-cased. The
-- same function as identifierKey() in src/core/registry/identifier.ts; a test
-- holds them to the same answers. Unique indexes and lookups go by it, so
-- "xh-jd2026-00317", " XH-JD2026-00317 " and the full-width form are one number.
CREATE OR REPLACE FUNCTION metrotrace_identifier_key(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(
    regexp_replace(normalize(t, NFKC), E'[\\t\\n\\v\\f\\r \\u0085\\u1680\\u2028\\u2029\\ufeff]', '', 'g'),
    'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')
$$;
