/**
 * Supervision use cases (app/supervision.ts) over the demo: an in-use
 * inspection judged from its findings and written with the prohibition it
 * makes; a spot-check plan drawn in the regulator's own region, re-drawn from
 * what it publishes, closed once and disclosed; who may act. (The HTTP suite
 * test/http/supervision.test.ts covers the same through the routes.)
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redraw } from '../../src/app/supervision.ts';
import { readInspection, readPlanRequest } from '../../src/codecs/supervision.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { hmacSha256Hex, sha256Hex } from '../../src/runtime/digests.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';

const INSPECTOR = keyCaller('inspector', 'city-samr');
const inspection = (over: Record<string, unknown> = {}) =>
  readInspection(
    {
      equipmentId: 'scale-stall-17',
      inspectedOn: '2026-11-20',
      inspectors: ['张检查', '李检查'],
      findings: { labelPresent: true, labelMatches: true, sealIntact: false, points: [{ nominal: '10', indication: '10.005', unit: 'kg', inUseMpe: '0.010' }] },
      ...over,
    },
    () => 'insp-1',
  );
const plan = (over: Record<string, unknown> = {}) =>
  readPlanRequest(
    {
      id: 'plan-1',
      title: 'Q4 spot check',
      drawDate: '2026-11-25',
      seed: '2026-11-25 lottery 4 0 7',
      filter: { region: '31' },
      stratifyBy: 'region',
      sample: { rate: '0.5' },
      inspectors: [
        { id: 'insp-zhang', regions: ['310104'], conflicts: ['city-hospital'] },
        { id: 'insp-li', regions: [] },
        { id: 'insp-wang', regions: [] },
      ],
      ...over,
    },
    () => 'plan-x',
  );

for (const database of testDatabases()) {
  const it = suite(`app/supervision on ${database.name}`);

  it('a broken seal prohibits use: the inspection states why, with the error at each point, and the scale may not be used from that day', () =>
    withDemoServices(database, async ({ supervision, verification, registry }) => {
      const recorded = await supervision.recordInspection(INSPECTOR, inspection());
      assert.equal(
        [recorded.outcome, recorded.reasons, recorded.verificationState, recorded.organisationId, recorded.regulatorId],
        ['prohibited', ['seal_broken'], 'in_force', 'city-market', 'city-samr'],
      );
      // 10.005 kg shown for 10 kg: an error of 0.005 kg, within the in-use MPE of 0.010 kg
      assert.equal([recorded.points[0]!.error, recorded.points[0]!.withinMpe], ['0.005', true]);
      assert.equal(
        (await registry.listEvents('scale-stall-17')).map((e) => [e.kind, e.effectiveOn]),
        [['use_prohibited', '2026-11-20']],
      );
      assert.is((await verification.status('scale-stall-17', '2026-11-25' as CalendarDate)).status.state, 'use_prohibited');
      assert.is((await verification.status('scale-stall-17', '2026-11-19' as CalendarDate)).status.state, 'in_force');
      assert.equal(
        (await supervision.listInspections('scale-stall-17')).map((i) => i.id),
        ['insp-1'],
      );
      assert.is((await supervision.getInspection('insp-1')).outcome, 'prohibited');
      await rejects(supervision.getInspection('nope'), 'NOT_FOUND', '');
    }));

  it('a missing label is to be rectified within 15 days, and writes no event; an inspection cannot contradict its findings', () =>
    withDemoServices(database, async ({ supervision, registry }) => {
      const noLabel = {
        equipmentId: 'scale-stall-42',
        inspectedOn: '2026-10-10',
        findings: { labelPresent: false, labelMatches: null, sealIntact: true, points: [] },
      };
      const r = await supervision.recordInspection(INSPECTOR, inspection(noLabel));
      assert.equal([r.outcome, r.reasons, r.rectifyBy], ['rectify', ['label_missing'], '2026-10-25']);
      assert.equal(await registry.listEvents('scale-stall-42'), []);
      await rejects(supervision.recordInspection(INSPECTOR, inspection({ outcome: 'compliant' })), 'OUTCOME_CONTRADICTS_FINDINGS', '/outcome');
    }));

  it('no inspection in the future, of unknown or scrapped equipment', () =>
    withDemoServices(database, async ({ supervision }) => {
      await rejects(supervision.recordInspection(INSPECTOR, inspection({ inspectedOn: '2026-11-26' })), 'DATE_IN_FUTURE', '/inspectedOn');
      await rejects(supervision.recordInspection(INSPECTOR, inspection({ equipmentId: 'nope' })), 'UNKNOWN_REFERENCE', '/equipmentId');
      // scale-stall-09 was scrapped on 2026-10-08
      await rejects(supervision.recordInspection(INSPECTOR, inspection({ equipmentId: 'scale-stall-09' })), 'INVALID_TRANSITION', '/equipmentId');
    }));

  it('a plan is drawn in the regulator’s own region, re-draws the same from what it publishes, closes once and is then disclosed', () =>
    withDemoServices(database, async ({ supervision }) => {
      const published = await supervision.drawPlan(INSPECTOR, plan());
      assert.is(published.regulatorId, 'city-samr');
      assert.ok(published.population.length > 0 && published.result.targets.length > 0);
      // every unit drawn is owned in region 31…, and is in service: the scrapped stall 09 is not among them
      assert.ok(published.population.every((u) => u.region.startsWith('31')));
      assert.not.ok(published.population.some((u) => u.id === 'scale-stall-09'));
      assert.equal(redraw(published, hmacSha256Hex, sha256Hex).differences, []);
      // a population altered after the draw is found out
      const altered = { ...published, population: published.population.slice(1) };
      assert.ok(redraw(altered, hmacSha256Hex, sha256Hex).differences.length > 0);
      await rejects(supervision.populationText('plan-1'), 'NOT_FOUND', '');

      await rejects(supervision.disclosure('plan-1'), 'NOT_FOUND', '');
      await rejects(supervision.closePlan(INSPECTOR, 'plan-1', '2026-11-24' as CalendarDate), 'INVALID_RANGE', '/closedOn');
      await rejects(supervision.closePlan(INSPECTOR, 'plan-1', '2026-11-26' as CalendarDate), 'DATE_IN_FUTURE', '/closedOn');
      await supervision.closePlan(INSPECTOR, 'plan-1', '2026-11-25' as CalendarDate);
      await rejects(supervision.closePlan(INSPECTOR, 'plan-1', '2026-11-25' as CalendarDate), 'INVALID_TRANSITION', '');
      // once closed, the population is public, and it is what the published hash is of
      assert.is(sha256Hex(await supervision.populationText('plan-1')), published.populationHash);
      const disclosed = await supervision.disclosure('plan-1');
      assert.equal(
        disclosed.targets.map((t) => t.unitId),
        published.result.targets.map((t) => t.unitId),
      );
      assert.ok(disclosed.targets.every((t) => t.outcome === 'not_inspected'));
      assert.not.ok(JSON.stringify(disclosed).includes('insp-zhang'), 'no inspectors in the disclosure');
    }));

  it('only an inspector in its own name, or an admin naming the regulator, draws a plan; never outside the region', () =>
    withDemoServices(database, async ({ supervision }) => {
      await rejects(supervision.drawPlan(INSPECTOR, plan({ filter: { region: '11' } })), 'FORBIDDEN', '/filter/region');
      await rejects(supervision.drawPlan(INSPECTOR, plan({ regulatorId: 'other-samr' })), 'FORBIDDEN', '/regulatorId');
      await rejects(supervision.drawPlan(keyCaller('admin', null), plan()), 'MISSING_FIELD', '/regulatorId');
      await rejects(supervision.drawPlan(INSPECTOR, plan({ drawDate: '2026-11-26' })), 'DATE_IN_FUTURE', '/drawDate');
      const byAdmin = await supervision.drawPlan(keyCaller('admin', null), plan({ regulatorId: 'city-samr' }));
      assert.is(byAdmin.regulatorId, 'city-samr');
      await rejects(supervision.getPlan('plan-1', keyCaller('inspector', 'other')), 'FORBIDDEN', ':id');
    }));

  it.run();
}
