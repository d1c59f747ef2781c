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
--> statement-breakpoint
-- A registry written before this migration may hold twins: two certificate numbers, or
-- two asset codes of one owner, that are one number by the key. The unique indexes of
-- 0021 would then fail with a bare error; say which they are and what to do instead
-- (the upgrade stops here and changes nothing).
DO $$
DECLARE
  twins text;
BEGIN
  SELECT string_agg(format('%s (records %s)', k, ids), '; ') INTO twins FROM (
    SELECT metrotrace_identifier_key(certificate_no) AS k, string_agg(id || ': ' || certificate_no, ', ') AS ids
    FROM calibration_records GROUP BY 1 HAVING count(*) > 1 LIMIT 20) t;
  IF twins IS NOT NULL THEN
    RAISE EXCEPTION 'certificate numbers that differ only in case, spaces or full-width forms are one number: %. Supersede one of each pair with a new number on the previous version, then upgrade.', twins;
  END IF;
  SELECT string_agg(format('%s at %s (equipment %s)', k, owner_id, ids), '; ') INTO twins FROM (
    SELECT owner_id, metrotrace_identifier_key(asset_code) AS k, string_agg(id || ': ' || asset_code, ', ') AS ids
    FROM equipment WHERE asset_code IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 20) t;
  IF twins IS NOT NULL THEN
    RAISE EXCEPTION 'asset codes of one owner that differ only in case, spaces or full-width forms are one code: %. Change one of each pair (UPDATE equipment SET asset_code = …), then upgrade.', twins;
  END IF;
END $$;
