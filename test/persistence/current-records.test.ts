/**
 * The current_records view (migration 0043): the records no correction
 * supersedes, with every column of calibration_records. An existing database
 * at 0042 upgrades to it with its current verifications unchanged, and a
 * correction written after the upgrade takes its record's place, both in the
 * view and in verification_current (whose refresh now reads the view). On
 * PGlite always, on the PostgreSQL server of DATABASE_URL too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MIGRATIONS_FOLDER, rowsOf } from '../../src/persistence/db.ts';
import { createServices, referenceData } from '../../src/main/services.ts';
import { loadRegistryData } from '../../src/app/demo.ts';
import { DEMO_DATA } from '../helpers/fresh.ts';
import { TEST_TODAY } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import { migrationsUpTo, rowsAsJson, upgradeTargets } from '../helpers/upgrade.ts';

const NOT_SUPERSEDED = 'select * from calibration_records cr where not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id)';

for (const { name, open } of upgradeTargets('metrotrace_current')) {
  const test = suite(`current_records on ${name}`);

  test('a database at 0042 upgrades: the view is the records not superseded, verification_current as it was, and a later correction replaces its record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrotrace-current-records-'));
    const target = await open();
    try {
      const old = migrationsUpTo(dir, 42);
      await target.migrate(old);
      const { db } = target;
      assert.is(rowsOf<{ v: string | null }>(await db.execute(sql`select to_regclass('current_records')::text as v`))[0]!.v, null, 'no view yet');

      // Today's stores read current_records: while they load the demo into the old schema, a stand-in
      // view of the same predicate serves them; it is dropped before the upgrade, which makes its own.
      await db.execute(sql.raw(`create view current_records as ${NOT_SUPERSEDED}`));
      const services = createServices(db, randomUUID, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
      await loadRegistryData(services.unitOfWork, DEMO_DATA, randomUUID, services.rules);
      await db.execute(sql`drop view current_records`);
      const current = await rowsAsJson(db, NOT_SUPERSEDED);
      const verifications = await rowsAsJson(db, 'select * from verification_current');
      assert.ok(current.length > 20 && verifications.length > 5, 'the demo has records and current verifications');

      await target.migrate(MIGRATIONS_FOLDER);

      assert.equal(await rowsAsJson(db, 'select * from current_records'), current);
      assert.equal(await rowsAsJson(db, 'select * from verification_current'), verifications);

      // a correction of a current verification, written after the upgrade
      const vc = rowsOf<{ equipment_id: string; record_id: string }>(
        await db.execute(sql`select equipment_id, record_id from verification_current order by equipment_id limit 1`),
      )[0]!;
      await db.execute(sql`insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on, valid_until, conformity, supersedes)
        select 'corrected-after-upgrade', kind, subject_id, lab_id, 'CORRECTED-AFTER-UPGRADE', performed_on, valid_until, 'fail', id
        from calibration_records where id = ${vc.record_id}`);
      const ids = rowsOf<{ id: string }>(await db.execute(sql`select id from current_records where subject_id = ${vc.equipment_id}`)).map((r) => r.id);
      assert.ok(ids.includes('corrected-after-upgrade') && !ids.includes(vc.record_id), 'the correction is current, its record no longer');
      const now = rowsOf<{ record_id: string; conformity: string }>(
        await db.execute(sql`select record_id, conformity from verification_current where equipment_id = ${vc.equipment_id}`),
      )[0]!;
      assert.equal(now, { record_id: 'corrected-after-upgrade', conformity: 'fail' }, 'verification_current follows the correction');
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.run();
}

const columns = suite('current_records has the columns of calibration_records');
for (const database of testDatabases()) {
  columns(`on ${database.name}`, async () => {
    const { db } = await database.open();
    const of = async (table: string) =>
      rowsOf<{ c: string }>(
        await db.execute(
          sql`select column_name || ' ' || data_type as c from information_schema.columns where table_schema = current_schema() and table_name = ${table} order by ordinal_position`,
        ),
      ).map((r) => r.c);
    const table = await of('calibration_records');
    assert.ok(table.length > 20);
    assert.equal(await of('current_records'), table, 'a migration that adds a column to calibration_records redefines the view');
  });
}
columns.run();
