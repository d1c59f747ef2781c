/**
 * Lots of meters in service (app/lots.ts) over the demo: registering a lot
 * (the owner's own, of a catalogue category, each serial once), a sampling
 * plan by GB/T 2828.1 (1500 meters, level II: code K, n = 125, AQL 1.0
 * normal: Ac 3, Re 4) that anyone re-draws from what is published, and the
 * decision at the acceptance number and one above it. (test/http/lots.test.ts
 * covers the routes.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redrawLotPlan } from '../../src/app/lots.ts';
import { readLot, readResults, readSamplingPlan } from '../../src/codecs/lots.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { Services } from '../../src/main/services.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';
import { lotOfMeters } from '../helpers/app.ts';

const OWNER = keyCaller('owner', 'city-market');
const INSPECTOR = keyCaller('inspector', 'city-samr');
const lot = (id: string, to: number, over: Record<string, unknown> = {}) => readLot({ ...lotOfMeters(id, 1, to), ...over }, () => 'drawn');

/** Results with the first `bad` drawn meters out of tolerance at Q1 (error -6.2 % against an MPE of 5 %). */
function results(sample: ReadonlyArray<{ serial: string }>, bad: number) {
  return readResults({
    recordedOn: '2026-11-20',
    meters: sample.map((s, i) => ({
      serial: s.serial,
      points: [
        { testPoint: 'Q1', error: i < bad ? '-6.2' : '1.5', mpe: '5' },
        { testPoint: 'Q3', error: '0.8', mpe: '2' },
      ],
    })),
  });
}

async function planned(s: Services, id: string) {
  await s.lots.register(OWNER, lot(id, 1500));
  return s.lots.plan(
    INSPECTOR,
    id,
    readSamplingPlan({ id: `p-${id}`, plannedOn: '2026-11-02', seed: '2026-11-02 福彩3D 517', level: 'II', aql: '1.0' }, () => 'p'),
  );
}

for (const database of testDatabases()) {
  const it = suite(`app/lots on ${database.name}`);

  it('registers an owner’s lot of a catalogue category; refuses another’s, a regulator, an unknown category, a repeated serial, a lot of one', () =>
    withDemoServices(database, async (s) => {
      const registered = await s.lots.register(OWNER, lot('wm-a', 10));
      assert.equal([registered.ownerId, registered.size, registered.members, registered.registeredOn], ['city-market', 10, 10, '2026-01-05']);
      assert.is((await s.lots.lotAt('wm-a', '2026-06-01' as CalendarDate)).status?.state, 'in_service');
      await rejects(s.lots.register(OWNER, lot('wm-a', 10)), 'DUPLICATE', '/id');
      await rejects(s.lots.register(OWNER, lot('wm-b', 10, { ownerId: 'grid-co' })), 'FORBIDDEN', '/ownerId');
      await rejects(s.lots.register(keyCaller('admin', null), lot('wm-b', 10)), 'MISSING_FIELD', '/ownerId');
      await rejects(s.lots.register(keyCaller('admin', null), lot('wm-b', 10, { ownerId: 'city-samr' })), 'WRONG_ORGANISATION_KIND', '/ownerId');
      await rejects(s.lots.register(OWNER, lot('wm-b', 10, { category: 'MV999' })), 'UNKNOWN_REFERENCE', '/category');
      await rejects(s.lots.register(OWNER, lot('wm-b', 3, { members: { serials: ['A1', 'A1', 'A2'] } })), 'DUPLICATE', '/members');
      await rejects(s.lots.register(OWNER, lot('wm-b', 3, { members: { serials: ['A1'] } })), 'INVALID_FIELD', '/members');
      await rejects(s.lots.register(OWNER, lot('wm-b', 3, { registeredOn: '2026-11-26' })), 'DATE_IN_FUTURE', '/registeredOn');
      await rejects(s.lots.register(OWNER, lot('wm-b', 3, { registeredOn: '2020-06-30' })), 'INVALID_RANGE', '/installedFrom');
      // a registered meter of another category cannot join
      await rejects(
        s.lots.register(OWNER, lot('wm-b', 3, { members: { equipmentIds: ['scale-stall-17', 'scale-stall-42'] } })),
        'CATEGORY_MISMATCH',
        '/members/equipmentIds/0',
      );
      await rejects(s.lots.getLot('wm-b'), 'NOT_FOUND', ':id');
    }));

  it('a plan of 1500 meters at level II, AQL 1.0: code K, 125 drawn, Ac 3, Re 4; the published plan re-draws the same sample', () =>
    withDemoServices(database, async (s) => {
      await s.lots.register(OWNER, lot('wm-a', 1500));
      const plan = await s.lots.plan(
        INSPECTOR,
        'wm-a',
        readSamplingPlan({ id: 'p-a', plannedOn: '2026-11-02', seed: '2026-11-02 福彩3D 517', level: 'II', aql: '1.0' }, () => 'p'),
      );
      assert.equal([plan.severity, plan.codeLetter, plan.sampleSize, plan.acceptance, plan.rejection, plan.sample.length], ['normal', 'K', 125, 3, 4, 125]);
      assert.is(new Set(plan.sample.map((m) => m.serial)).size, 125, 'each meter drawn once');
      assert.is((await s.lots.lotAt('wm-a', '2026-11-10' as CalendarDate)).status?.state, 'under_sampling');
      const published = await s.lots.published('wm-a', 'p-a');
      assert.equal(redrawLotPlan(published, hmacSha256Hex, sha256Hex), []);
      assert.ok(redrawLotPlan({ ...published, plan: { ...published.plan, seed: 'another seed' } }, hmacSha256Hex, sha256Hex).length > 0);
    }));

  it('three nonconforming meters of 125 are accepted (Ac 3); four are not, and the lot is to rotate', () =>
    withDemoServices(database, async (s) => {
      const a = await planned(s, 'wm-a');
      const accepted = await s.lots.recordResults(INSPECTOR, 'wm-a', 'p-wm-a', results(a.sample, 3));
      assert.equal([accepted.nonconforming, accepted.decision], [3, 'accept']);
      const b = await planned(s, 'wm-b');
      const rejected = await s.lots.recordResults(INSPECTOR, 'wm-b', 'p-wm-b', results(b.sample, 4));
      assert.equal([rejected.nonconforming, rejected.decision], [4, 'reject']);
      assert.is((await s.lots.lotAt('wm-b', '2026-11-25' as CalendarDate)).status?.state, 'to_rotate');
      // the decision is final
      await rejects(s.lots.recordResults(INSPECTOR, 'wm-b', 'p-wm-b', results(b.sample, 0)), 'ALREADY_DECIDED');
    }));

  it("only the regulator's inspector (or an admin) draws a plan or records results, whoever calls the service", () =>
    withDemoServices(database, async (s) => {
      await s.lots.register(OWNER, lot('wm-a', 1500));
      const request = readSamplingPlan({ id: 'p-a', plannedOn: '2026-11-02', seed: 'seed', level: 'II', aql: '1.0' }, () => 'p');
      for (const caller of [OWNER, keyCaller('lab', 'district-station'), keyCaller('auditor', 'city-samr'), { kind: 'public' } as const])
        await rejects(s.lots.plan(caller, 'wm-a', request), 'FORBIDDEN', 'authorization');
      const plan = await s.lots.plan(keyCaller('admin', null), 'wm-a', request);
      await rejects(s.lots.recordResults(OWNER, 'wm-a', plan.id, results(plan.sample, 0)), 'FORBIDDEN', 'authorization');
      assert.is((await s.lots.recordResults(INSPECTOR, 'wm-a', plan.id, results(plan.sample, 0))).decision, 'accept');
    }));

  it.run();
}
