-- metrotrace_identifier_key: the live definition, as migration 0022_identifier_key_lookalikes.sql last wrote it.
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
