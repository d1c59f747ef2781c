/** The database's metrotrace_identifier_key (migration 0020) gives the core's identifierKey, on every database. */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { identifierKey } from '../../src/core/registry/identifier.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { testDatabases } from '../helpers/db.ts';

const SAME = ['XH-JD2026-00317', 'xh-jd2026-00317', ' XH-JD2026-00317 ', 'ＸＨ－ＪＤ２０２６－００３１７', 'XH-JD2026-00317\u3000', '\u00a0XH-JD2026-00317', 'Xh-Jd2026\t-00317\n', '\ufeffXH-JD2026-00317'];
const OTHERS = ['［２０２２］沪徐量标证字第００１４号', '[2022] 沪徐量标证字 第0014号', 'XH_JD2026-00317', 'straße-ß', 'ǅ', 'Ⅻ', 'ﬁ', '\u2028a\u2029b\u1680c\u0085d', 'a\u200bb'];

const it = suite('metrotrace_identifier_key');

for (const database of testDatabases()) {
  it(`the database's key equals the core's on ${database.name}`, async () => {
    const { db } = await database.open();
    const inputs = [...SAME, ...OTHERS];
    for (const s of inputs) {
      const [row] = rowsOf<{ k: string }>(await db.execute(sql`select metrotrace_identifier_key(${s}) as k`));
      assert.is(row!.k, identifierKey(s), JSON.stringify(s));
    }
  });
}

it.run();
