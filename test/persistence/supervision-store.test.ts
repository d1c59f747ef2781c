/**
 * Supervision as stored (persistence/supervision-store.ts) over the demo:
 * inspections listed by equipment, organisation, plan and dates (after
 * `from`, up to and including `to`); what a draw is made from (instruments
 * or organisations of a region and kinds); failed verifications per owner in
 * a window (from exclusive, to inclusive).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readInspection } from '../../src/codecs/supervision.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { DrizzleSupervisionStore } from '../../src/persistence/supervision-store.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { testDatabases } from '../helpers/db.ts';

const d = (s: string) => s as CalendarDate;
const noLabel = (id: string, equipmentId: string, inspectedOn: string) =>
  readInspection(
    { id, equipmentId, inspectedOn, inspectors: ['张检查'], findings: { labelPresent: false, labelMatches: null, sealIntact: true, points: [] } },
    () => id,
  );

for (const database of testDatabases()) {
  const it = suite(`persistence/supervision-store on ${database.name}`);

  it('inspections by equipment, organisation and dates: after from, up to and including to, in date order', () =>
    withDemoServices(database, async (s, tx) => {
      const inspector = keyCaller('inspector', 'city-samr');
      await s.supervision.recordInspection(inspector, noLabel('i-2', 'scale-stall-42', '2026-10-10'));
      await s.supervision.recordInspection(inspector, noLabel('i-1', 'scale-stall-42', '2026-09-01'));
      await s.supervision.recordInspection(inspector, noLabel('i-3', 'thermometer-ward3', '2026-10-10'));
      const store = new DrizzleSupervisionStore(tx);
      const ids = async (f: Parameters<typeof store.listInspections>[0]) => (await store.listInspections(f)).map((i) => i.id);
      assert.equal(await ids({ equipmentId: 'scale-stall-42' }), ['i-1', 'i-2']);
      assert.equal(await ids({ organisationIds: ['city-hospital'] }), ['i-3']);
      assert.equal(await ids({ organisationIds: [] }), []);
      assert.equal(await ids({ from: d('2026-09-01') }), ['i-2', 'i-3']);
      assert.equal(await ids({ to: d('2026-09-01') }), ['i-1']);
      assert.equal(await ids({ asKnownAt: '2000-01-01T00:00:00Z' }), []);
      const got = (await store.getInspection('i-2'))!;
      assert.equal([got.outcome, got.organisationId, got.regulatorId, got.rectifyBy], ['rectify', 'city-market', 'city-samr', '2026-10-25']);
      assert.is(await store.getInspection('nope'), undefined);
    }));

  it('what a draw is made from: working instruments or organisations of a region, of the kinds asked', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleSupervisionStore(tx);
      const orgs = await store.drawCandidates({ unit: 'organisation', regionPrefix: '310104', organisationKinds: ['enterprise'] });
      assert.equal(
        orgs.map((o) => o.id),
        ['city-hospital', 'city-market'],
      );
      const scales = await store.drawCandidates({ unit: 'instrument', regionPrefix: '31', category: 'MV016', usage: 'trade_settlement' });
      // stall 09 is registered in service (its scrapping is an event, which the use case applies)
      assert.equal(
        scales.map((c) => [c.id, c.organisationId, c.region]),
        [
          ['scale-stall-09', 'city-market', '310104'],
          ['scale-stall-17', 'city-market', '310104'],
          ['scale-stall-42', 'city-market', '310104'],
        ],
      );
      assert.equal(await store.drawCandidates({ unit: 'instrument', regionPrefix: '11' }), []);
    }));

  it('failed verifications per owner in (from, to]', () =>
    withDemoServices(database, async (_s, tx) => {
      const store = new DrizzleSupervisionStore(tx);
      const owners = ['city-market', 'city-hospital', 'steel-works'];
      // stall 17 failed on 2025-03-10, stall 09 on 2026-09-15, the infant scale on 2026-06-02
      assert.equal([...(await store.failedVerifications(owners, d('2025-01-01'), d('2026-11-25')))].sort(), [
        ['city-hospital', 1],
        ['city-market', 2],
      ]);
      assert.equal([...(await store.failedVerifications(owners, d('2025-03-10'), d('2026-09-15')))].sort(), [
        ['city-hospital', 1],
        ['city-market', 1],
      ]);
      assert.equal([...(await store.failedVerifications(owners, d('2026-06-02'), d('2026-09-14')))], []);
      assert.equal([...(await store.failedVerifications([], d('2020-01-01'), d('2026-11-25')))], []);
    }));

  it.run();
}
