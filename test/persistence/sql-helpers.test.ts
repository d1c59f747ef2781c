/**
 * inValues: a list of any size and any characters reaches the database as exactly that list, as one parameter.
 * textArray: arrays of text, integers (with nulls), booleans and dates are bound parameters that arrive as sent.
 */
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowsOf } from '../../src/persistence/db.ts';
import { inValues, textArray } from '../../src/persistence/sql-helpers.ts';
import { testDatabases } from '../helpers/db.ts';

const it = suite('inValues');
const AWKWARD = ['plain', 'a"b', 'c\\d', 'e,f', '{g}', ' h ', 'NULL', '', "i'j", '检定', '\\"'];

for (const database of testDatabases()) {
  it(`awkward values and 70,000 of them on ${database.name}`, async () => {
    const { db } = await database.open();
    const values = sql.raw(`(values ${[...AWKWARD, 'absent'].map((v) => `('${v.replace(/'/g, "''")}')`).join(',')}) as t(v)`);
    const found = rowsOf<{ v: string }>(await db.execute(sql`select v from ${values} where ${inValues(sql`v`, AWKWARD)} order by v`)).map((r) => r.v);
    assert.is(found.length, AWKWARD.length, 'every awkward value matched, and nothing else');
    assert.equal(new Set(found), new Set(AWKWARD));
    const many = Array.from({ length: 70_000 }, (_, i) => `id-${i}`);
    const [row] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from generate_series(0, 99999) g where ${inValues(sql`'id-' || g`, many)}`),
    );
    assert.is(Number(row!.n), 70_000, 'more values than PostgreSQL takes parameters');
  });

  it(`arrays as bound parameters, with nulls, on ${database.name}`, async () => {
    const { db } = await database.open();
    const ints = [3, null, -12];
    const flags = [true, false, true];
    const days = ['2024-02-29', '1999-12-31', '2024-02-29'];
    const q = sql`select t, i, b, d::text as d from unnest(${textArray(AWKWARD.slice(0, 3))}::text[], ${textArray(ints)}::int[], ${textArray(flags)}::boolean[], ${textArray(days)}::date[]) as u(t, i, b, d)`;
    const built = new PgDialect().sqlToQuery(q);
    assert.is(built.params.length, 4, 'four bound parameters');
    assert.not.match(built.sql, /2024|plain/, 'no value is spliced into the text');
    const rows = rowsOf<{ t: string; i: number | null; b: boolean; d: string }>(await db.execute(q));
    assert.equal(
      rows.map((r) => [r.t, r.i === null ? null : Number(r.i), r.b, r.d]),
      AWKWARD.slice(0, 3).map((t, k) => [t, ints[k], flags[k], days[k]]),
    );
  });
}

it.run();
