/**
 * The JSON contract of one uncertainty evaluation (docs/uncertainty-spec.md):
 * reading a spec into core values, with a coded error and the JSON pointer of
 * the field at fault for anything wrong, and writing a result back, every
 * number a decimal string.
 */
import { fail } from '../core/errors.ts';
import { Decimal, parseDecimal, toText } from '../core/numeric/decimal.ts';
import { Correlations, checkPositiveSemidefinite } from '../core/uncertainty/correlation.ts';
import type { LpuResult, OutputResult } from '../core/uncertainty/lpu.ts';
import type { McResult } from '../core/uncertainty/monte-carlo/evaluate.ts';
import { roundForReport } from '../core/uncertainty/rounding.ts';
import type { Coverage, EvaluationSpec, InputQuantity, IntervalType, Method, OutputModel } from '../core/uncertainty/spec.ts';
import { coverageFactor } from '../core/uncertainty/student-t.ts';
import { typeA } from '../core/uncertainty/type-a.ts';
import { fromExpanded, fromHalfWidth, HALF_WIDTH_DISTRIBUTIONS, type HalfWidthDistribution } from '../core/uncertainty/type-b.ts';
import { kindOf, ObjectReader } from './reader.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RESERVED = new Set(['pi', 'e', 'i', 'E', 'PI', 'Infinity', 'NaN', 'true', 'false', 'null', 'undefined']);
const MAX_TRIALS = 10_000_000;
const MAX_QUANTITIES = 20_000;
const INF = new Decimal(Infinity);

export interface ReadOptions {
  /** The seed to use when a Monte Carlo spec gives none (the transport draws one and reports it). */
  readonly defaultSeed?: () => bigint;
}

/** A spec's JSON text parsed (the CLI reads files and batch lines); INVALID_JSON when it is not JSON. */
export function parseSpecText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    return fail('INVALID_JSON', '', `the spec is not valid JSON: ${(e as Error).message}`);
  }
}

export function readSpec(raw: unknown, options: ReadOptions = {}): EvaluationSpec {
  const r = ObjectReader.of(raw, '', 'an uncertainty spec (a JSON object)');
  const quantities = readQuantities(r);
  const names = new Set(quantities.map((q) => q.name));
  const outputs = readOutputs(r);
  const correlations = readCorrelations(r, names);
  const coverage = readCoverage(r);
  const method = readMethod(r, options);
  r.done();
  return { outputs, quantities, correlations, coverage, method };
}

function readOutputs(r: ObjectReader): OutputModel[] {
  const hasModel = r.has('model');
  const hasOutputs = r.has('outputs');
  if (hasModel && hasOutputs) fail('INVALID_FIELD', '/outputs', "give either 'measurand' and 'model', or 'outputs', not both");
  if (!hasModel && !hasOutputs)
    fail('MISSING_FIELD', '/model', "give the measurement model: 'model' (with an optional 'measurand'), or 'outputs' for several measurands");
  if (hasModel) {
    const measurand =
      r.optionalString('measurand', { pattern: NAME, max: 64, hint: 'a measurand name is a letter or _ followed by letters, digits or _' }) ?? 'y';
    return [{ name: measurand, expression: r.string('model', { max: 1_000_000 }), path: '/model' }];
  }
  if (r.has('measurand')) fail('INVALID_FIELD', '/measurand', "with 'outputs' each measurand is named by its key; drop 'measurand'");
  const o = r.object('outputs');
  const keys = Object.keys(o.raw);
  if (keys.length === 0) fail('MISSING_FIELD', '/outputs', 'give at least one output');
  if (keys.length > 100) fail('INVALID_FIELD', '/outputs', 'at most 100 outputs');
  return keys.map((name) => {
    if (!NAME.test(name)) fail('INVALID_FIELD', o.at(name), `'${name}' is not a valid measurand name`);
    const expression = o.string(name, { max: 1_000_000 });
    return { name, expression, path: o.at(name) };
  });
}

function readDof(q: ObjectReader, key = 'dof'): Decimal {
  const v = q.value(key);
  if (v === undefined || v === null || v === 'inf') return INF;
  if (typeof v === 'string' && /^\+?inf(inity)?$/i.test(v.trim())) return INF;
  const d = parseDecimal(v, () => q.at(key));
  if (!d.greaterThan(0)) fail('INVALID_DOF', q.at(key), `degrees of freedom must be greater than zero (or "inf"), got "${String(v)}"`);
  return d;
}

function nonNegative(q: ObjectReader, key: string): Decimal {
  const d = parseDecimal(q.required(key), () => q.at(key));
  if (d.isNegative() && !d.isZero()) fail('NEGATIVE_UNCERTAINTY', q.at(key), `'${key}' must not be negative, got "${String(q.raw[key])}"`);
  return d.abs();
}

const FORM_KEYS = {
  standard: ['value', 'u', 'dof', 'distribution', 'unit'],
  observations: ['observations', 'pooledS', 'pooledDof', 'unit'],
  'half-width': ['value', 'distribution', 'halfWidth', 'dof', 'unit'],
  expanded: ['value', 'expanded', 'k', 'coverageProbability', 'dof', 'unit'],
} as const;
const ALL_KEYS = new Set(Object.values(FORM_KEYS).flat());

function readQuantities(r: ObjectReader): InputQuantity[] {
  const qs = r.object('quantities');
  const names = Object.keys(qs.raw);
  if (names.length === 0) fail('MISSING_FIELD', '/quantities', 'declare at least one quantity');
  if (names.length > MAX_QUANTITIES) fail('INVALID_FIELD', '/quantities', `at most ${MAX_QUANTITIES} quantities`);
  return names.map((name) => {
    const path = qs.at(name);
    if (!NAME.test(name) || RESERVED.has(name)) {
      fail('INVALID_FIELD', path, `'${name}' cannot name a quantity: use a letter or _ followed by letters, digits or _, and not pi or e`);
    }
    return readQuantity(name, qs.object(name));
  });
}

function readQuantity(name: string, q: ObjectReader): InputQuantity {
  for (const key of Object.keys(q.raw)) {
    if (!ALL_KEYS.has(key as never))
      fail(
        'UNKNOWN_FIELD',
        q.at(key),
        `unknown field '${key}' in quantity '${name}'; a quantity is given by value+u, observations, value+distribution+halfWidth or value+expanded+k`,
      );
  }
  const present = (k: string) => q.raw[k] !== undefined;
  const form = present('observations')
    ? 'observations'
    : present('halfWidth')
      ? 'half-width'
      : present('expanded')
        ? 'expanded'
        : present('u')
          ? 'standard'
          : null;
  if (form === null) {
    fail(
      'AMBIGUOUS_QUANTITY_FORM',
      q.path,
      `quantity '${name}' needs one of 'u', 'observations', 'halfWidth' (with a distribution) or 'expanded' (with k or coverageProbability)`,
    );
  }
  const allowed = FORM_KEYS[form] as readonly string[];
  for (const key of Object.keys(q.raw)) {
    if (!allowed.includes(key)) {
      fail('AMBIGUOUS_QUANTITY_FORM', q.at(key), `quantity '${name}' is given in the '${form}' form, which does not take '${key}'; use exactly one form`);
    }
  }
  const unit = q.optionalString('unit', { max: 32 });
  switch (form) {
    case 'standard': {
      const dist = q.value('distribution');
      if (dist !== undefined && dist !== 'normal') {
        fail(
          'AMBIGUOUS_QUANTITY_FORM',
          q.at('distribution'),
          `with 'u' the distribution is normal; for a ${String(dist)} distribution give 'halfWidth' instead of 'u'`,
        );
      }
      const value = q.decimal('value');
      const u = nonNegative(q, 'u');
      const dof = readDof(q);
      return { name, value, u, dof, unit, form, sampling: dof.isFinite() ? { kind: 't', dof } : { kind: 'normal' } };
    }
    case 'observations': {
      const obs = q.array('observations', { max: 1_000_000 }).map((v, i) => parseDecimal(v, `${q.at('observations')}/${i}`));
      const hasS = present('pooledS');
      if (hasS !== present('pooledDof'))
        fail(
          'MISSING_FIELD',
          q.at(hasS ? 'pooledDof' : 'pooledS'),
          "a pooled standard deviation comes with its degrees of freedom: give 'pooledS' and 'pooledDof' together",
        );
      const pooled = hasS ? { s: nonNegative(q, 'pooledS'), dof: readDof(q, 'pooledDof') } : undefined;
      const a = typeA(obs, q.at('observations'), pooled);
      return {
        name,
        value: a.mean,
        u: a.standardUncertainty,
        dof: a.dof,
        unit,
        form,
        sampling: a.dof.isFinite() ? { kind: 't', dof: a.dof } : { kind: 'normal' },
      };
    }
    case 'half-width': {
      const value = q.decimal('value');
      const distribution = q.value('distribution');
      if (!HALF_WIDTH_DISTRIBUTIONS.includes(distribution as HalfWidthDistribution)) {
        fail(
          distribution === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD',
          q.at('distribution'),
          `with 'halfWidth' give the distribution: ${HALF_WIDTH_DISTRIBUTIONS.map((d) => `'${d}'`).join(', ')}`,
        );
      }
      const halfWidth = nonNegative(q, 'halfWidth');
      const dist = distribution as HalfWidthDistribution;
      return { name, value, u: fromHalfWidth(halfWidth, dist), dof: readDof(q), unit, form, sampling: { kind: dist, halfWidth } };
    }
    case 'expanded': {
      const value = q.decimal('value');
      const expanded = nonNegative(q, 'expanded');
      const dof = readDof(q);
      if (present('k') === present('coverageProbability')) {
        fail(
          'AMBIGUOUS_QUANTITY_FORM',
          q.at('k'),
          `an expanded uncertainty comes with either its coverage factor 'k' or its 'coverageProbability' (and dof), not ${present('k') ? 'both' : 'neither'}`,
        );
      }
      let k: Decimal;
      if (present('k')) {
        k = parseDecimal(q.value('k'), q.at('k'));
        if (!k.greaterThan(0)) fail('INVALID_FIELD', q.at('k'), 'a coverage factor k is greater than zero');
      } else {
        const p = parseDecimal(q.value('coverageProbability'), q.at('coverageProbability'));
        if (!p.greaterThan(0) || !p.lessThan(1)) fail('INVALID_COVERAGE', q.at('coverageProbability'), 'a coverage probability lies strictly between 0 and 1');
        k = coverageFactor(p, dof.isFinite() ? Decimal.max(1, dof.floor()) : dof);
      }
      return { name, value, u: fromExpanded(expanded, k), dof, unit, form, sampling: dof.isFinite() ? { kind: 't', dof } : { kind: 'normal' } };
    }
  }
}

function readCorrelations(r: ObjectReader, names: ReadonlySet<string>): Correlations<string> {
  const correlations = new Correlations<string>();
  const seen = new Set<string>();
  const parts: string[] = [];
  r.array('correlations', { optional: true, max: 200_000 }).forEach((item, i) => {
    const c = ObjectReader.of(item, `/correlations/${i}`, 'a correlation { "a", "b", "r" }');
    const a = c.string('a', { max: 64 });
    const b = c.string('b', { max: 64 });
    const rr = parseDecimal(c.required('r'), c.at('r'));
    c.done();
    if (!names.has(a)) fail('INVALID_CORRELATION', c.at('a'), `'${a}' is not among the quantities`);
    if (!names.has(b)) fail('INVALID_CORRELATION', c.at('b'), `'${b}' is not among the quantities`);
    if (a === b) fail('INVALID_CORRELATION', c.at('b'), `a quantity is not correlated with itself; r('${a}', '${a}') = 1 always`);
    if (rr.abs().greaterThan(1)) fail('INVALID_CORRELATION', c.at('r'), `a correlation coefficient lies in [-1, 1], got "${rr.toString()}"`);
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    if (seen.has(key)) fail('DUPLICATE_CORRELATION', c.path, `the pair ('${a}', '${b}') is correlated more than once`);
    seen.add(key);
    parts.push(`${key}\u0000${rr.toString()}`);
    correlations.set(a, b, rr);
  });
  // The LDLᵀ check is O(n³) in decimal arithmetic; a batch repeats the same
  // correlations, so each distinct set is checked once.
  const key = parts.sort().join('\u0001');
  if (!checkedCorrelations.has(key)) {
    checkPositiveSemidefinite(correlations, '/correlations', (k) => `'${k}'`);
    if (checkedCorrelations.size > 256) checkedCorrelations.clear();
    checkedCorrelations.add(key);
  }
  return correlations;
}

/** Correlation sets already found positive semi-definite (a memo: the check is deterministic). */
const checkedCorrelations = new Set<string>();

function readCoverage(r: ObjectReader): Coverage {
  const c = r.optionalObject('coverage');
  if (!c) return { kind: 'probability', probability: new Decimal('0.95') };
  const hasP = c.has('probability');
  const hasK = c.has('k');
  if (hasP === hasK) fail('INVALID_COVERAGE', c.path, `coverage is { "probability": "0.95" } or { "k": "2" }, ${hasP ? 'not both' : 'and needs one of them'}`);
  let coverage: Coverage;
  if (hasP) {
    const p = parseDecimal(c.value('probability'), c.at('probability'));
    if (!p.greaterThan(0) || !p.lessThan(1)) fail('INVALID_COVERAGE', c.at('probability'), 'a coverage probability lies strictly between 0 and 1');
    coverage = { kind: 'probability', probability: p };
  } else {
    const k = parseDecimal(c.value('k'), c.at('k'));
    if (!k.greaterThan(0)) fail('INVALID_COVERAGE', c.at('k'), 'a coverage factor k is greater than zero');
    coverage = { kind: 'k', k };
  }
  c.done();
  return coverage;
}

function readMethod(r: ObjectReader, options: ReadOptions): Method {
  const name = r.value('method') ?? 'lpu';
  if (name !== 'lpu' && name !== 'monte-carlo')
    fail('INVALID_METHOD', '/method', `method is "lpu" or "monte-carlo", got ${typeof name === 'string' ? `"${name}"` : kindOf(name)}`);
  const mcKeys = ['trials', 'seed', 'intervalType', 'adaptive'];
  if (name === 'lpu') {
    for (const key of mcKeys) if (r.has(key)) fail('INVALID_METHOD', `/${key}`, `'${key}' applies to "method": "monte-carlo" only`);
    return { kind: 'lpu' };
  }
  const trialsRaw = r.value('trials');
  let trials = 1_000_000;
  if (trialsRaw !== undefined) {
    const t = parseDecimal(trialsRaw, '/trials');
    if (!t.isInteger() || t.lessThan(100) || t.greaterThan(MAX_TRIALS))
      fail('INVALID_METHOD', '/trials', `trials is a whole number from 100 to ${MAX_TRIALS.toLocaleString('en')}`);
    trials = t.toNumber();
  }
  const seedRaw = r.value('seed');
  let seed: bigint;
  if (seedRaw === undefined || seedRaw === null) {
    seed = options.defaultSeed ? options.defaultSeed() : 1n;
  } else {
    if (typeof seedRaw === 'number') fail('JSON_NUMBER', '/seed', `send the seed as a string ("${String(seedRaw)}"), not as a JSON number`);
    if (typeof seedRaw !== 'string' || !/^-?\d{1,40}$/.test(seedRaw))
      fail('INVALID_METHOD', '/seed', 'the seed is an integer written as a string, e.g. "12345"');
    seed = BigInt(seedRaw);
  }
  const intervalType = (r.value('intervalType') ?? 'symmetric') as IntervalType;
  if (intervalType !== 'symmetric' && intervalType !== 'shortest') fail('INVALID_METHOD', '/intervalType', 'intervalType is "symmetric" or "shortest"');
  const a = r.optionalObject('adaptive');
  let adaptiveDigits: number | null = null;
  if (a) {
    const d = parseDecimal(a.value('digits') ?? '2', a.at('digits'));
    if (!d.isInteger() || d.lessThan(1) || d.greaterThan(4)) fail('INVALID_METHOD', a.at('digits'), 'adaptive digits is a whole number from 1 to 4');
    a.done();
    adaptiveDigits = d.toNumber();
  }
  return { kind: 'monte-carlo', trials, seed, intervalType, adaptiveDigits };
}

// ---- writing -------------------------------------------------------------------

/** Degrees of freedom on the wire: a decimal string, or "inf". */
export function writeDof(d: Decimal): string {
  return d.isFinite() ? toText(d) : 'inf';
}

export function writeLpuOutput(o: OutputResult) {
  return {
    value: toText(o.value),
    standardUncertainty: toText(o.standardUncertainty),
    effectiveDof: writeDof(o.effectiveDof),
    coverageFactor: toText(o.coverageFactor),
    coverageProbability: toText(o.coverageProbability),
    expandedUncertainty: toText(o.expandedUncertainty),
    interval: [toText(o.interval[0]), toText(o.interval[1])],
    ...(o.unit ? { unit: o.unit } : {}),
    reported: o.reported,
    budget: o.budget.map((b) => ({
      quantity: b.quantity,
      value: toText(b.value),
      u: toText(b.u),
      ...(b.unit ? { unit: b.unit } : {}),
      dof: writeDof(b.dof),
      sensitivity: toText(b.sensitivity),
      contribution: toText(b.contribution),
      share: toText(b.share),
    })),
  };
}

export function writeMatrix(m: ReadonlyMap<string, ReadonlyMap<string, Decimal>>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [a, row] of m) {
    out[a] = {};
    for (const [b, v] of row) out[a][b] = toText(v);
  }
  return out;
}

export function writeLpuResult(result: LpuResult) {
  return {
    method: 'lpu' as const,
    outputs: Object.fromEntries(result.outputs.map((o) => [o.name, writeLpuOutput(o)])),
    ...(result.outputs.length > 1 ? { correlation: writeMatrix(result.correlation), covariance: writeMatrix(result.covariance) } : {}),
  };
}

/** A double as the shortest decimal string that reads back to it. */
function shortest(x: number): string {
  return Object.is(x, -0) ? '0' : String(x);
}

export function writeMonteCarloResult(mc: McResult, lpu: LpuResult) {
  return {
    method: 'monte-carlo' as const,
    trials: String(mc.trials),
    seed: mc.seed.toString(),
    ...(mc.adaptive ? { adaptive: { batches: String(mc.adaptive.batches), batchSize: String(mc.adaptive.batchSize), converged: mc.adaptive.converged } } : {}),
    outputs: Object.fromEntries(
      mc.outputs.map((o, i) => {
        const l = lpu.outputs[i]!;
        const s = o.summary;
        const half = (s.high - s.low) / 2;
        return [
          o.name,
          {
            value: shortest(s.mean),
            standardUncertainty: shortest(s.standardDeviation),
            coverageFactor: shortest(s.standardDeviation === 0 ? 0 : half / s.standardDeviation),
            coverageProbability: toText(l.coverageProbability),
            expandedUncertainty: shortest(half),
            interval: [shortest(s.low), shortest(s.high)],
            ...(l.unit ? { unit: l.unit } : {}),
            reported: monteCarloStatement(o.name, s.mean, s.low, s.high, l.coverageProbability, l.probabilityRequested, l.unit),
            validation: {
              against: 'lpu',
              lpuInterval: [toText(l.interval[0]), toText(l.interval[1])],
              tolerance: shortest(o.validation.tolerance),
              dLow: shortest(o.validation.dLow),
              dHigh: shortest(o.validation.dHigh),
              digits: String(o.validation.digits),
              passed: o.validation.passed,
            },
          },
        ];
      }),
    ),
    ...(mc.outputs.length > 1
      ? { correlation: Object.fromEntries([...mc.correlation].map(([a, row]) => [a, Object.fromEntries([...row].map(([b, r]) => [b, shortest(r)]))])) }
      : {}),
  };
}

/** "l ≈ 50.000838 mm, 99 % coverage interval [50.000745, 50.000931] mm", rounded as GUM 7.2.6 rounds U. */
function monteCarloStatement(name: string, mean: number, low: number, high: number, p: Decimal, requested: boolean, unit: string | null): string {
  const half = new Decimal(String((high - low) / 2));
  const r = roundForReport(new Decimal(String(mean)), half);
  const at = (x: number) =>
    r.decimals >= 0 ? new Decimal(String(x)).toFixed(r.decimals, Decimal.ROUND_HALF_UP) : roundForReport(new Decimal(String(x)), half).value;
  const percent = requested ? p.times(100) : p.times(100).toSignificantDigits(2);
  const u = unit ? ` ${unit}` : '';
  return `${name} ≈ ${r.value}${u}, ${percent.toString()} % coverage interval [${at(low)}, ${at(high)}]${u}`;
}
