/** GB 17167-2006 read from its reference file: Chinese rows to energy types, threshold groups spread over their types, the accuracy table by kind, and refusals by JSON pointer. */
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readEnergyRules } from '../../src/codecs/energy-rules.ts';
import { ENERGY_TYPES } from '../../src/core/energy/rules.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const FILE = readFileSync('fixtures/reference/energy-metering-gb17167-2006.json', 'utf8');
type Row = Record<string, unknown>;
interface RulesFile {
  _meta: Row;
  equipping_rate_percent: { rows: Row[] };
  thresholds: { major_equipment: { limits: Row[] } };
  accuracy_grade_requirements: { rows: unknown };
}
const raw = () => JSON.parse(FILE) as RulesFile;
const rules = readEnergyRules(raw(), 'gb.json');

function refusal(r: unknown): [string, string, string] {
  try {
    readEnergyRules(r, 'gb.json');
  } catch (e) {
    if (e instanceof MetrologyError) return [e.code, e.path, e.message];
    throw e;
  }
  throw new Error('accepted');
}

const it = suite('GB 17167 rules');

it("the standard named, and an equipping-rate row for every energy type with its own confidence before the table's", () => {
  assert.is(rules.version, 'GB 17167-2006');
  assert.is(rules.title, '用能单位能源计量器具配备和管理通则');
  assert.equal([...rules.rates.keys()].sort(), [...ENERGY_TYPES].sort());
  const coal = rules.rates.get('coal')!;
  assert.equal([coal.organisation.value?.toString(), coal.sub_unit.value?.toString(), coal.equipment.value?.toString()], ['100', '100', '90']);
  assert.is(coal.equipment.confidence, 'C');
  assert.match(coal.equipment.clause, '配备率');
  assert.is(rules.rates.get('waste_energy')!.equipment.value, null);
});

it('a threshold group is set on each of its types, with its unit; 29.26 stays exact', () => {
  const sub = (t: string) => rules.majorSubUnit.get(t as never)!.value;
  const eq = (t: string) => rules.majorEquipment.get(t as never)!.value;
  assert.equal([sub('coal').value.toString(), sub('coal').unit], ['100', 't/a']);
  assert.is(sub('coke'), sub('coal'));
  assert.equal(
    ['crude_oil', 'refined_oil', 'lpg'].map((t) => `${sub(t).value} ${sub(t).unit}`),
    ['40 t/a', '40 t/a', '40 t/a'],
  );
  assert.equal([eq('natural_gas').value.toString(), eq('coal_gas').unit], ['100', 'm3/h']);
  assert.equal([eq('waste_energy').value.toString(), eq('waste_energy').unit], ['29.26', 'GJ/h']);
  assert.is(rules.majorEquipment.get('electricity')!.confidence, 'C');
  assert.is(rules.majorEquipment.get('coal')!.confidence, 'R');
  assert.match(rules.majorSubUnit.get('water')!.clause, '主要次级用能单位');
});

it('the accuracy table: weighing static and dynamic, electricity by user class, fixed grades by medium, water by pipe size', () => {
  const acc = (t: string) => rules.accuracy.get(t as never)!.value;
  assert.equal(acc('coal'), { kind: 'by_weighing', static: '0.1', dynamic: '0.5' });
  assert.equal(acc('coke'), acc('coal'));
  assert.equal(acc('electricity'), { kind: 'by_user_class', grades: { I: '0.2S', II: '0.5S', III: '1.0', IV: '2.0', V: '2.0' } });
  assert.is(rules.accuracy.get('electricity')!.confidence, 'R-high');
  assert.equal(
    [acc('refined_oil'), acc('heavy_oil'), acc('residual_oil')],
    [
      { kind: 'fixed', grade: '0.5' },
      { kind: 'fixed', grade: '1.0' },
      { kind: 'fixed', grade: '1.0' },
    ],
  );
  assert.equal(
    [acc('coal_gas'), acc('natural_gas'), acc('steam')],
    [
      { kind: 'fixed', grade: '2.0' },
      { kind: 'fixed', grade: '2.0' },
      { kind: 'fixed', grade: '2.5' },
    ],
  );
  assert.equal(acc('water'), { kind: 'by_pipe_size', upTo250: '2.5', above250: '1.5' });
  assert.is(rules.accuracy.has('crude_oil'), false);
});

it('refusals name the file and the pointer', () => {
  const noStandard = raw();
  delete noStandard._meta.standard;
  assert.equal(refusal(noStandard).slice(0, 2), ['INVALID_REFERENCE_DATA', '/_meta/standard']);
  const unknownRow = raw();
  unknownRow.equipping_rate_percent.rows[1]!.energy_class_zh = '核能';
  assert.equal(refusal(unknownRow), [
    'INVALID_REFERENCE_DATA',
    '/equipping_rate_percent/rows/1/energy_class_zh',
    "gb.json: '核能' is not a known energy class",
  ]);
  const missing = raw();
  missing.equipping_rate_percent.rows = missing.equipping_rate_percent.rows.filter((r) => r.energy_class_zh !== '载能工质-水');
  assert.equal(refusal(missing).slice(1), ['/equipping_rate_percent/rows', 'gb.json: no row for water']);
  const textRate = raw();
  textRate.equipping_rate_percent.rows[0]!.level3 = '95';
  assert.equal(refusal(textRate).slice(1, 2), ['/equipping_rate_percent/rows/0/level3']);
  const group = raw();
  group.thresholds.major_equipment.limits[2]!.energy_zh = '原油';
  assert.equal(refusal(group).slice(1, 2), ['/thresholds/major_equipment/limits/2/energy_zh']);
  const notArray = raw();
  notArray.accuracy_grade_requirements.rows = {};
  assert.equal(refusal(notArray).slice(1, 2), ['/accuracy_grade_requirements/rows']);
  assert.equal(refusal([]).slice(0, 2), ['INVALID_REFERENCE_DATA', '']);
});

it.run();
