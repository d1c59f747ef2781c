/**
 * Reading a verification scheme chart file (calibration-chains/*.chain.json,
 * format "metrotrace.chain/1"). Every rule broken is reported with the file,
 * the JSON pointer and the rule, e.g.
 * `mass.chain.json /levels/2/level: levels run top to bottom; 'public_highest_standard' cannot follow 'working_standard'`.
 */
import { fail, MetrologyError } from '../core/errors.ts';
import { parseDecimal } from '../core/numeric/decimal.ts';
import type { ChartLevel, TypicalAccuracy, VerificationChart } from '../core/traceability/chart.ts';
import { HIERARCHY_LEVELS, QUANTITIES, type HierarchyLevel } from '../core/registry/vocabulary.ts';
import { ObjectReader } from './reader.ts';

export const CHART_FORMAT = 'metrotrace.chain/1';

function readTypical(r: ObjectReader): TypicalAccuracy {
  const has = (k: string) => r.has(k);
  let t: TypicalAccuracy;
  if (has('accuracyClass')) t = { kind: 'class', accuracyClass: r.string('accuracyClass', { max: 32 }) };
  else if (has('mpe')) t = { kind: 'mpe', mpe: positive(r, 'mpe'), unit: r.string('unit', { max: 32 }) };
  else if (has('relativeMpe')) t = { kind: 'relative-mpe', relativeMpe: positive(r, 'relativeMpe') };
  else if (has('expandedUncertainty'))
    t = { kind: 'expanded', expandedUncertainty: positive(r, 'expandedUncertainty'), k: positive(r, 'k'), unit: r.string('unit', { max: 32 }) };
  else if (has('relativeExpandedUncertainty'))
    t = { kind: 'relative-expanded', relativeExpandedUncertainty: positive(r, 'relativeExpandedUncertainty'), k: positive(r, 'k') };
  else
    return fail(
      'INVALID_CHART',
      r.path,
      'a typical accuracy is one of accuracyClass, mpe + unit, relativeMpe, expandedUncertainty + k + unit, relativeExpandedUncertainty + k',
    );
  r.done();
  return t;
}

function positive(r: ObjectReader, key: string) {
  const d = parseDecimal(r.required(key), r.at(key));
  if (!d.greaterThan(0)) fail('INVALID_CHART', r.at(key), `'${key}' is greater than zero`);
  return d;
}

/**
 * @param file the file name, for errors
 * @throws INVALID_CHART (or the reader's codes) with the message prefixed by the file name
 */
export function readChart(raw: unknown, file: string): VerificationChart {
  try {
    return readChartUnchecked(raw);
  } catch (e) {
    if (e instanceof MetrologyError) throw new MetrologyError('INVALID_CHART', e.path, `${file} ${e.path || '/'}: ${e.message}`);
    throw e;
  }
}

function readChartUnchecked(raw: unknown): VerificationChart {
  const r = ObjectReader.of(raw, '', 'a chart object');
  const format = r.string('format');
  if (format !== CHART_FORMAT) fail('INVALID_CHART', '/format', `the format is "${CHART_FORMAT}", got "${format}"`);
  r.value('confidence');
  r.value('$comment');
  const quantity = r.oneOf('quantity', QUANTITIES);
  const alsoCovers = r.array('alsoCovers', { optional: true }).map((q, i) => {
    if (!(QUANTITIES as readonly unknown[]).includes(q)) fail('INVALID_CHART', `/alsoCovers/${i}`, `'${String(q)}' is not a quantity kind`);
    return q as (typeof QUANTITIES)[number];
  });
  const title = r.string('title', { max: 300 });
  const titleZh = r.optionalString('titleZh', { max: 300 });
  const modelledOn = r.optionalString('modelledOn', { max: 200 });
  const unit = r.string('unit', { max: 32 });
  const minimumAccuracyRatio = parseDecimal(r.required('minimumAccuracyRatio'), '/minimumAccuracyRatio');
  if (minimumAccuracyRatio.lessThan(1))
    fail('INVALID_CHART', '/minimumAccuracyRatio', 'the minimum accuracy ratio is at least 1 (a reference is never less accurate than what it calibrates)');
  const levelsRaw = r.array('levels');
  if (levelsRaw.length < 2) fail('INVALID_CHART', '/levels', 'a chart has at least two levels: a standard and what it calibrates');
  const levels: ChartLevel[] = levelsRaw.map((item, i) => {
    const l = ObjectReader.of(item, `/levels/${i}`);
    const level = l.oneOf('level', HIERARCHY_LEVELS);
    const entry = { level, name: l.string('name', { max: 300 }), typical: readTypical(l.object('typical')) };
    l.done();
    return entry;
  });
  if (levels[0]!.level !== 'national_primary_standard') fail('INVALID_CHART', '/levels/0/level', 'a chart starts at the national primary standard');
  for (let i = 1; i < levels.length; i++) {
    const prev = HIERARCHY_LEVELS.indexOf(levels[i - 1]!.level);
    const cur = HIERARCHY_LEVELS.indexOf(levels[i]!.level);
    if (cur <= prev) fail('INVALID_CHART', `/levels/${i}/level`, `levels run top to bottom; '${levels[i]!.level}' cannot follow '${levels[i - 1]!.level}'`);
  }
  const present = new Set<HierarchyLevel>(levels.map((l) => l.level));
  const reached = new Set<HierarchyLevel>();
  const transfers = r.array('transfers').map((item, i) => {
    const t = ObjectReader.of(item, `/transfers/${i}`);
    const from = t.oneOf('from', HIERARCHY_LEVELS);
    const to = t.oneOf('to', HIERARCHY_LEVELS);
    const method = t.string('method', { max: 500 });
    t.done();
    if (!present.has(from)) fail('INVALID_CHART', `/transfers/${i}/from`, `'${from}' is not a level of this chart`);
    if (!present.has(to)) fail('INVALID_CHART', `/transfers/${i}/to`, `'${to}' is not a level of this chart`);
    if (HIERARCHY_LEVELS.indexOf(to) <= HIERARCHY_LEVELS.indexOf(from))
      fail('INVALID_CHART', `/transfers/${i}/to`, `a transfer goes down the hierarchy; '${to}' is not below '${from}'`);
    reached.add(to);
    return { from, to, method };
  });
  levels.slice(1).forEach((l, i) => {
    if (!reached.has(l.level)) fail('INVALID_CHART', `/levels/${i + 1}`, `no transfer reaches '${l.level}'`);
  });
  r.done();
  return { quantity, alsoCovers, title, titleZh, modelledOn, unit, minimumAccuracyRatio, levels, transfers };
}
