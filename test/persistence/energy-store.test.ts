/**
 * Energy inventories and audits as stored (persistence/energy-store.ts) over
 * the demo: the latest version of an inventory, audits entering the ledger
 * and listed by date then id, and a transaction over the energy and registry
 * stores that writes all or nothing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../src/core/dates.ts';
import { DrizzleEnergyStore } from '../../src/persistence/energy-store.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const audit = (id: string, at: string) => ({
  id,
  organisationId: 'city-hospital',
  at: at as CalendarDate,
  inventoryId: 'city-hospital-inventory-1',
  rulesVersion: 'test',
  input: { at },
  result: { verdict: 'compliant', digits: '0.1000' },
});

for (const database of testDatabases()) {
  const it = suite(`persistence/energy-store on ${database.name}`);

  it('the latest inventory is the highest version; each version is kept and read by id', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleEnergyStore(tx, TEST_LEDGER_KEYS);
      const v1 = await store.latestInventory('city-hospital');
      assert.equal([v1?.id, v1?.version], ['city-hospital-inventory-1', 1]);
      await store.insertInventory({ id: 'city-hospital-inventory-2', organisationId: 'city-hospital', version: 2, document: { points: [] } });
      assert.is((await store.latestInventory('city-hospital'))?.version, 2);
      assert.equal((await store.getInventory('city-hospital-inventory-2'))?.document, { points: [] });
      assert.is((await store.getInventory('city-hospital-inventory-1'))?.version, 1);
      assert.is(await store.latestInventory('city-market'), undefined);
      assert.is(await store.getInventory('nope'), undefined);
    }));

  it('an audit is stored as given (its JSON intact), enters the ledger, and audits list by date then id', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleEnergyStore(tx, TEST_LEDGER_KEYS);
      await store.insertAudit(audit('b', '2026-11-01'));
      await store.insertAudit(audit('a', '2026-11-01'));
      await store.insertAudit(audit('c', '2026-10-01'));
      const got = await store.getAudit('a');
      assert.equal([got?.at, got?.result, got?.input], ['2026-11-01', { verdict: 'compliant', digits: '0.1000' }, { at: '2026-11-01' }]);
      assert.equal(
        (await store.listAudits('city-hospital')).map((x) => x.id),
        ['c', 'a', 'b'],
      );
      assert.is(await countOf(tx, "select count(*) as n from ledger where kind = 'energy_audit' and entity_id in ('a', 'b', 'c')"), 3);
      assert.is(await store.getAudit('nope'), undefined);
    }));

  it('a transaction over the energy and registry stores writes all or nothing', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleEnergyStore(tx, TEST_LEDGER_KEYS);
      let failed = false;
      try {
        await store.transaction(async (energy, registry) => {
          assert.is((await registry.getOrganisation('city-hospital'))?.kind, 'enterprise');
          await energy.insertInventory({ id: 'inv-x', organisationId: 'city-hospital', version: 9, document: {} });
          throw new Error('abort');
        });
      } catch {
        failed = true;
      }
      assert.ok(failed);
      assert.is(await store.getInventory('inv-x'), undefined);
      await store.transaction(async (energy) => energy.insertInventory({ id: 'inv-y', organisationId: 'city-hospital', version: 9, document: {} }));
      assert.is((await store.latestInventory('city-hospital'))?.id, 'inv-y');
    }));

  it.run();
}
