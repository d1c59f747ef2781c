/** inValues: a list of any size and any characters reaches the database as exactly that list, as one parameter. */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowsOf } from '../../src/persistence/db.ts';
import { inValues } from '../../src/persistence/sql-helpers.ts';
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
}

it.run();
