/**
 * The traceability use case (app/traceability.ts) over the demo: chains up
 * to the national standard and why one is broken, the impact of a standard
 * found out of tolerance, findings and who may record them, the chain
 * uncertainty and the correlation two chains share (GUM 5.2), worked out by
 * hand from the demo's certificates.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { brokenBecause } from '../../src/app/traceability.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import type { ChainLink } from '../../src/core/traceability/chain.ts';
import { keyCaller, withDemoServices } from '../helpers/app-services.ts';
import { rejects } from '../helpers/app-units.ts';
import { testDatabases } from '../helpers/db.ts';

const AT = '2026-11-25' as CalendarDate;

/** The chain as [equipment, record] pairs, first reference first. */
function path(link: ChainLink): Array<[string, string | null]> {
  const out: Array<[string, string | null]> = [];
  for (let l: ChainLink | undefined = link; l; l = l.references[0]) out.push([l.equipmentId, l.record?.id ?? null]);
  return out;
}

for (const database of testDatabases()) {
  const it = suite(`app/traceability on ${database.name}`);

  it('a stall scale traces through the district F1 set and the city E1 set to the national kilogram', () =>
    withDemoServices(database, async ({ traceability }) => {
      const t = await traceability.trace('scale-stall-17', AT);
      assert.ok(t.traceable);
      assert.equal(t.findings, []);
      assert.equal(path(t.chain), [
        ['scale-stall-17', 'rec-stall17-2026'],
        // each link must hold on the day the link below used it: the scale was verified on 2026-03-12,
        // when the F1 set's 2025 certificate (to 2026-11-02) was in force, not its 2026 one
        ['district-f1-set', 'rec-district-f1-2025'],
        ['city-e1-set', 'rec-city-e1-2025'],
        ['nim-kg', null],
      ]);
      await rejects(traceability.trace('no-such-equipment', AT), 'NOT_FOUND', '');
    }));

  it('a chain whose own certificate expired is broken, and says why', () =>
    withDemoServices(database, async ({ traceability }) => {
      const t = await traceability.trace('scale-stall-42', AT);
      assert.not.ok(t.traceable);
      assert.equal(
        t.findings.map((f) => [f.code, f.equipmentId, f.recordId]),
        [['CERTIFICATE_EXPIRED', 'scale-stall-42', 'rec-stall42-2025']],
      );
      assert.is(brokenBecause(t), 'the chain is broken at 2026-11-25, so it carries no chain uncertainty (CERTIFICATE_EXPIRED at scale-stall-42)');
      const u = await traceability.uncertainty('scale-stall-42', AT);
      assert.equal([u.u, u.reason, u.budget], [null, brokenBecause(t), []]);
    }));

  it('chain uncertainty and correlation from the certificates: u(E1) = 0.000000080/2 at 1 kg; r(F1, E1) = 4·10⁻⁸ / 8.5·10⁻⁷ = 4/85', () =>
    withDemoServices(database, async ({ traceability }) => {
      const e1 = await traceability.uncertainty('city-e1-set', AT);
      assert.is(e1.u!.toFixed(), '0.00000004');
      assert.is(e1.budget.length, 2);
      // F1: U = 0.000034 kg at 20 kg, k = 2, so u = 8.5·10⁻⁷ relative; all of E1's is shared with it
      const c = await traceability.correlation('district-f1-set', 'city-e1-set', AT);
      assert.equal(c.shared, ['city-e1-set', 'nim-kg']);
      assert.is(c.r!.times(85).toFixed(30), '4.' + '0'.repeat(30));
      const broken = await traceability.correlation('scale-stall-42', 'city-e1-set', AT);
      assert.equal([broken.r, broken.shared], [null, []]);
      assert.match(broken.reason!, /^scale-stall-42: the chain is broken/);
      await rejects(traceability.correlation('city-e1-set', 'nope', AT), 'NOT_FOUND', '');
    }));

  it('the impact of the F1 set found out of tolerance: every instrument verified with it since the date', () =>
    withDemoServices(database, async ({ traceability }) => {
      const since2026 = await traceability.impact('district-f1-set', '2026-01-01');
      assert.equal(
        since2026.map((d) => [d.equipment.id, d.record.id]),
        [
          ['scale-stall-09', 'rec-stall09-2026'],
          ['scale-stall-17', 'rec-stall17-2026'],
          ['infant-scale-ward3', 'rec-infant-2026'],
        ],
      );
      const since2025 = (await traceability.impact('district-f1-set', '2025-01-01')).map((d) => d.record.id);
      assert.ok(since2025.includes('rec-stall42-2025') && since2025.includes('rec-stall17-2025-fail'), since2025.join());
      // from the E1 set, transitively: the F1 set calibrated with it on 2025-11-03, then what the F1 set verified after that day
      const fromE1 = (await traceability.impact('city-e1-set', '2025-06-01')).map((d) => d.equipment.id);
      assert.ok(fromE1.includes('district-f1-set') && fromE1.includes('scale-stall-17'), fromE1.join());
      assert.equal(await traceability.impact('scale-stall-17', '2020-01-01'), []);
      await rejects(traceability.impact('no-such-standard', '2026-01-01'), 'NOT_FOUND', '');
      await rejects(traceability.impact('district-f1-set', '2026-13-01'), 'INVALID_DATE', '?since');
    }));

  it('an out-of-tolerance finding: recorded once, listed, found by id, not dated in the future, and only by its own lab', () =>
    withDemoServices(database, async ({ traceability }) => {
      assert.equal(await traceability.findings(), []);
      const finding = { id: 'f-1', equipmentId: 'district-f1-set', foundOn: AT, lastKnownGood: '2026-06-01' as CalendarDate, remarks: 'intermediate check' };
      await traceability.recordOutOfTolerance(finding);
      assert.equal(
        (await traceability.findings('district-f1-set')).map((f) => [f.id, f.foundOn, f.lastKnownGood]),
        [['f-1', AT, '2026-06-01']],
      );
      assert.is((await traceability.finding('f-1')).equipmentId, 'district-f1-set');
      await rejects(traceability.finding('f-2'), 'NOT_FOUND', '');
      // what the F1 set was used for after its last known good day is now possibly suspect
      const suspect = await traceability.possiblySuspect();
      assert.ok(suspect.has('scale-stall-09') && !suspect.has('scale-stall-17'), [...suspect].join());
      await rejects(traceability.recordOutOfTolerance({ ...finding, id: 'f-3', foundOn: '2026-11-26' as CalendarDate }), 'DATE_IN_FUTURE', '/foundOn');
      await rejects(traceability.recordOutOfTolerance({ ...finding, id: 'f-4', equipmentId: 'nope' }), 'NOT_FOUND', '');
      await traceability.checkFindingWriter(keyCaller('lab', 'district-station'), 'district-f1-set');
      await traceability.checkFindingWriter(keyCaller('inspector', 'city-samr'), 'district-f1-set');
      await rejects(traceability.checkFindingWriter(keyCaller('lab', 'acme-cal'), 'district-f1-set'), 'FORBIDDEN', '');
      await rejects(traceability.checkFindingWriter(keyCaller('lab', 'acme-cal'), 'nope'), 'NOT_FOUND', '');
    }));

  it.run();
}
