/**
 * One transaction over every store (persistence/unit-of-work.ts) on the empty test database:
 * what the stores write inside it lands together, or none of it does;
 * the stores it hands out sign their ledger entries with its key ring.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { NO_LEDGER_KEYS } from '../../src/app/ledger.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { DrizzleUnitOfWork, storesOver } from '../../src/persistence/unit-of-work.ts';
import { withEmptyServices } from '../helpers/app-services.ts';
import { countOf, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const org = { id: 'uow-org', name: 'Unit of work Co.', kind: 'enterprise' as const, regionCode: '310104', accreditation: null };

for (const database of testDatabases()) {
  const it = suite(`persistence/unit-of-work on ${database.name}`);

  it('a failure inside the transaction leaves nothing any store wrote; a success keeps it all, signed', () =>
    withEmptyServices(database, async (_s, tx) => {
      const work = new DrizzleUnitOfWork(tx, TEST_LEDGER_KEYS);
      let failed = false;
      try {
        await work.transaction(async (stores) => {
          await stores.registry.insertOrganisation(org);
          await stores.energy.insertInventory({ id: 'uow-inv', organisationId: 'uow-org', version: 1, document: {} });
          throw new Error('abort');
        });
      } catch {
        failed = true;
      }
      assert.ok(failed);
      const registry = new DrizzleRegistryStore(tx);
      assert.is(await registry.getOrganisation('uow-org'), undefined);
      const done = await work.transaction(async (stores) => {
        await stores.registry.insertOrganisation(org);
        await stores.energy.insertInventory({ id: 'uow-inv', organisationId: 'uow-org', version: 1, document: {} });
        return 'done';
      });
      assert.is(done, 'done');
      assert.is((await registry.getOrganisation('uow-org'))?.name, 'Unit of work Co.');
      assert.is(
        await countOf(tx, "select count(*) as n from ledger l join ledger_macs m on m.seq = l.seq where l.kind = 'organisation' and l.entity_id = 'uow-org'"),
        1,
      );
    }));

  it('the stores over a database: every kind, and no signing without a key ring', () =>
    withEmptyServices(database, async (_s, tx) => {
      const stores = storesOver(tx);
      assert.equal(Object.keys(stores).sort(), ['energy', 'filed', 'registry', 'supervision', 'verification']);
      await stores.registry.insertOrganisation({ ...org, id: 'uow-unsigned' });
      assert.is(await countOf(tx, "select count(*) as n from ledger l join ledger_macs m on m.seq = l.seq where l.entity_id = 'uow-unsigned'"), 0);
      assert.is(NO_LEDGER_KEYS.signingKeyId, null);
    }));

  it.run();
}
