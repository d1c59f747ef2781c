/** The GB 17167 rules as loaded, and the audit's decisions on small inventories worked by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readEnergyRules } from '../../../src/codecs/energy-rules.ts';
import type { CalendarDate } from '../../../src/core/dates.ts';
import { auditEnergyMetering, gradeNumber, type Inventory, type MeterFacts, type MeteringPoint } from '../../../src/core/energy/audit.ts';
import type { MetrologyError } from '../../../src/core/errors.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { loadEnergyRules } from '../../../src/runtime/reference-data.ts';

const rules = loadEnergyRules();
const AT = '2026-11-25' as CalendarDate;
const point = (
  id: string,
  level: MeteringPoint['level'],
  energyType: MeteringPoint['energyType'],
  consumption: [string, string] | null,
  equipmentId: string | null = null,
  extra: Partial<MeteringPoint> = {},
): MeteringPoint => ({
  id,
  level,
  energyType,
  name: id,
  consumption: consumption && { value: new Decimal(consumption[0]), unit: consumption[1] },
  equipmentId,
  weighing: null,
  pipeDn: null,
  ...extra,
});
// a meter that meets every requirement, including grade 0.2S at the boundary of a class I user (the audit's default)
const good = (id: string, accuracyClass: string | null = '0.2S'): MeterFacts => ({
  equipmentId: id,
  name: id,
  accuracyClass,
  mandatory: false,
  verificationState: 'not_mandatory',
  ownFindings: [],
  chainFindings: [],
});
const audit = (points: MeteringPoint[], meters: MeterFacts[], electricityUserClass: Inventory['electricityUserClass'] = 'I') =>
  auditEnergyMetering(rules, { organisationId: 'o', electricityUserClass, points }, new Map(meters.map((m) => [m.equipmentId, m])), AT);

test('the rules carry the table values of GB 17167-2006', () => {
  const rate = (t: string, l: 'organisation' | 'sub_unit' | 'equipment') => rules.rates.get(t as never)![l].value?.toString() ?? null;
  assert.equal([rate('electricity', 'organisation'), rate('electricity', 'sub_unit'), rate('electricity', 'equipment')], ['100', '100', '95']);
  assert.equal([rate('steam', 'sub_unit'), rate('steam', 'equipment'), rate('waste_energy', 'equipment')], ['80', '70', null]);
  assert.equal(
    [
      rules.majorSubUnit.get('electricity')!.value.value.toString(),
      rules.majorEquipment.get('electricity')!.value.value.toString(),
      rules.majorEquipment.get('refined_oil')!.value.value.toString(),
    ],
    ['10', '100', '0.5'],
  );
  assert.is(rules.version, 'GB 17167-2006');
});

test('a malformed rules file is refused with the pointer', () => {
  try {
    readEnergyRules({ _meta: { standard: 'X' }, equipping_rate_percent: { rows: [{ energy_class_zh: '核能', level1: 100 }] } }, 'bad.json');
    assert.unreachable();
  } catch (e) {
    assert.is((e as MetrologyError).code, 'INVALID_REFERENCE_DATA');
    assert.match((e as Error).message, /bad\.json: '核能' is not a known energy class/);
  }
});

test('thresholds: equal to the limit is major, below is not', () => {
  const a = audit(
    [
      point('at', 'sub_unit', 'electricity', ['10', 'kW'], 'm'),
      point('below', 'sub_unit', 'electricity', ['9.999', 'kW']),
      point('eq', 'equipment', 'electricity', ['100', 'kW'], 'm'),
    ],
    [good('m')],
  );
  assert.equal(
    a.points.map((p) => [p.pointId, p.required]),
    [
      ['at', true],
      ['below', false],
      ['eq', true],
    ],
  );
  assert.is(a.verdict, 'compliant');
});

test('a missing meter where the level still meets its rate is an observation (19 of 20 = 95 % at level 3)', () => {
  const points = Array.from({ length: 20 }, (_, i) => point(`m${String(i).padStart(2, '0')}`, 'equipment', 'electricity', ['200', 'kW'], i === 7 ? null : 'm'));
  const a = audit(points, [good('m')]);
  const row = a.rates[0]!;
  assert.equal([row.required, row.installed, row.rate!.toString(), row.meets], [20, 19, '95', true]);
  assert.equal(
    a.findings.map((f) => [f.code, f.severity, f.pointId]),
    [['METER_MISSING', 'observation', 'm07']],
  );
  assert.is(a.verdict, 'compliant');
  // 18 of 20 = 90 % < 95 %: both missing meters become nonconformities
  const b = audit(
    points.map((p, i) => (i === 8 ? { ...p, equipmentId: null } : p)),
    [good('m')],
  );
  assert.equal(
    b.findings.map((f) => [f.code, f.severity]),
    [
      ['EQUIPPING_RATE_LOW', 'nonconformity'],
      ['METER_MISSING', 'nonconformity'],
      ['METER_MISSING', 'nonconformity'],
    ],
  );
});

test('accuracy at the boundary: by user class, by pipe size, by weighing; undecided is an observation', () => {
  const e = point('e', 'organisation', 'electricity', null, 'm1');
  assert.equal(audit([e], [good('m1', '1')], 'III').findings, [], 'class 1 meets grade 1.0 for user class III');
  assert.equal(
    audit([e], [good('m1', '1')], 'II').findings.map((f) => f.code),
    ['ACCURACY_BELOW_REQUIRED'],
    'user class II needs 0.5S',
  );
  assert.equal(
    audit([e], [good('m1', '1')], null).findings.map((f) => [f.code, f.severity]),
    [['ACCURACY_UNDECIDED', 'observation']],
  );
  const w = (dn: number, cls: string) =>
    audit([point('w', 'organisation', 'water', null, 'm2', { pipeDn: dn })], [good('m2', cls)]).findings.map((f) => f.code);
  assert.equal([w(250, '2.5'), w(251, '2.5'), w(251, '1.5')], [[], ['ACCURACY_BELOW_REQUIRED'], []]);
  const coal = (weighing: 'static' | 'dynamic', cls: string) =>
    audit([point('c', 'organisation', 'coal', null, 'm3', { weighing })], [good('m3', cls)]).findings.map((f) => f.code);
  assert.equal([coal('static', '0.5'), coal('dynamic', '0.5')], [['ACCURACY_BELOW_REQUIRED'], []]);
  assert.equal([gradeNumber('0.5S')!.toString(), gradeNumber('2.0')!.toString(), gradeNumber('III')], ['0.5', '2', null]);
});

test('electricity at the boundary: user class I needs 0.2S, class II 0.5S (GB 17167-2006 as corrected, fixtures/reference/README.md)', () => {
  const e = point('e', 'organisation', 'electricity', null, 'm1');
  const found = (cls: string, userClass: Inventory['electricityUserClass']) => audit([e], [good('m1', cls)], userClass).findings.map((f) => [f.code, f.rule]);
  assert.equal(found('0.2S', 'I'), []);
  assert.equal(found('0.5S', 'I'), [
    ['ACCURACY_BELOW_REQUIRED', 'GB 17167-2006 accuracy-grade table (能源计量器具准确度等级要求): electricity, user class I: grade 0.2S'],
  ]);
  assert.equal(found('0.5S', 'II'), []);
  assert.equal(found('1', 'II'), [
    ['ACCURACY_BELOW_REQUIRED', 'GB 17167-2006 accuracy-grade table (能源计量器具准确度等级要求): electricity, user class II: grade 0.5S'],
  ]);
  assert.equal(
    [rules.accuracy.get('electricity')!.confidence, rules.accuracy.get('water')!.confidence],
    ['R-high', 'R'],
    "the corrected row's own flag, else the table's",
  );
});

test('a lapsed or failed verification and a broken chain are nonconformities of the meter', () => {
  const p = point('e', 'organisation', 'electricity', null, 'm');
  const lapsed: MeterFacts = { ...good('m'), ownFindings: [{ code: 'CERTIFICATE_EXPIRED', message: 'expired' }] };
  const mandatoryOverdue: MeterFacts = { ...good('m'), mandatory: true, verificationState: 'overdue' };
  const broken: MeterFacts = { ...good('m'), chainFindings: [{ code: 'ASSESSMENT_EXPIRED', equipmentId: 'std', message: 'x' }] };
  assert.equal(
    audit([p], [lapsed]).findings.map((f) => f.code),
    ['VERIFICATION_NOT_IN_FORCE'],
  );
  assert.equal(
    audit([p], [mandatoryOverdue]).findings.map((f) => f.code),
    ['VERIFICATION_NOT_IN_FORCE'],
  );
  assert.equal(
    audit([p], [broken]).findings.map((f) => [f.code, f.message]),
    [['CHAIN_BROKEN', 'e (m): ASSESSMENT_EXPIRED at std']],
  );
  assert.equal(
    audit([p], []).findings.map((f) => f.code),
    ['UNKNOWN_METER'],
  );
});

test('a meter of a lot to rotate, or past its service life, is to be replaced: a nonconformity of its own', () => {
  const p = point('w', 'organisation', 'water', null, 'm', { pipeDn: 20 });
  const toRotate: MeterFacts = {
    ...good('m', '2'),
    mandatory: true,
    verificationState: 'to_rotate',
    statusMessage: 'lot wm-a: the sample of plan p-a was not accepted on 2026-11-20: replace it by 2027-02-19',
  };
  const found = audit([p], [toRotate]);
  assert.equal(
    found.findings.map((f) => [f.code, f.severity, f.message]),
    [['METER_TO_BE_REPLACED', 'nonconformity', 'w (m): lot wm-a: the sample of plan p-a was not accepted on 2026-11-20: replace it by 2027-02-19']],
  );
  assert.is(found.verdict, 'non_compliant');
  assert.match(found.findings[0]!.rule, /到期轮换/);
  const lifeEnded: MeterFacts = { ...good('m', '2'), mandatory: true, verificationState: 'service_life_ended' };
  assert.equal(
    audit([p], [lifeEnded]).findings.map((f) => [f.code, f.message]),
    [['METER_TO_BE_REPLACED', 'w (m): verification status service_life_ended']],
  );
  // a meter of an accepted (extended) lot is judged on its own verification
  assert.equal(audit([p], [{ ...good('m', '2'), mandatory: true, verificationState: 'in_force' }]).findings, []);
});

test.run();
