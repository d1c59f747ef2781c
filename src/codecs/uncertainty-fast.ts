/**
 * The fast lane of the uncertainty contract (docs/uncertainty-spec.md) for the
 * common spec of a batch: one measurand, a model, quantities given by value
 * and u (or a half-width and its distribution), no correlations, LPU. It reads
 * straight into the exact kernel (no Decimal objects) and writes the result
 * JSON from it.
 *
 * It accepts only what readSpec accepts and reads it to the same values; for
 * anything else (another form, a field out of place, a value it would have to
 * reject, more than 40 significant digits) it returns null and the caller takes
 * readSpec, which gives the result or the coded error as always. A test holds
 * the two lanes to the same JSON, text for text.
 */
import { type Decimal, PRECISION } from '../core/numeric/decimal.ts';
import * as X from '../core/numeric/exact.ts';
import type { ExactCoverage, ExactInput, ExactOutput } from '../core/uncertainty/lpu-exact.ts';
import { HALF_WIDTH_DISTRIBUTIONS, halfWidthDivisor, type HalfWidthDistribution } from '../core/uncertainty/type-b.ts';

export interface FastSpec {
  readonly measurand: string;
  readonly model: string;
  readonly inputs: readonly ExactInput[];
  readonly coverage: ExactCoverage;
  /** The model text, the measurand and the quantities' names and units: what compiling depends on. */
  readonly modelKey: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const RESERVED = new Set(['pi', 'e', 'i', 'E', 'PI', 'Infinity', 'NaN', 'true', 'false', 'null', 'undefined']);
const DECIMAL_SYNTAX = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?$/;
const INFINITE = /^\+?inf(inity)?$/i;
const TOP_KEYS = new Set(['measurand', 'model', 'quantities', 'coverage', 'method']);
const STANDARD_KEYS = new Set(['value', 'u', 'dof', 'distribution', 'unit']);
const HALF_WIDTH_KEYS = new Set(['value', 'distribution', 'halfWidth', 'dof', 'unit']);
/** Beyond these the general lane decides (long digit strings, far exponents). */
const MAX_MAGNITUDE = 200;

const divisors = new Map<HalfWidthDistribution, X.Exact>(HALF_WIDTH_DISTRIBUTIONS.map((d) => [d, X.fromDecimal(halfWidthDivisor(d))]));
const ZERO_POINT_95: ExactCoverage = { kind: 'probability', text: '0.95' };

class NotFast extends Error {}
const notFast = (): never => {
  throw new NotFast();
};

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Decimal texts already read: a batch repeats most of its uncertainties, units and degrees of freedom. */
const parsed = new Map<string, X.Exact>();
const PARSED_LIMIT = 10_000;

/** A decimal string the general lane reads to the same value, within the fast lane's range. */
function decimal(v: unknown): X.Exact {
  if (typeof v !== 'string') return notFast();
  let x = parsed.get(v);
  if (x) return x;
  if (!DECIMAL_SYNTAX.test(v)) return notFast();
  x = X.parseExact(v);
  if (x.c !== 0n && v.length > 20) {
    if (X.coefficientDigits(x) > PRECISION || Math.abs(X.magnitude(x)) > MAX_MAGNITUDE) notFast();
  } else if (x.c !== 0n && (x.e > MAX_MAGNITUDE || x.e < -MAX_MAGNITUDE)) notFast();
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(v, x);
  return x;
}

/** Standard uncertainties from a half-width, by distribution and half-width text. */
const fromHalfWidth = new Map<string, X.Exact>();

function nonNegative(v: unknown): X.Exact {
  const x = decimal(v);
  if (X.isNegative(x)) notFast();
  return x;
}

function dof(v: unknown): X.Exact | null {
  if (v === undefined || v === null || v === 'inf') return null;
  if (typeof v === 'string' && INFINITE.test(v.trim())) return null;
  const d = decimal(v);
  if (X.isNegative(d) || X.isZero(d)) notFast();
  return d;
}

function unit(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || v.length === 0 || v.length > 32) return notFast();
  return v;
}

function input(name: string, q: unknown): ExactInput {
  if (!isObject(q)) return notFast();
  let halfWidth = false;
  for (const key in q) {
    if (q[key] === undefined) continue;
    if (key === 'halfWidth') halfWidth = true;
    else if (key === 'observations' || key === 'expanded') notFast();
  }
  const allowed = halfWidth ? HALF_WIDTH_KEYS : STANDARD_KEYS;
  for (const key in q) if (!allowed.has(key)) notFast();
  const value = decimal(q.value);
  if (halfWidth) {
    const divisor = divisors.get(q.distribution as HalfWidthDistribution) ?? notFast();
    if (typeof q.halfWidth !== 'string') notFast();
    const key = `${q.distribution as string}|${q.halfWidth as string}`;
    let u = fromHalfWidth.get(key);
    if (!u) {
      u = X.div(nonNegative(q.halfWidth), divisor);
      if (fromHalfWidth.size >= PARSED_LIMIT) fromHalfWidth.clear();
      fromHalfWidth.set(key, u);
    }
    return { name, value, u, dof: dof(q.dof), unit: unit(q.unit) };
  }
  if (q.u === undefined) notFast();
  if (q.distribution !== undefined && q.distribution !== 'normal') notFast();
  return { name, value, u: nonNegative(q.u), dof: dof(q.dof), unit: unit(q.unit) };
}

function coverage(c: unknown): ExactCoverage {
  if (c === undefined || c === null) return ZERO_POINT_95;
  if (!isObject(c)) return notFast();
  const keys = Object.keys(c);
  if (keys.length !== 1) return notFast();
  const kind = keys[0];
  const v = c[kind!];
  if (kind === 'probability') {
    const p = decimal(v);
    if (!(X.cmp(p, X.EXACT_ZERO) > 0 && X.cmp(p, X.EXACT_ONE) < 0)) notFast();
    return { kind, text: v as string };
  }
  if (kind === 'k') {
    if (!(X.cmp(decimal(v), X.EXACT_ZERO) > 0)) notFast();
    return { kind, text: v as string };
  }
  return notFast();
}

/** The spec in the fast lane's terms, or null: then readSpec decides. */
export function readFastSpec(raw: unknown): FastSpec | null {
  try {
    if (!isObject(raw)) return null;
    for (const key in raw) if (!TOP_KEYS.has(key)) return null;
    if (raw.method !== undefined && raw.method !== null && raw.method !== 'lpu') return null;
    const m = raw.measurand;
    if (m !== undefined && (typeof m !== 'string' || !NAME.test(m))) return null;
    const measurand = (m as string | undefined) ?? 'y';
    const model = raw.model;
    if (typeof model !== 'string' || model.length === 0 || model.length > 1_000_000) return null;
    const qs = raw.quantities;
    if (!isObject(qs)) return null;
    const inputs: ExactInput[] = [];
    let modelKey = `${measurand}\u0000${model}`;
    for (const name in qs) {
      if (!NAME.test(name) || RESERVED.has(name)) return null;
      const q = input(name, qs[name]);
      inputs.push(q);
      modelKey += `\u0000${name}\u0001${q.unit ?? ''}`;
    }
    if (inputs.length === 0 || inputs.length > 20_000) return null;
    return { measurand, model, inputs, coverage: coverage(raw.coverage), modelKey };
  } catch (e) {
    if (e instanceof NotFast || e instanceof X.ExactUnsupported) return null;
    throw e;
  }
}

const dofText = (d: X.Exact | null) => (d ? X.exactText(d) : 'inf');

/** The result JSON, key for key as writeLpuResult writes it for one output. */
export function writeFastResult(o: ExactOutput): Record<string, unknown> {
  const t = X.exactText;
  const budget = o.budget.map((b) => {
    const q = b.input;
    const row: Record<string, string> = { quantity: q.name, value: t(q.value), u: t(q.u) };
    if (q.unit) row.unit = q.unit;
    row.dof = dofText(q.dof);
    row.sensitivity = t(b.sensitivity);
    row.contribution = t(b.contribution);
    row.share = t(b.share);
    return row;
  });
  const out: Record<string, unknown> = {
    value: t(o.value),
    standardUncertainty: t(o.standardUncertainty),
    effectiveDof: dofText(o.effectiveDof),
    coverageFactor: t(o.coverageFactor),
    coverageProbability: t(o.coverageProbability),
    expandedUncertainty: t(o.expandedUncertainty),
    interval: [t(o.interval[0]), t(o.interval[1])],
  };
  if (o.unit) out.unit = o.unit;
  out.reported = o.reported;
  out.budget = budget;
  return { method: 'lpu', outputs: { [o.name]: out } };
}

/** A JSON string literal: JSON.stringify's, kept for the few texts a batch repeats (units). */
const quoted = new Map<string, string>();
function quote(text: string): string {
  let q = quoted.get(text);
  if (q === undefined) {
    q = JSON.stringify(text);
    if (quoted.size >= PARSED_LIMIT) quoted.clear();
    quoted.set(text, q);
  }
  return q;
}

/**
 * JSON.stringify(writeFastResult(o)), written straight to text: a batch line
 * is mostly this, and building the object only to serialise it was a third of
 * a line's cost. Names are identifiers and numbers are digits, signs, points
 * and exponents, so only units and the reported statement need quoting. A
 * test holds the two to the same text.
 */
export function writeFastResultText(o: ExactOutput): string {
  const t = X.exactText;
  let budget = '';
  for (const b of o.budget) {
    const q = b.input;
    budget += `${budget === '' ? '' : ','}{"quantity":"${q.name}","value":"${t(q.value)}","u":"${t(q.u)}"${q.unit ? `,"unit":${quote(q.unit)}` : ''},"dof":"${dofText(q.dof)}","sensitivity":"${t(b.sensitivity)}","contribution":"${t(b.contribution)}","share":"${t(b.share)}"}`;
  }
  return (
    `{"method":"lpu","outputs":{"${o.name}":{"value":"${t(o.value)}","standardUncertainty":"${t(o.standardUncertainty)}","effectiveDof":"${dofText(o.effectiveDof)}",` +
    `"coverageFactor":"${t(o.coverageFactor)}","coverageProbability":"${t(o.coverageProbability)}","expandedUncertainty":"${t(o.expandedUncertainty)}",` +
    `"interval":["${t(o.interval[0])}","${t(o.interval[1])}"]${o.unit ? `,"unit":${quote(o.unit)}` : ''},"reported":${JSON.stringify(o.reported)},"budget":[${budget}]}}}`
  );
}

/** For tests: the Decimal a fast input's text stands for. */
export const decimalOf = (x: X.Exact): Decimal => X.toDecimal(x);
