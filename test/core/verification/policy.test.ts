/** Local verification policies: region prefixes, the legal limits an override may not pass, the most local one applying. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import type { MetrologyError } from '../../../src/core/errors.ts';
import { catalogueAt } from '../../../src/core/verification/catalogue.ts';
import { checkOverride, policyFor, type PolicyOverride, regionPrefix } from '../../../src/core/verification/policy.ts';
import { loadCatalogues } from '../../../src/runtime/reference-data.ts';

const d = (s: string) => s as CalendarDate;
const catalogue = catalogueAt(loadCatalogues(), d('2026-01-01'))!;
const entry = (id: string) => catalogue.entries.find((e) => e.id === id)!;

const override = (o: Partial<PolicyOverride>): PolicyOverride => ({
  id: 'p',
  regulatorId: 'samr',
  regionCode: '310000',
  category: 'MV016',
  intervalMonths: null,
  serviceLifeMonths: null,
  graceDays: null,
  dueSoonDays: null,
  validFrom: d('2026-01-01'),
  validUntil: d('2030-12-31'),
  remarks: null,
  ...o,
});

test('region prefixes of GB/T 2260 codes', () => {
  assert.equal([regionPrefix('310000'), regionPrefix('310100'), regionPrefix('310104')], ['31', '3101', '310104']);
});

test('a local policy may shorten the legal interval but never lengthen it', () => {
  checkOverride(entry('MV016'), override({ intervalMonths: 6 }));
  for (const bad of [override({ intervalMonths: 13 }), override({ category: 'MV004', serviceLifeMonths: 73 })]) {
    try {
      checkOverride(entry(bad.category), bad);
      assert.unreachable();
    } catch (e) {
      assert.is((e as MetrologyError).code, 'LEGAL_INTERVAL_EXCEEDED');
    }
  }
  try {
    checkOverride(entry('MV004'), override({ category: 'MV004', intervalMonths: 12 }));
    assert.unreachable();
  } catch (e) {
    assert.is((e as MetrologyError).path, '/intervalMonths');
  }
});

test('the most local override applies, field by field, within its region and validity', () => {
  const city = override({ id: 'city', regionCode: '310000', intervalMonths: 10, graceDays: 5 });
  const district = override({ id: 'district', regionCode: '310104', intervalMonths: 6 });
  const p = policyFor(entry('MV016'), [city, district], '310104', d('2026-06-01'));
  assert.equal([p.intervalMonths, p.graceDays, p.dueSoonDays], [6, 0, 30], 'district wins and does not inherit the city grace');
  assert.is(policyFor(entry('MV016'), [city, district], '310115', d('2026-06-01')).intervalMonths, 10, 'another district of the city');
  assert.is(policyFor(entry('MV016'), [city, district], '320100', d('2026-06-01')).intervalMonths, 12, 'another province: the legal interval');
  assert.is(policyFor(entry('MV016'), [city], '310104', d('2025-12-31')).intervalMonths, 12, 'before the policy starts');
  assert.match(p.basis.join('; '), /interval 12 months from JJG 539.*interval 6 months from local policy district/);
});

test.run();
