/** A region's meters by installation year or age and state, counted by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { lotPopulationBy, type PopulationLot } from '../../../src/core/sampling/population.ts';

const d = (s: string) => s as CalendarDate;
const lots: PopulationLot[] = [
  { id: 'a', size: 200, installedFrom: d('2020-07-01'), state: 'to_rotate' },
  { id: 'b', size: 150, installedFrom: d('2020-02-01'), state: 'extended' },
  { id: 'c', size: 300, installedFrom: d('2024-03-01'), state: 'in_service' },
  { id: 'd', size: 50, installedFrom: d('2024-09-01'), state: 'in_service' },
  { id: 'later', size: 999, installedFrom: d('2026-01-01'), state: null },
];

test('by installation year: meters and lots of each state, zeros included; a lot not registered yet is not counted', () => {
  const p = lotPopulationBy(lots, d('2026-06-30'), 'installation_year');
  assert.equal(
    p.groups.map((g) => [g.key, g.meters, g.lots]),
    [
      [2020, 350, 2],
      [2024, 350, 2],
    ],
  );
  assert.equal(p.groups[0]!.byState, {
    in_service: { meters: 0, lots: 0 },
    under_sampling: { meters: 0, lots: 0 },
    extended: { meters: 150, lots: 1 },
    to_rotate: { meters: 200, lots: 1 },
    rotated: { meters: 0, lots: 0 },
  });
  assert.equal(p.groups[1]!.byState.in_service, { meters: 350, lots: 2 });
  assert.equal([p.totals.meters, p.totals.lots, p.totals.byState.in_service.meters, p.totals.byState.to_rotate.lots], [700, 4, 350, 1]);
});

test('by age at the date: lots of one installation year may be of two ages', () => {
  const p = lotPopulationBy(lots, d('2026-06-30'), 'age');
  assert.equal(
    p.groups.map((g) => [g.key, g.meters, g.lots]),
    [
      [1, 50, 1],
      [2, 300, 1],
      [5, 200, 1],
      [6, 150, 1],
    ],
  );
  assert.equal(lotPopulationBy([], d('2026-06-30'), 'age').groups, []);
});

test.run();
