/** The database's metrotrace_identifier_key (migrations 0020, 0022) gives the core's identifierKey, on every database. */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { identifierKey, LOOKALIKE_LETTERS } from '../../src/core/registry/identifier.ts';
import { rowsOf } from '../../src/persistence/db.ts';
import { testDatabases } from '../helpers/db.ts';
import { bareMemoryPglite, migrationsUpTo } from '../helpers/upgrade.ts';

const SAME = [
  'XH-JD2026-00317',
  'xh-jd2026-00317',
  ' XH-JD2026-00317 ',
  'ＸＨ－ＪＤ２０２６－００３１７',
  'XH-JD2026-00317\u3000',
  '\u00a0XH-JD2026-00317',
  'Xh-Jd2026\t-00317\n',
  '\ufeffXH-JD2026-00317',
];
const OTHERS = [
  '［２０２２］沪徐量标证字第００１４号',
  '[2022] 沪徐量标证字 第0014号',
  'XH_JD2026-00317',
  'straße-ß',
  'ǅ',
  'Ⅻ',
  'ﬁ',
  '\u2028a\u2029b\u1680c\u0085d',
  'a\u200bb',
];
/** Look-alikes: every letter of the table alone and in a number, and the letters around it that are not in it. */
const LOOKALIKES = [
  ...LOOKALIKE_LETTERS.map(([letter]) => letter),
  LOOKALIKE_LETTERS.map(([letter]) => letter).join(''),
  '\u0425\u041d-JD2026-00317',
  'хһ-ԁ2026',
  'ДЖЗИЛПФЦЧШЩЪЫЬЭЮЯбвгдж',
  'ΓΔΘΛΞΠΣΦΨΩβδεζηθκλμξπςτφχψω',
  'ϒϱϲϹ µ Ω K Å',
];

const it = suite('metrotrace_identifier_key');

for (const database of testDatabases()) {
  it(`the database's key equals the core's on ${database.name}`, async () => {
    const { db } = await database.open();
    const inputs = [...SAME, ...OTHERS, ...LOOKALIKES];
    for (const s of inputs) {
      const [row] = rowsOf<{ k: string }>(await db.execute(sql`select metrotrace_identifier_key(${s}) as k`));
      assert.is(row!.k, identifierKey(s), JSON.stringify(s));
    }
  });
}

it.run();

const upgrade = suite('upgrading a registry that holds twins');

upgrade('migration 0020 stops with the twins named, before 0021 would fail on them', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const { MIGRATIONS_FOLDER } = await import('../../src/persistence/db.ts');
  // the migrations as they stood before 0020
  const before = mkdtempSync(join(tmpdir(), 'metrotrace-migrations-'));
  try {
    const client = await bareMemoryPglite();
    const db = drizzle({ client });
    await migrate(db, { migrationsFolder: migrationsUpTo(before, 19) });
    await client.exec(`
      insert into organisations (id, name, kind, region_code) values ('lab', 'Lab', 'calibration_lab', '310000');
      insert into equipment (id, owner_id, name, quantity, range_unit, accuracy_kind, accuracy_class, level, usage, status)
        values ('e1', 'lab', 'e1', 'mass', 'kg', 'class', 'F1', 'working_instrument', 'other', 'in_service');
      insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity)
        values ('r1', 'verification', 'e1', 'lab', 'XH-1', '2026-01-01', '2027-01-01', 'pass'),
               ('r2', 'verification', 'e1', 'lab', 'xh-1', '2026-02-01', '2027-02-01', 'fail');`);
    let error = '';
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } catch (e) {
      error = String((e as { cause?: unknown }).cause ?? e);
    }
    assert.match(error, /certificate numbers that differ only in case, spaces or full-width forms are one number: XH-1 \(records r1: XH-1, r2: xh-1\)/);
    const [idx] = (await client.query<{ n: number }>(`select count(*)::int as n from pg_indexes where indexname = 'calibration_records_certificate_key_idx'`))
      .rows;
    assert.is(idx!.n, 0, 'nothing of the upgrade applied');
    await client.close();
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
});

upgrade('migration 0022 stops with the look-alike twins named, and leaves the old key in place', async () => {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const { MIGRATIONS_FOLDER } = await import('../../src/persistence/db.ts');
  const before = mkdtempSync(join(tmpdir(), 'metrotrace-migrations-'));
  try {
    const client = await bareMemoryPglite();
    const db = drizzle({ client });
    await migrate(db, { migrationsFolder: migrationsUpTo(before, 21) });
    // written before the look-alike check: a Latin number and its twin with a Cyrillic Х
    await client.query(`
      insert into organisations (id, name, kind, region_code) values ('lab', 'Lab', 'calibration_lab', '310000')`);
    await client.query(`
      insert into equipment (id, owner_id, name, quantity, range_unit, accuracy_kind, accuracy_class, level, usage, status)
        values ('e1', 'lab', 'e1', 'mass', 'kg', 'class', 'F1', 'working_instrument', 'other', 'in_service')`);
    await client.query(
      `insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity)
        values ('r1', 'verification', 'e1', 'lab', 'XH-1', '2026-01-01', '2027-01-01', 'pass'),
               ('r2', 'verification', 'e1', 'lab', $1, '2026-02-01', '2027-02-01', 'fail')`,
      ['\u0425H-1'],
    );
    let error = '';
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    } catch (e) {
      error = String((e as { cause?: unknown }).cause ?? e);
    }
    assert.match(
      error,
      /certificate numbers that differ only in Cyrillic or Greek letters drawn like Latin ones are one number: XH-1 \(records r1: XH-1, r2: \u0425H-1\)/,
    );
    const [key] = (await client.query<{ k: string }>(`select metrotrace_identifier_key($1) as k`, ['\u0425H-1'])).rows;
    assert.is(key!.k, '\u0425H-1', 'the old function is still in place: nothing of the upgrade applied');
    await client.close();
  } finally {
    rmSync(before, { recursive: true, force: true });
  }
});

upgrade.run();
