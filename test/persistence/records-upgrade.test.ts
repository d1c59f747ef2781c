/**
 * Upgrading a database with records to the partitioned records table
 * (migration 0041): every record, its references and points are kept as they
 * were, each record now lies in its year's partition, the derived current
 * verifications are unchanged, and the ledger (whose content of a record is
 * built from those rows) still verifies under its key. On PGlite always, on the
 * PostgreSQL server of DATABASE_URL too.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MIGRATIONS_FOLDER, rowsOf } from '../../src/persistence/db.ts';
import { DrizzleLedgerStore } from '../../src/persistence/ledger-store.ts';
import { LedgerService } from '../../src/app/ledger.ts';
import { createServices, referenceData } from '../../src/main/services.ts';
import { loadRegistryData } from '../../src/app/demo.ts';
import { DEMO_DATA } from '../helpers/fresh.ts';
import { TEST_TODAY } from '../helpers/app.ts';
import { countOf } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';
import { migrationsUpTo, rowsAsJson, upgradeTargets } from '../helpers/upgrade.ts';

for (const { name, open } of upgradeTargets('metrotrace_upgrade')) {
  const test = suite(`upgrading records to year partitions on ${name}`);

  test('the records, their references and points, the current verifications and the ledger survive the upgrade as they were', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrotrace-records-upgrade-'));
    const target = await open();
    try {
      // the migrations up to 0040: the records table as it was
      const old = migrationsUpTo(dir, 40);
      await target.migrate(old);
      const { db } = target;
      assert.is(await countOf(db, `select count(*)::int as n from pg_inherits where inhparent = 'calibration_records'::regclass`), 0, 'not partitioned yet');

      // Today's stores read current_records (migration 0043): while they load the demo into the old
      // schema, a stand-in view of the same predicate serves them; dropped before the upgrade makes its own.
      await db.execute(
        sql`create view current_records as select * from calibration_records cr where not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id)`,
      );
      const services = createServices(db, randomUUID, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
      await loadRegistryData(services.unitOfWork, DEMO_DATA, randomUUID, services.rules);
      await db.execute(sql`drop view current_records`);
      const ledger = () => new LedgerService(new DrizzleLedgerStore(db), { keys: TEST_LEDGER_KEYS }).verify();
      const before = await ledger();
      assert.ok(before.valid && before.authenticated, 'the ledger verifies before');
      const records = await rowsAsJson(db, 'select * from calibration_records');
      const references = await rowsAsJson(db, 'select * from record_references');
      const points = await rowsAsJson(db, 'select * from measured_points');
      const current = await rowsAsJson(db, 'select * from verification_current');
      assert.ok(records.length > 20, `the demo has records (${records.length})`);
      const years = rowsOf<{ y: number }>(await db.execute(sql`select distinct extract(year from performed_on)::int as y from calibration_records`)).map(
        (r) => r.y,
      );
      assert.ok(years.length > 1, 'over several years');

      await target.migrate(MIGRATIONS_FOLDER);

      assert.ok((await countOf(db, `select count(*)::int as n from pg_inherits where inhparent = 'calibration_records'::regclass`)) > years.length);
      assert.equal(await rowsAsJson(db, 'select * from calibration_records'), records);
      assert.equal(await rowsAsJson(db, 'select * from record_references'), references);
      assert.equal(await rowsAsJson(db, 'select * from measured_points'), points);
      assert.equal(await rowsAsJson(db, 'select * from verification_current'), current);
      // each record in its year's partition
      assert.is(
        await countOf(
          db,
          `select count(*)::int as n from calibration_records where tableoid::regclass::text <> 'calibration_records_y' || extract(year from performed_on)::int`,
        ),
        0,
      );
      const after = await ledger();
      assert.equal([after.valid, after.authenticated, after.checked], [true, true, before.checked], 'the ledger verifies after, every entry');

      // and the upgraded registry takes a new record through every rule, into its year
      const subject = rowsOf<{ id: string }>(await db.execute(sql`select equipment_id as id from verification_current limit 1`))[0]!.id;
      assert.ok(subject);
      await db.execute(
        sql.raw(`insert into calibration_records (id, kind, subject_id, lab_id, certificate_no, performed_on)
          select 'after-upgrade', 'calibration', '${subject}', lab_id, 'AFTER-UPGRADE-1', '${TEST_TODAY}' from calibration_records limit 1`),
      );
      assert.is(
        rowsOf<{ p: string }>(await db.execute(sql`select tableoid::regclass::text as p from calibration_records where id = 'after-upgrade'`))[0]!.p,
        `calibration_records_y${TEST_TODAY.slice(0, 4)}`,
      );
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.run();
}
