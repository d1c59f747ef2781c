/** The State catalogue read from its CSV: the Chinese wording mapped to the closed vocabulary, each bad cell named by file, line and column. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readCatalogue, writeCatalogueEntry } from '../../src/codecs/catalogue.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const HEADER =
  'local_id,category_zh,instrument_zh,instrument_en,usage_scope_zh,management,verification_form,regulation,typical_period_months,quantities,source,confidence,notes';
const manifest = { id: 'cat-1', title: 'Catalogue', publishedOn: '2020-10-27', file: 'cat.csv', source: 'SAMR', mandatoryFrom: { MV002: '2023-01-01' } };
const row = (cells: Partial<Record<string, string>>) =>
  HEADER.split(',')
    .map(
      (h) =>
        cells[h] ??
        {
          local_id: 'MV001',
          category_zh: '衡器',
          instrument_zh: '电子计价秤',
          instrument_en: 'price-computing scale',
          usage_scope_zh: '贸易结算',
          management: '型式批准、强制检定',
          verification_form: '周期检定',
          regulation: 'JJG 539-2016',
          typical_period_months: '12',
          quantities: 'mass',
          source: 's',
          confidence: 'high',
          notes: '',
        }[h],
    )
    .map((c) => (c!.includes(',') ? `"${c}"` : c))
    .join(',');
const read = (...rows: string[]) => readCatalogue(`${HEADER}\n${rows.join('\n')}\n`, manifest);

const it = suite('catalogue CSV');

it('a periodic entry: usages, quantities, interval; the manifest dated', () => {
  const c = read(row({}));
  assert.equal([c.id, c.title, c.publishedOn, c.source], ['cat-1', 'Catalogue', '2020-10-27', 'SAMR']);
  assert.equal(writeCatalogueEntry(c.entries[0]!), {
    id: 'MV001',
    categoryZh: '衡器',
    instrumentZh: '电子计价秤',
    instrumentEn: 'price-computing scale',
    usages: ['trade_settlement'],
    quantities: ['mass'],
    patternApproval: true,
    mandatoryVerification: true,
    form: 'periodic',
    regulation: 'JJG 539-2016',
    intervalMonths: 12,
    serviceLifeMonths: null,
    mandatoryFrom: null,
    confidence: 'high',
    notes: '',
  });
});

it('each verification form from its wording; the months are a service life only for replacement', () => {
  const c = read(
    row({
      local_id: 'MV002',
      verification_form: '首次强制检定、限期使用、到期轮换',
      typical_period_months: '72',
      usage_scope_zh: '贸易结算、医疗卫生,安全防护，环境监测',
    }),
    row({ local_id: 'MV003', verification_form: '首次强制检定、失准报废', typical_period_months: '' }),
    row({ local_id: 'MV004', verification_form: '首次强制检定' }),
    row({ local_id: 'MV005', management: '型式批准', verification_form: '', usage_scope_zh: '', regulation: '', quantities: 'volume; flow' }),
  );
  const [replace, inaccurate, initial, none] = c.entries;
  assert.equal([replace!.form, replace!.intervalMonths, replace!.serviceLifeMonths, replace!.mandatoryFrom], ['initial_then_replace', null, 72, '2023-01-01']);
  assert.equal(replace!.usages, ['trade_settlement', 'medical', 'safety_protection', 'environmental_monitoring']);
  assert.equal([inaccurate!.form, inaccurate!.intervalMonths], ['initial_until_inaccurate', null]);
  assert.equal([initial!.form, initial!.intervalMonths], ['initial_only', null]);
  assert.equal([none!.form, none!.patternApproval, none!.mandatoryVerification, none!.usages, none!.regulation], ['none', true, false, [], null]);
  assert.equal(none!.quantities, ['volume', 'flow']);
});

it('bad rows: INVALID_REFERENCE_DATA naming file, line and column', () => {
  const bad: Array<[string[], RegExp]> = [
    [[row({ local_id: 'M1' })], /cat\.csv line 2, column local_id: 'M1'/],
    [[row({}), row({})], /line 3, column local_id: 'MV001' appears twice/],
    [[row({ management: '备案' })], /line 2, column management/],
    [[row({ verification_form: '' })], /line 2, column verification_form/],
    [[row({ management: '型式批准', verification_form: '周期检定' })], /line 2, column verification_form/],
    [[row({ usage_scope_zh: '' })], /line 2, column usage_scope_zh: a mandatory entry/],
    [[row({ usage_scope_zh: '贸易结算、菜市场' })], /column usage_scope_zh: '菜市场'/],
    [[row({ quantities: 'mass;weight' })], /column quantities: 'weight'/],
    [[row({ typical_period_months: '012' })], /column typical_period_months/],
    [[row({ typical_period_months: '1.5' })], /column typical_period_months/],
    [[`"MV001,衡器`], /^cat\.csv /],
  ];
  for (const [rows, message] of bad) {
    try {
      read(...rows);
      assert.unreachable(String(message));
    } catch (e) {
      assert.instance(e, MetrologyError);
      assert.is((e as MetrologyError).code, 'INVALID_REFERENCE_DATA');
      assert.match((e as Error).message, message);
    }
  }
});

it('a manifest date that is not a real date is INVALID_DATE at its field', () => {
  try {
    readCatalogue(`${HEADER}\n${row({ local_id: 'MV002' })}\n`, { ...manifest, mandatoryFrom: { MV002: '2023-02-30' } });
    assert.unreachable();
  } catch (e) {
    assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['INVALID_DATE', '/mandatoryFrom/MV002']);
  }
});

it.run();
