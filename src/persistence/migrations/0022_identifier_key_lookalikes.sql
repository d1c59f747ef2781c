-- The comparison key of a printed identifier now also reads the Cyrillic and Greek
-- letters drawn like a Latin one (their Unicode TR 39 confusables.txt prototype is
-- that letter) as that Latin capital: "ХН-1" typed in Cyrillic is "XH-1". The same
-- function as identifierKey() in src/core/registry/identifier.ts (the second pair of
-- translate() strings is its LOOKALIKE_LETTERS, in order); a test holds them to the
-- same answers on every letter of the table.
CREATE OR REPLACE FUNCTION metrotrace_identifier_key(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT translate(
    regexp_replace(normalize(t, NFKC), E'[\\t\\n\\v\\f\\r \\u0085\\u1680\\u2028\\u2029\\ufeff]', '', 'g'),
    'abcdefghijklmnopqrstuvwxyz' || 'ͿΑΒΕΖΗΙΚΜΝΟΡΤΥΧαγινορσυϜϳϺЅІЈАВЕКМНОРСТУХагеорсухѕіјѡѴѵҮүһҽӀӏԁԌԛԜԝ',
    'ABCDEFGHIJKLMNOPQRSTUVWXYZ' || 'JABEZHIKMNOPTYXAYIVOPOUFJMSIJABEKMHOPCTYXAREOPCYXSIJWVVYYHEIIDGQWW')
$$;
--> statement-breakpoint
-- A registry may hold a number beside its look-alike (a Cyrillic Х beside the Latin X):
-- under the new key they are one number and the unique indexes could not be rebuilt.
-- Say which they are and what to do instead (the upgrade stops here and changes nothing).
DO $$
DECLARE
  twins text;
BEGIN
  SELECT string_agg(format('%s (records %s)', k, ids), '; ') INTO twins FROM (
    SELECT metrotrace_identifier_key(certificate_no) AS k, string_agg(id || ': ' || certificate_no, ', ') AS ids
    FROM calibration_records GROUP BY 1 HAVING count(*) > 1 LIMIT 20) t;
  IF twins IS NOT NULL THEN
    RAISE EXCEPTION 'certificate numbers that differ only in Cyrillic or Greek letters drawn like Latin ones are one number: %. Supersede the look-alike with a new number on the previous version, then upgrade.', twins;
  END IF;
  SELECT string_agg(format('%s at %s (equipment %s)', k, owner_id, ids), '; ') INTO twins FROM (
    SELECT owner_id, metrotrace_identifier_key(asset_code) AS k, string_agg(id || ': ' || asset_code, ', ') AS ids
    FROM equipment WHERE asset_code IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1 LIMIT 20) t;
  IF twins IS NOT NULL THEN
    RAISE EXCEPTION 'asset codes of one owner that differ only in Cyrillic or Greek letters drawn like Latin ones are one code: %. Change the look-alike (UPDATE equipment SET asset_code = …), then upgrade.', twins;
  END IF;
END $$;
--> statement-breakpoint
-- The unique indexes hold keys computed by the old function: compute them again.
REINDEX INDEX calibration_records_certificate_key_idx;
--> statement-breakpoint
REINDEX INDEX equipment_owner_asset_key_idx;
