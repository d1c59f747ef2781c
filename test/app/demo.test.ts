/**
 * Loading a registry data set (app/demo.ts) over the empty test database: a
 * small set lands whole with its summary, a bad item fails at its position in
 * the set (the item's index before the field's path) and leaves nothing
 * behind; isEmpty tells a fresh registry from a loaded one.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isEmpty, loadRegistryData } from '../../src/app/demo.ts';
import { DrizzleRegistryStore } from '../../src/persistence/registry-store.ts';
import { DrizzleUnitOfWork } from '../../src/persistence/unit-of-work.ts';
import { DEMO, sequentialIds, TEST_RULES } from '../helpers/app.ts';
import { rejects } from '../helpers/app-units.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';

const demo = DEMO as Record<string, Array<Record<string, unknown>>>;
const byId = (list: string, id: string) => structuredClone(demo[list]!.find((x) => x.id === id)!);

/** Two organisations, the lab's scope and a stall scale of the demo, its events and no records. */
function smallSet(): Record<string, unknown> {
  return {
    $comment: 'a small data set',
    organisations: [byId('organisations', 'district-station'), byId('organisations', 'city-market')],
    equipment: [byId('equipment', 'scale-stall-17')],
    events: [{ equipmentId: 'scale-stall-17', kind: 'suspended', effectiveOn: '2026-05-01', reason: 'display fault' }],
  };
}

for (const database of testDatabases()) {
  const it = suite(`app/demo on ${database.name}`);
  const inEmpty = (work: (tx: Parameters<Parameters<typeof inRollback>[1]>[0]) => Promise<void>) => async () => {
    const { db } = await database.open();
    await inRollback(db, work);
  };

  it(
    'a small data set lands whole, and the summary counts every list (absent ones as 0)',
    inEmpty(async (tx) => {
      const store = new DrizzleRegistryStore(tx);
      assert.ok(await isEmpty(store));
      const summary = await loadRegistryData(new DrizzleUnitOfWork(tx), smallSet(), sequentialIds('load'), TEST_RULES);
      assert.equal(summary, {
        organisations: 2,
        scopes: 0,
        scopeAmendments: 0,
        equipment: 1,
        events: 1,
        records: 0,
        policies: 0,
        capacities: 0,
        energyInventories: 0,
      });
      assert.not.ok(await isEmpty(store));
      assert.is((await store.getEquipment('scale-stall-17'))?.ownerId, 'city-market');
      const events = await store.listEvents('scale-stall-17');
      assert.equal(
        events.map((e) => [e.kind, e.effectiveOn, e.id]),
        [['suspended', '2026-05-01', 'load-1']],
      );
    }),
  );

  it(
    'a bad item fails at its position in the set, and nothing of the set lands',
    inEmpty(async (tx) => {
      const store = new DrizzleRegistryStore(tx);
      const work = new DrizzleUnitOfWork(tx);
      const orphan = smallSet();
      (orphan.equipment as Array<Record<string, unknown>>)[0]!.ownerId = 'no-such-owner';
      await rejects(loadRegistryData(work, orphan, sequentialIds(), TEST_RULES), 'UNKNOWN_REFERENCE', '/equipment/0/ownerId');
      assert.ok(await isEmpty(store), 'the organisations before it were rolled back');

      const badDate = smallSet();
      (badDate.events as Array<Record<string, unknown>>)[0]!.effectiveOn = '2026-02-30';
      await rejects(loadRegistryData(work, badDate, sequentialIds(), TEST_RULES), 'INVALID_DATE', '/events/0/effectiveOn');

      const noEquipment = smallSet();
      delete (noEquipment.events as Array<Record<string, unknown>>)[0]!.equipmentId;
      await rejects(loadRegistryData(work, noEquipment, sequentialIds(), TEST_RULES), 'MISSING_FIELD', '/events/0/equipmentId');

      await rejects(loadRegistryData(work, { scopes: [{ id: 's' }] }, sequentialIds(), TEST_RULES), 'MISSING_FIELD', '/scopes/0/labId');
      await rejects(loadRegistryData(work, { scopeAmendments: [{ labId: 'x' }] }, sequentialIds(), TEST_RULES), 'MISSING_FIELD', '/scopeAmendments/0/scopeId');
      await rejects(loadRegistryData(work, { widgets: [] }, sequentialIds(), TEST_RULES), 'UNKNOWN_FIELD', '/widgets');
      await rejects(
        loadRegistryData(work, { energyInventories: [{ organisationId: 'x', inventory: {}, extra: 1 }] }, sequentialIds(), TEST_RULES),
        'UNKNOWN_FIELD',
        '/energyInventories/0/extra',
      );
      assert.ok(await isEmpty(store));
    }),
  );

  const chainSet = () => ({
    organisations: ['nim', 'city-institute', 'acme-cal', 'grid-co', 'steel-works'].map((id) => byId('organisations', id)),
    scopes: demo.scopes!.filter((s) => ['acme-cal', 'nim', 'city-institute'].includes(s.labId as string)).map((s) => structuredClone(s)),
    equipment: ['nim-energy-std', 'city-energy-std', 'grid-portable-std', 'steel-main-meter'].map((id) => byId('equipment', id)),
    events: demo.events!.filter((e) => e.equipmentId === 'grid-portable-std').map((e) => structuredClone(e)),
    records: demo
      .records!.filter((r) =>
        [
          'rec-city-energy-2023',
          'rec-city-energy-2025',
          'rec-city-energy-2026',
          'rec-grid-ps-2023',
          'rec-grid-ps-2026',
          'rec-steel-2026',
          'rec-steel-2026-corr',
        ].includes(r.id as string),
      )
      .map((r) => structuredClone(r)),
  });

  it(
    'records come after the events they rely on, in file order: a correction follows the record it supersedes',
    inEmpty(async (tx) => {
      const summary = await loadRegistryData(new DrizzleUnitOfWork(tx), chainSet(), sequentialIds(), TEST_RULES);
      assert.equal(
        [summary.records, summary.events, summary.scopes],
        [7, 1, demo.scopes!.filter((s) => ['acme-cal', 'nim', 'city-institute'].includes(s.labId as string)).length],
      );
      assert.is((await new DrizzleRegistryStore(tx).getRecord('rec-steel-2026'))?.supersededBy, 'rec-steel-2026-corr');
    }),
  );

  it(
    'a correction placed before the record it supersedes fails at the correction',
    inEmpty(async (tx) => {
      const set = chainSet();
      const original = set.records.findIndex((r) => r.id === 'rec-steel-2026');
      const [moved] = set.records.splice(original, 1);
      set.records.push(moved!);
      const at = set.records.findIndex((r) => r.id === 'rec-steel-2026-corr');
      await rejects(loadRegistryData(new DrizzleUnitOfWork(tx), set, sequentialIds(), TEST_RULES), 'UNKNOWN_REFERENCE', `/records/${at}/supersedes`);
    }),
  );

  it.run();
}
