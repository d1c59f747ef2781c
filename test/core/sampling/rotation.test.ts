/** The rotation plan by month and region, worked by hand: due months, overdue items, capacity, lateness. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import type { MetrologyError } from '../../../src/core/errors.ts';
import { planRotation, type RotationItem } from '../../../src/core/sampling/rotation.ts';

const d = (s: string) => s as CalendarDate;
const lot = (id: string, region: string, meters: number, rotateBy: string): RotationItem => ({
  kind: 'lot',
  id,
  ownerId: 'o',
  regionCode: region,
  meters,
  rotateBy: d(rotateBy),
  reason: id,
});
const meter = (id: string, region: string, rotateBy: string): RotationItem => ({
  kind: 'instrument',
  id,
  ownerId: 'o',
  regionCode: region,
  meters: 1,
  rotateBy: d(rotateBy),
  reason: id,
});

const items = [
  lot('late-lot', '310104', 500, '2026-06-30'),
  lot('dec-lot', '310104', 300, '2026-12-31'),
  lot('jan-lot', '310105', 200, '2027-01-10'),
  meter('m1', '310105', '2026-12-05'),
  lot('beyond', '310104', 900, '2027-02-01'),
];

test('each item in the month of its rotation date, an overdue one in the first month; past the horizon, none', () => {
  const plan = planRotation({ from: d('2026-12-03'), months: 2, items });
  assert.equal(
    plan.rows.map((r) => [r.month, r.regionCode, r.due, r.overdue, r.lots, r.instruments, r.scheduled, r.late]),
    [
      ['2026-12', '310104', 800, 500, ['late-lot', 'dec-lot'], 0, 800, 0],
      ['2026-12', '310105', 1, 0, [], 1, 1, 0],
      ['2027-01', '310105', 200, 0, ['jan-lot'], 0, 200, 0],
    ],
  );
  assert.equal(plan.summary, { lots: 3, instruments: 1, meters: 1001, overdue: 500, late: 0, unplaced: 0 });
  assert.is(plan.to, '2027-01-31');
});

test('with a capacity, earliest rotation date first, split across months; late and unplaced counted', () => {
  // 600 a month: December takes late-lot (500), m1 (1) and 99 of dec-lot; January the other 201 of dec-lot
  // (late: due in December) and all 200 of jan-lot (401 ≤ 600)
  const plan = planRotation({ from: d('2026-12-03'), months: 2, items, capacityPerMonth: 600 });
  const cell = (m: string, r: string) => plan.rows.find((x) => x.month === m && x.regionCode === r)!;
  assert.equal([cell('2026-12', '310104').scheduled, cell('2026-12', '310105').scheduled], [599, 1]);
  assert.equal([cell('2027-01', '310104').scheduled, cell('2027-01', '310104').late, cell('2027-01', '310104').due], [201, 201, 0]);
  assert.equal([cell('2027-01', '310105').scheduled, cell('2027-01', '310105').late], [200, 0]);
  assert.equal([plan.summary.late, plan.summary.unplaced], [201, 0]);
  // 400 a month: 800 places, 201 do not
  const tight = planRotation({ from: d('2026-12-03'), months: 2, items, capacityPerMonth: 400 });
  assert.equal([tight.summary.unplaced, tight.rows.reduce((s, r) => s + r.scheduled, 0)], [201, 800]);
});

test('a bad horizon or capacity is refused with its field', () => {
  for (const [input, path] of [
    [{ months: 0 }, '?months'],
    [{ months: 2, capacityPerMonth: -1 }, '?capacityPerMonth'],
  ] as const) {
    try {
      planRotation({ from: d('2026-12-03'), items, ...input });
      assert.unreachable();
    } catch (e) {
      assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['INVALID_FIELD', path]);
    }
  }
});

test.run();
