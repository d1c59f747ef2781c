/** Interval adjustment methods against worked examples computed by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import type { Equipment } from '../../../src/core/registry/types.ts';
import { balancedShortening, type Observation, observationsOf, reliabilityTarget, staircase } from '../../../src/core/verification/interval.ts';

const obs = (inTolerance: boolean, fraction: string | null, elapsedDays: number | null = 365, i = 0): Observation => ({
  recordId: `r${i}`,
  performedOn: '2020-01-01' as CalendarDate,
  elapsedDays,
  inTolerance,
  fractionOfMpe: fraction === null ? null : new Decimal(fraction),
});

test('the balanced shortening factor: R = 0.90, a = 0.10 gives b = 1 − 1.1^−9', () => {
  // 1.1^9 = 2.357947691, so b = 1 − 0.4240976184 = 0.5759023816
  assert.is(balancedShortening(new Decimal('0.10'), new Decimal('0.90')).toSignificantDigits(10).toString(), '0.5759023816');
});

test('staircase worked example: 12 → 13.2 → 14.52 → 14.52 → 6.158 → 6 months', () => {
  // in at 50 % of MPE: ×1.1 = 13.2; in at 60 %: ×1.1 = 14.52; in at 90 % (beyond the 80 % guard): kept;
  // out of tolerance: ×(1 − 0.5759023816) = 14.52 × 0.4240976184 = 6.157897419 → 6
  const r = staircase([obs(true, '0.5'), obs(true, '0.6'), obs(true, '0.9'), obs(false, '1.2')], { initialMonths: new Decimal(12), legalMonths: null });
  assert.equal(
    r.steps.map((s) => s.months.toSignificantDigits(10).toString()),
    ['13.2', '14.52', '14.52', '6.157897419'],
  );
  assert.is(r.recommendedMonths, 6);
  assert.is(r.capped, false);
});

test('staircase never exceeds the legal interval of a mandatory instrument', () => {
  const r = staircase([obs(true, '0.1'), obs(true, '0.2')], { initialMonths: new Decimal(12), legalMonths: 12 });
  assert.is(r.computedMonths!.toString(), '14.52');
  assert.equal([r.recommendedMonths, r.capped], [12, true]);
  assert.match(r.reasoning.join(' '), /capped at the legal interval of 12 months/);
});

test('reliability target worked example: 20 yearly intervals, one out of tolerance', () => {
  // equal intervals: exp(−λ·365) = 19/20, so the interval for R = 0.90 is 365·ln 0.90 / ln 0.95
  // = 365 × 0.1053605157 / 0.0512932944 = 749.7365 days = 24.632 months (days × 12 / 365.25) → 24
  const history = Array.from({ length: 20 }, (_, i) => obs(i !== 7, null, 365, i));
  const r = reliabilityTarget(history, { legalMonths: null });
  assert.is(r.computedMonths!.toSignificantDigits(5).toString(), '24.632');
  assert.is(r.recommendedMonths, 24);
});

test('reliability target with no failure uses the 95 % upper bound of λ; with too little data it declines', () => {
  // λ = −ln 0.05 / (5 × 365) = 2.995732274 / 1825 = 0.001641497 per day; t = 0.1053605157 / λ = 64.186 days = 2.109 months → 2
  const r = reliabilityTarget(
    Array.from({ length: 5 }, (_, i) => obs(true, null, 365, i)),
    { legalMonths: null },
  );
  assert.is(r.computedMonths!.toSignificantDigits(4).toString(), '2.109');
  assert.is(r.recommendedMonths, 2);
  const few = reliabilityTarget([obs(true, null), obs(false, null)], { legalMonths: null });
  assert.is(few.recommendedMonths, null);
  assert.match(few.reasoning.join(' '), /at least 5 observed intervals/);
});

test('observations from records: in tolerance from conformity, or from as-found errors against the MPE', () => {
  const e = { id: 'b', accuracy: { kind: 'mpe', mpe: '0.002', unit: 'kg' } } as unknown as Equipment;
  const rec = (id: string, on: string, asFound: string) =>
    ({ id, kind: 'calibration', performedOn: on, conformity: null, points: [{ nominal: '1', asFound }] }) as never;
  const o = observationsOf(e, [rec('r2', '2021-01-12', '1.0006'), rec('r1', '2020-01-15', '0.9975')]);
  assert.equal(
    o.map((x) => [x.recordId, x.elapsedDays, x.inTolerance, x.fractionOfMpe!.toString()]),
    [
      ['r1', null, false, '1.25'],
      ['r2', 363, true, '0.3'],
    ],
  );
});

test.run();
