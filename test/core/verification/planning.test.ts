/** Capacity planning, checked against plans worked out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { type DueVerification, type Institution, planVerifications } from '../../../src/core/verification/planning.ts';

const d = (s: string) => s as CalendarDate;
const lab = (labId: string, regionCode: string, monthly: number, category = 'MV016'): Institution => ({
  labId,
  regionCode,
  capacities: [{ category, monthly, validFrom: d('2026-01-01'), validUntil: d('2030-12-31') }],
});
const item = (equipmentId: string, dueOn: string | null, category = 'MV016', regionCode = '310104'): DueVerification => ({
  equipmentId,
  category,
  regionCode,
  dueOn: dueOn === null ? null : d(dueOn),
});

test('latest first: each verification lands in the latest month up to its due month with capacity', () => {
  // capacity 2 a month; five due in February, one in March
  const items = ['a', 'b', 'c', 'd', 'e'].map((id) => item(id, '2027-02-20')).concat(item('f', '2027-03-05'));
  const plan = planVerifications({ from: d('2027-01-01'), months: 3, items, institutions: [lab('L', '310104', 2)] });
  const month = Object.fromEntries(plan.assignments.map((a) => [a.equipmentId, a.month]));
  // by hand: f → March; a, b → February (equal dates by id); c, d → January; e → nothing up to February: overflow, then late in March
  assert.equal(month, { f: '2027-03', a: '2027-02', b: '2027-02', c: '2027-01', d: '2027-01', e: '2027-03' });
  assert.equal(plan.overflow, [{ month: '2027-02', category: 'MV016', count: 1, unplaced: 0 }]);
  assert.equal(plan.summary, { due: 6, onTime: 5, late: 1, unplaced: 0, alreadyOverdue: 0 });
  assert.ok(plan.assignments.find((a) => a.equipmentId === 'e')!.late);
});

test('what finds no month at all is unplaced, and says why', () => {
  const items = [item('a', '2027-01-10'), item('b', '2027-01-10'), item('c', '2027-01-10'), item('gas', '2027-01-10', 'MV026')];
  const plan = planVerifications({ from: d('2027-01-01'), months: 1, items, institutions: [lab('L', '310104', 2)] });
  assert.equal(
    plan.unplaced.map((u) => [u.equipmentId, u.reason]),
    [
      ['c', 'no_capacity_in_horizon'],
      ['gas', 'no_authorised_institution'],
    ],
  );
  assert.equal(plan.overflow, [
    { month: '2027-01', category: 'MV016', count: 1, unplaced: 1 },
    { month: '2027-01', category: 'MV026', count: 1, unplaced: 1 },
  ]);
});

test('already overdue instruments are due in the first month and, when it is full, scheduled late rather than dropped', () => {
  const items = [item('old1', null), item('old2', null), item('soon', '2027-01-15')];
  const plan = planVerifications({ from: d('2027-01-01'), months: 2, items, institutions: [lab('L', '310104', 2)] });
  assert.is(plan.summary.alreadyOverdue, 2);
  const month = Object.fromEntries(plan.assignments.map((a) => [a.equipmentId, [a.month, a.late]]));
  // soon takes January first (latest due first), old1 the other January slot, old2 goes late into February
  assert.equal(month, { old1: ['2027-01', true], old2: ['2027-02', true], soon: ['2027-01', false] });
  assert.equal(plan.overflow, [], 'an overdue instrument that is scheduled is late, not overflow');
});

test('an institution in the owner region is preferred; then the one with most capacity left; capacity outside its validity is zero', () => {
  const far = lab('A-far', '320100', 5);
  const near = lab('Z-near', '310000', 1);
  const plan = planVerifications({ from: d('2027-01-01'), months: 1, items: [item('x', '2027-01-31'), item('y', '2027-01-30')], institutions: [far, near] });
  assert.equal(
    plan.assignments.map((a) => [a.equipmentId, a.labId]),
    [
      ['y', 'A-far'],
      ['x', 'Z-near'],
    ],
    'x (latest due) takes the one local slot',
  );
  const expired: Institution = {
    labId: 'E',
    regionCode: '310104',
    capacities: [{ category: 'MV016', monthly: 9, validFrom: d('2026-01-01'), validUntil: d('2026-12-31') }],
  };
  const none = planVerifications({ from: d('2027-01-01'), months: 1, items: [item('x', '2027-01-31')], institutions: [expired] });
  assert.is(none.summary.unplaced, 1);
  assert.equal(none.load, []);
});

test('the plan is deterministic: the same input in another order gives the same plan', () => {
  const items = Array.from({ length: 200 }, (_, i) =>
    item(
      `i${String(i).padStart(3, '0')}`,
      `2027-0${1 + (i % 6)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      i % 3 === 0 ? 'MV025' : 'MV016',
      i % 2 ? '310104' : '310115',
    ),
  );
  const institutions = [lab('L1', '310104', 12), lab('L2', '310115', 9), lab('L3', '310000', 7, 'MV025')];
  const a = planVerifications({ from: d('2027-01-01'), months: 6, items, institutions });
  const b = planVerifications({ from: d('2027-01-01'), months: 6, items: [...items].reverse(), institutions: [...institutions].reverse() });
  assert.equal(a, b);
  // nothing is silently dropped: every item is assigned or unplaced
  assert.is(a.assignments.length + a.unplaced.length, items.length);
  for (const cell of a.load) assert.ok(cell.assigned <= cell.capacity, `${cell.labId} ${cell.month} over capacity`);
});

test('an authorisation counts in every month it touches, short months and leap days included', () => {
  const window = (validFrom: string, validUntil: string): Institution => ({
    labId: 'L',
    regionCode: '310104',
    capacities: [{ category: 'MV016', monthly: 1, validFrom: d(validFrom), validUntil: d(validUntil) }],
  });
  const capacity = (validFrom: string, validUntil: string) =>
    planVerifications({ from: d('2028-01-15'), months: 5, items: [], institutions: [window(validFrom, validUntil)] }).load.map((c) => c.month);
  // by hand: a window from the last day of a month gives it capacity; one ending on the first day of a month too
  assert.equal(capacity('2028-02-29', '2028-04-01'), ['2028-02', '2028-03', '2028-04']);
  assert.equal(capacity('2028-03-01', '2028-04-30'), ['2028-03', '2028-04']);
  assert.equal(capacity('2028-01-31', '2028-01-31'), ['2028-01']);
  assert.equal(capacity('2027-01-01', '2027-12-31'), []);
  assert.equal(capacity('2028-05-31', '2030-01-01'), ['2028-05']);
});

test.run();
