import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  addDays,
  addMonths,
  type CalendarDate,
  compareDates,
  daysBetween,
  firstDayOfMonth,
  fromDayNumber,
  horizonEnd,
  lastDayOfMonth,
  monthIndex,
  monthKey,
  parseDate,
  toDayNumber,
  wholeYears,
  yearOf,
} from '../../src/core/dates.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const d = (s: string) => parseDate(s, '');
const dates = suite('calendar dates');

dates('parses real dates and rejects impossible ones', () => {
  assert.is(d('2024-02-29'), '2024-02-29');
  for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '26-01-01', '2026-1-1', '2026-01-01T00:00', '']) {
    assert.throws(
      () => d(bad),
      (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_DATE',
      bad,
    );
  }
  assert.throws(
    () => parseDate(20260101, '/at'),
    (e: unknown) => (e as MetrologyError).path === '/at',
  );
});

dates('day numbers agree with the Unix epoch and round-trip', () => {
  assert.is(toDayNumber(d('1970-01-01')), 0);
  assert.is(toDayNumber(d('2000-03-01')), 11017);
  assert.is(toDayNumber(d('1969-12-31')), -1);
  for (let n = -719162; n < 2932896; n += 997) assert.is(toDayNumber(fromDayNumber(n)), n);
});

dates('adds days and months, clamping to the month end', () => {
  assert.is(addDays(d('2026-12-31'), 1), '2027-01-01');
  assert.is(addDays(d('2024-03-01'), -1), '2024-02-29');
  assert.is(addMonths(d('2026-01-31'), 1), '2026-02-28');
  assert.is(addMonths(d('2024-01-31'), 1), '2024-02-29');
  assert.is(addMonths(d('2026-11-25'), 12), '2027-11-25');
  assert.is(addMonths(d('2026-03-15'), -15), '2024-12-15');
  assert.is(daysBetween(d('2026-01-01'), d('2027-01-01') as CalendarDate), 365);
});

dates('numbers months consecutively across year ends', () => {
  assert.is(monthIndex(d('2026-12-03')), 2026 * 12 + 11);
  assert.is(monthIndex(d('2027-01-31')) - monthIndex(d('2026-12-01')), 1);
  assert.is(monthIndex(d('2026-01-01')) - monthIndex(d('2024-02-29')), 23);
  assert.is(monthKey(monthIndex(d('2026-12-03'))), '2026-12');
  assert.is(monthKey(monthIndex(d('2026-12-03')) + 1), '2027-01');
  assert.is(monthKey(monthIndex(d('0001-01-01')) - 1), '0000-12');
  // every day of a month has its month's index, and the next day of its last day the next index
  for (let n = toDayNumber(d('2023-12-25')); n < toDayNumber(d('2025-01-10')); n++) {
    const day = fromDayNumber(n);
    assert.is(monthKey(monthIndex(day)), day.slice(0, 7), day);
  }
});

dates('gives the first and last day of a month, short months and leap years included', () => {
  const m = (s: string) => monthIndex(d(s));
  assert.is(firstDayOfMonth(m('2026-02-17')), '2026-02-01');
  assert.is(lastDayOfMonth(m('2026-02-17')), '2026-02-28');
  assert.is(lastDayOfMonth(m('2024-02-01')), '2024-02-29');
  assert.is(lastDayOfMonth(m('2100-02-01')), '2100-02-28');
  assert.is(lastDayOfMonth(m('2000-02-01')), '2000-02-29');
  assert.is(lastDayOfMonth(m('2026-04-30')), '2026-04-30');
  assert.is(lastDayOfMonth(m('2026-12-31')), '2026-12-31');
  for (let i = m('2023-01-01'); i < m('2027-01-01'); i++) {
    assert.is(addDays(lastDayOfMonth(i), 1), firstDayOfMonth(i + 1), monthKey(i));
    assert.is(parseDate(lastDayOfMonth(i), ''), lastDayOfMonth(i));
  }
});

dates('counts whole years as birthdays', () => {
  assert.equal(
    [wholeYears(d('2020-07-01'), d('2026-06-30')), wholeYears(d('2020-07-01'), d('2026-07-01')), wholeYears(d('2024-02-29'), d('2025-02-28'))],
    [5, 6, 0],
  );
  assert.is(wholeYears(d('2024-02-29'), d('2025-03-01')), 1);
  assert.is(wholeYears(d('2026-07-01'), d('2026-07-01')), 0);
  assert.is(yearOf(d('0999-12-31')), 999);
});

dates('compares dates in calendar order', () => {
  assert.is(compareDates(d('2026-01-31'), d('2026-02-01')), -1);
  assert.is(compareDates(d('2027-01-01'), d('2026-12-31')), 1);
  assert.is(compareDates(d('2026-05-05'), d('2026-05-05')), 0);
  const shuffled = ['2026-03-01', '2025-12-31', '2026-02-28', '2024-02-29'].map(d);
  assert.equal([...shuffled].sort(compareDates), ['2024-02-29', '2025-12-31', '2026-02-28', '2026-03-01']);
});

dates('a horizon of whole months ends on the last day of its last month (the rotation plan and the verification plan)', () => {
  assert.is(horizonEnd(d('2026-12-03'), 2), '2027-01-31');
  assert.is(horizonEnd(d('2026-01-31'), 1), '2026-01-31');
  assert.is(horizonEnd(d('2027-11-15'), 4), '2028-02-29', 'into a leap February');
  assert.is(horizonEnd(d('2026-01-01'), 12), '2026-12-31');
});

dates.run();
