/** Local verification policies: region prefixes, the legal limits an override may not pass, the most local one applying, and no two tied. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CalendarDate } from '../../../src/core/dates.ts';
import type { MetrologyError } from '../../../src/core/errors.ts';
import { catalogueAt } from '../../../src/core/verification/catalogue.ts';
import { checkNoTie, checkOverride, policyFor, type PolicyOverride, regionPrefix, tiedPolicy } from '../../../src/core/verification/policy.ts';
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

test('a new policy tying with one of the same region, category and first day is refused; ties already held go by id, not by the order read', () => {
  const held = override({ id: 'pol-a', intervalMonths: 12 });
  // the same region, category and first day, overlapping: tied
  assert.is(tiedPolicy([held], override({ id: 'pol-b', intervalMonths: 6 }))?.id, 'pol-a');
  let refused: MetrologyError | undefined;
  try {
    checkNoTie([held], override({ id: 'pol-b', intervalMonths: 6 }));
  } catch (e) {
    refused = e as MetrologyError;
  }
  assert.equal([refused?.code, refused?.path], ['DUPLICATE', '/validFrom']);
  assert.match(refused!.message, /policy 'pol-a' of samr already sets MV016 for region 310000 from 2026-01-01/);
  // a later first day, another region, another category, or periods apart: no tie
  for (const other of [
    override({ id: 'pol-c', validFrom: d('2026-06-01') }),
    override({ id: 'pol-d', regionCode: '310104' }),
    override({ id: 'pol-e', category: 'MV025' }),
  ])
    assert.is(tiedPolicy([held], other), undefined, other.id);
  assert.is(
    tiedPolicy(
      [override({ id: 'old', validFrom: d('2025-01-01'), validUntil: d('2025-12-31') })],
      override({ id: 'new', validFrom: d('2025-01-01'), validUntil: d('2025-06-30') }),
    )?.id,
    'old',
  );
  // a tie already in the registry (a data-set load): the lower id decides, whichever comes first
  const tied = [override({ id: 'pol-b', intervalMonths: 6 }), override({ id: 'pol-a', intervalMonths: 3 })];
  const policy = (list: PolicyOverride[]) => policyFor(entry('MV016'), list, '310104', d('2026-06-01')).intervalMonths;
  assert.equal([policy(tied), policy([...tied].reverse())], [3, 3]);
});

test.run();
