/**
 * Reading GB 17167-2006 (fixtures/reference/energy-metering-gb17167-2006.json,
 * copied from the compiled reference with sources and confidence flags) into
 * EnergyRules. The file's Chinese row names are mapped to the energy types of
 * core/energy/rules.ts here; a row or threshold that does not map is an error
 * naming the JSON pointer.
 */
import { fail, MetrologyError } from '../core/errors.ts';
import { Decimal } from '../core/numeric/decimal.ts';
import { type AccuracyRule, type EnergyRules, type EnergyType, ENERGY_TYPES, type MeteringLevel, type Sourced, type Threshold } from '../core/energy/rules.ts';

/** The equipping-rate table's rows (能源种类) by energy type. */
const RATE_ROWS: Readonly<Record<string, EnergyType>> = {
  电力: 'electricity',
  '固态能源-煤炭': 'coal',
  '固态能源-焦炭': 'coke',
  '液态能源-原油': 'crude_oil',
  '液态能源-成品油': 'refined_oil',
  '液态能源-重油': 'heavy_oil',
  '液态能源-渣油': 'residual_oil',
  '气态能源-天然气': 'natural_gas',
  '气态能源-液化气': 'lpg',
  '气态能源-煤气': 'coal_gas',
  '载能工质-蒸汽': 'steam',
  '载能工质-水': 'water',
  可回收利用的余能: 'waste_energy',
};

/** The threshold groups of the standard and the energy types each covers. */
const THRESHOLD_GROUPS: Readonly<Record<string, readonly EnergyType[]>> = {
  电力: ['electricity'],
  '煤炭、焦炭': ['coal', 'coke'],
  '原油、成品油、石油液化气': ['crude_oil', 'refined_oil', 'lpg'],
  '重油、渣油': ['heavy_oil', 'residual_oil'],
  '煤气、天然气': ['coal_gas', 'natural_gas'],
  '蒸汽、热水': ['steam'],
  水: ['water'],
  其他: ['waste_energy'],
};

type Json = Record<string, unknown>;

function obj(v: unknown, path: string): Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('INVALID_REFERENCE_DATA', path, `expected an object at ${path}`);
  return v as Json;
}

function arr(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail('INVALID_REFERENCE_DATA', path, `expected an array at ${path}`);
  return v;
}

/** A number of the reference file (written there as a JSON number) as an exact decimal of its shortest text. */
function num(v: unknown, path: string): Decimal {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail('INVALID_REFERENCE_DATA', path, `expected a number at ${path}`);
  return new Decimal(String(v));
}

export function readEnergyRules(raw: unknown, file: string): EnergyRules {
  try {
    return readUnchecked(raw);
  } catch (e) {
    if (e instanceof MetrologyError) throw new MetrologyError('INVALID_REFERENCE_DATA', e.path, `${file}: ${e.message}`);
    throw e;
  }
}

function readUnchecked(raw: unknown): EnergyRules {
  const root = obj(raw, '');
  const meta = obj(root['_meta'], '/_meta');
  const version = String(meta['standard'] ?? fail('INVALID_REFERENCE_DATA', '/_meta/standard', 'the standard is named'));
  const table = obj(root['equipping_rate_percent'], '/equipping_rate_percent');
  const rates = new Map<EnergyType, Record<MeteringLevel, Sourced<Decimal | null>>>();
  arr(table['rows'], '/equipping_rate_percent/rows').forEach((r, i) => {
    const row = obj(r, `/equipping_rate_percent/rows/${i}`);
    const type =
      RATE_ROWS[String(row['energy_class_zh'])] ??
      fail('INVALID_REFERENCE_DATA', `/equipping_rate_percent/rows/${i}/energy_class_zh`, `'${String(row['energy_class_zh'])}' is not a known energy class`);
    const confidence = String(row['confidence'] ?? table['confidence'] ?? '');
    const cell = (k: string): Sourced<Decimal | null> => ({
      value: row[k] === null ? null : num(row[k], `/equipping_rate_percent/rows/${i}/${k}`),
      clause: 'equipping-rate table (能源计量器具配备率)',
      confidence,
    });
    rates.set(type, { organisation: cell('level1'), sub_unit: cell('level2'), equipment: cell('level3') });
  });
  for (const t of ENERGY_TYPES) if (!rates.has(t)) fail('INVALID_REFERENCE_DATA', '/equipping_rate_percent/rows', `no row for ${t}`);

  const thresholds = obj(root['thresholds'], '/thresholds');
  const readLimits = (key: string, clause: string) => {
    const block = obj(thresholds[key], `/thresholds/${key}`);
    const out = new Map<EnergyType, Sourced<Threshold>>();
    arr(block['limits'], `/thresholds/${key}/limits`).forEach((l, i) => {
      const limit = obj(l, `/thresholds/${key}/limits/${i}`);
      const group =
        THRESHOLD_GROUPS[String(limit['energy_zh'])] ??
        fail('INVALID_REFERENCE_DATA', `/thresholds/${key}/limits/${i}/energy_zh`, `'${String(limit['energy_zh'])}' is not a known threshold group`);
      const value: Threshold = { value: num(limit['value'], `/thresholds/${key}/limits/${i}/value`), unit: String(limit['unit']) };
      for (const t of group) out.set(t, { value, clause, confidence: String(limit['confidence'] ?? block['confidence'] ?? '') });
    });
    return out;
  };

  const acc = obj(root['accuracy_grade_requirements'], '/accuracy_grade_requirements');
  const accuracy = new Map<EnergyType, Sourced<AccuracyRule>>();
  arr(acc['rows'], '/accuracy_grade_requirements/rows').forEach((r, i) => {
    const row = obj(r, `/accuracy_grade_requirements/rows/${i}`);
    // a row's own flag (e.g. a corrected row) before the table's, as for the rates and thresholds
    const confidence = String(row['confidence'] ?? acc['confidence'] ?? '');
    const put = (types: readonly EnergyType[], rule: AccuracyRule) => {
      for (const t of types) accuracy.set(t, { value: rule, clause: 'accuracy-grade table (能源计量器具准确度等级要求)', confidence });
    };
    const instrument = String(row['instrument_zh']);
    const purpose = String(row['purpose_zh']);
    if (instrument === '衡器' && purpose.includes('静态')) {
      const dynamic = (arr(acc['rows'], '') as Json[]).find((x) => x['instrument_zh'] === '衡器' && String(x['purpose_zh']).includes('动态'));
      put(['coal', 'coke'], { kind: 'by_weighing', static: String(row['requirement']), dynamic: String(dynamic?.['requirement'] ?? row['requirement']) });
    } else if (instrument === '电能表' && row['by_user_class']) {
      const g = obj(row['by_user_class'], `/accuracy_grade_requirements/rows/${i}/by_user_class`);
      put(['electricity'], {
        kind: 'by_user_class',
        grades: { I: String(g['I']), II: String(g['II']), III: String(g['III']), IV: String(g['IV']), V: String(g['V']) },
      });
    } else if (instrument.startsWith('油流量表')) {
      const g = obj(row['by_medium'], `/accuracy_grade_requirements/rows/${i}/by_medium`);
      put(['refined_oil'], { kind: 'fixed', grade: String(g['成品油']) });
      put(['heavy_oil', 'residual_oil'], { kind: 'fixed', grade: String(g['重油、渣油']) });
    } else if (instrument.startsWith('气体流量表')) {
      const g = obj(row['by_medium'], `/accuracy_grade_requirements/rows/${i}/by_medium`);
      put(['coal_gas'], { kind: 'fixed', grade: String(g['煤气']) });
      put(['natural_gas'], { kind: 'fixed', grade: String(g['天然气']) });
      put(['steam'], { kind: 'fixed', grade: String(g['蒸汽']) });
    } else if (instrument.startsWith('水流量表')) {
      const g = obj(row['by_pipe_size'], `/accuracy_grade_requirements/rows/${i}/by_pipe_size`);
      put(['water'], { kind: 'by_pipe_size', upTo250: String(g['DN<=250mm']), above250: String(g['DN>250mm']) });
    }
    // DC electricity, temperature and pressure instruments are secondary to the flow meters; not audited here
  });

  return {
    version,
    title: String(meta['title_zh'] ?? ''),
    rates,
    majorSubUnit: readLimits('major_sub_unit', 'threshold of a major secondary energy-using unit (主要次级用能单位)'),
    majorEquipment: readLimits('major_equipment', 'threshold of major energy-using equipment (主要用能设备)'),
    accuracy,
  };
}
