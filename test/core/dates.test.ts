import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { addDays, addMonths, type CalendarDate, daysBetween, fromDayNumber, parseDate, toDayNumber } from '../../src/core/dates.ts';
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

dates.run();
