/**
 * main/verification-services.ts: the part of the composition a status needs,
 * over the demo: the shipped reference data read once, and the services wired
 * to one another (the status of an instrument is the one createServices gives,
 * the lots and the registry share the stores).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createVerificationServices, referenceData } from '../../src/main/verification-services.ts';
import { sequentialIds, TEST_TODAY } from '../helpers/app.ts';
import { withDemoServices } from '../helpers/app-services.ts';
import { testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const pure = suite('main/verification-services: reference data');

pure('the shipped charts, catalogues and GB 17167 rules, read once per process', () => {
  const data = referenceData();
  assert.is(referenceData(), data, 'the same object the second time');
  assert.ok(data.charts.length > 0 && data.catalogues.length > 0);
  assert.is(data.energyRules.version, 'GB 17167-2006');
});

pure.run();

for (const database of testDatabases()) {
  const it = suite(`main/verification-services on ${database.name}`);

  it('the status, due list and lots over the demo, as the full composition gives them', () =>
    withDemoServices(database, async (full, tx) => {
      const part = createVerificationServices(tx, sequentialIds('v'), referenceData(), () => TEST_TODAY, TEST_LEDGER_KEYS);
      for (const id of ['scale-stall-17', 'scale-stall-42', 'water-meter-0231'])
        assert.equal((await part.verification.status(id, TEST_TODAY)).status, (await full.verification.status(id, TEST_TODAY)).status, id);
      assert.is((await part.verification.lookup({ certificateNo: 'XH-JD2026-00317' }, TEST_TODAY)).status.equipmentId, 'scale-stall-17');
      const chain = await part.traceability.trace('scale-stall-17', TEST_TODAY);
      assert.equal(chain.traceable, (await full.traceability.trace('scale-stall-17', TEST_TODAY)).traceable);
      // the registry reads through the same store the part holds
      assert.is((await part.registry.getOrganisation('city-market')).id, 'city-market');
      assert.ok(await part.store.getOrganisation('city-market'));
      assert.is(part.registry.newId(), 'v-1', 'ids from the generator given');
    }));

  it.run();
}
