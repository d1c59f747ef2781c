/** The State catalogue as data, and classification of an instrument as mandatory or not. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readCatalogue } from '../../../src/codecs/catalogue.ts';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { MetrologyError } from '../../../src/core/errors.ts';
import { catalogueAt, classify } from '../../../src/core/verification/catalogue.ts';
import { loadCatalogues } from '../../../src/runtime/reference-data.ts';

const catalogues = loadCatalogues();
const d = (s: string) => s as CalendarDate;
const c2020 = catalogueAt(catalogues, d('2026-11-25'))!;
const entry = (id: string) => c2020.entries.find((e) => e.id === id)!;
const instrument = (category: string | null, usage: 'trade_settlement' | 'medical' | 'safety_protection' | 'other' | 'energy_metering') => ({
  category,
  usage,
  level: 'working_instrument' as const,
});

test('the 2020 catalogue is versioned and holds every reconstructed row with its source', () => {
  assert.is(c2020.id, 'samr-2020-42');
  assert.is(c2020.publishedOn, '2020-10-27');
  assert.is(c2020.entries.length, 51);
  assert.ok(c2020.entries.every((e) => e.source.length > 0 && e.confidence.length > 0));
  assert.is(catalogueAt(catalogues, d('2019-01-01')), null, 'no catalogue before the first version');
});

test('each verification form of the catalogue is read with its interval or service life', () => {
  assert.equal([entry('MV016').form, entry('MV016').intervalMonths, entry('MV016').serviceLifeMonths], ['periodic', 12, null]);
  assert.equal([entry('MV004').form, entry('MV004').intervalMonths, entry('MV004').serviceLifeMonths], ['initial_then_replace', null, 72]);
  assert.equal([entry('MV036').form, entry('MV036').intervalMonths], ['initial_until_inaccurate', null]);
  assert.is(entry('MV009').form, 'initial_only');
  assert.equal([entry('MV022').form, entry('MV022').mandatoryVerification, entry('MV022').patternApproval], ['none', false, true]);
  assert.equal(entry('MV025').usages, ['safety_protection']);
  assert.is(entry('MV015').mandatoryFrom, '2023-01-01');
});

test('the corrected rows (fixtures/reference/README.md, Corrections) are read as corrected', () => {
  for (const id of ['MV029', 'MV030', 'MV031']) assert.equal([id, entry(id).patternApproval, entry(id).mandatoryVerification], [id, true, true]);
  assert.equal(
    [entry('MV015').patternApproval, entry('MV015').mandatoryVerification, entry('MV015').form, entry('MV015').intervalMonths, entry('MV015').usages],
    [false, true, 'periodic', 36, ['trade_settlement']],
  );
});

test('a trade-settlement scale is mandatory, and the reason names the entry and the regulation', () => {
  const c = classify(c2020, instrument('MV016', 'trade_settlement'), d('2026-11-25'));
  assert.is(c.mandatory, true);
  assert.match(c.reason, /MV016 .*trade settlement.*JJG 539/);
});

test('not mandatory: another usage, pattern approval only, a standard, no category, unknown category, deferred start', () => {
  const at = d('2026-11-25');
  const cases: Array<[ReturnType<typeof classify>, RegExp]> = [
    [classify(c2020, instrument('MV001', 'energy_metering'), at), /mandatory only when used for trade settlement.*internal energy metering/],
    [classify(c2020, instrument('MV022', 'trade_settlement'), at), /pattern approval only/],
    [
      classify(c2020, { category: 'MV016', usage: 'trade_settlement', level: 'working_standard' }, at),
      /measurement standard is not under mandatory verification/,
    ],
    [classify(c2020, instrument(null, 'trade_settlement'), at), /no catalogue category/],
    [classify(c2020, instrument('MV999', 'trade_settlement'), at), /'MV999' is not in the catalogue/],
    [classify(c2020, instrument('MV015', 'trade_settlement'), d('2022-12-31')), /starts on 2023-01-01/],
  ];
  for (const [c, reason] of cases) {
    assert.is(c.mandatory, false);
    assert.match(c.reason, reason);
  }
  assert.is(classify(c2020, instrument('MV015', 'trade_settlement'), d('2023-01-01')).mandatory, true);
});

test('a malformed catalogue row is rejected with the file, the line and the column', () => {
  const manifest = { id: 'x', title: 'x', publishedOn: '2020-10-27', file: 'bad.csv', source: 'test' };
  const header =
    'category_zh,instrument_zh,instrument_en,usage_scope_zh,management,verification_form,regulation,typical_period_months,source,confidence,notes,local_id,quantities';
  const bad = [
    [`${header}\n衡器,秤,scale,贸易结算,强制检定,每月一次,JJG 1,12,s,c,n,MV001,mass\n`, /bad\.csv line 2, column verification_form/],
    [`${header}\n衡器,秤,scale,贸易结算,强制检定,周期检定,JJG 1,twelve,s,c,n,MV001,mass\n`, /line 2, column typical_period_months/],
    [
      `${header}\n衡器,秤,scale,贸易结算,强制检定,周期检定,JJG 1,12,s,c,n,MV001,mass\n衡器,秤,scale,菜市场,强制检定,周期检定,JJG 1,12,s,c,n,MV002,mass\n`,
      /line 3, column usage_scope_zh/,
    ],
    [`${header}\n衡器,秤,scale,贸易结算,强制检定,周期检定,JJG 1,12,s,c,n,MV001,weight\n`, /line 2, column quantities/],
    [`${header}\n衡器,秤,scale,贸易结算,强制检定,周期检定,JJG 1,12,s,c,n,MV001,\n`, /line 2, column quantities/],
  ] as const;
  for (const [text, message] of bad) {
    try {
      readCatalogue(text, manifest);
      assert.unreachable('should have failed');
    } catch (e) {
      assert.instance(e, MetrologyError);
      assert.is((e as MetrologyError).code, 'INVALID_REFERENCE_DATA');
      assert.match((e as Error).message, message);
    }
  }
});

test.run();
