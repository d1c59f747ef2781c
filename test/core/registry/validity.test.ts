/** How long a record may be relied on: stated, from the policy's interval, or its own day only; worked out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { validityOf } from '../../../src/core/registry/validity.ts';

const d = (s: string) => s as CalendarDate;
const rec = (performedOn: string, validUntil: string | null) => ({ performedOn: d(performedOn), validUntil: validUntil === null ? null : d(validUntil) });

test('a stated validity wins over any policy', () => {
  assert.equal(validityOf(rec('2026-03-01', '2026-09-30'), 12), { until: '2026-09-30', basis: 'stated' });
  assert.equal(validityOf(rec('2026-03-01', '2026-09-30'), null), { until: '2026-09-30', basis: 'stated' });
});

test("without one, the policy's interval from the performance date, less a day, clamped to short months", () => {
  assert.equal(validityOf(rec('2026-03-01', null), 12), { until: '2027-02-28', basis: 'interval' });
  assert.equal(validityOf(rec('2027-03-01', null), 12), { until: '2028-02-29', basis: 'interval' });
  assert.equal(validityOf(rec('2026-01-31', null), 1), { until: '2026-02-27', basis: 'interval' });
  assert.equal(validityOf(rec('2026-11-15', null), 6), { until: '2027-05-14', basis: 'interval' });
});

test('with no interval either (none, or zero months), the record vouches for its own day only', () => {
  assert.equal(validityOf(rec('2026-03-01', null), null), { until: '2026-03-01', basis: 'none' });
  assert.equal(validityOf(rec('2026-03-01', null), 0), { until: '2026-03-01', basis: 'none' });
});

test.run();
