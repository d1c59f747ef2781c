/**
 * FLOATS ARE RIGHT HERE (Monte Carlo sampling, JCGM 101; see compile-float.ts).
 *
 * Propagation of distributions by Monte Carlo (JCGM 101:2008): inputs drawn
 * from their distributions (6.4), the model evaluated for every trial, the
 * output's mean, standard deviation and coverage interval (probabilistically
 * symmetric or shortest, 7.7), adaptive stopping (7.9) and validation of the
 * LPU result (8). Trials are drawn in blocks of 65,536, each from its own
 * seeded stream, so a result depends only on the seed and the trial count —
 * never on how many threads ran the blocks.
 */
import { quickselect } from 'simple-statistics';
import { fail } from '../../errors.ts';
import type { CompiledOutput } from '../lpu.ts';
import type { EvaluationSpec, InputQuantity } from '../spec.ts';
import { compileColumns, type ColumnFunction } from './compile-float.ts';
import { Random } from './random.ts';

export const BLOCK = 65536;

type Sampler = (rng: Random, columns: Float64Array[], n: number) => void;

/** Everything a run needs, prepared once: the samplers and the compiled output functions. */
export interface McPlan {
  readonly names: readonly string[];
  readonly outputs: readonly string[];
  readonly samplers: readonly Sampler[];
  readonly functions: readonly ColumnFunction[];
  readonly seed: bigint;
}

const num = (d: { toString(): string }) => Number(d.toString());

export function planMonteCarlo(spec: EvaluationSpec, compiled: readonly CompiledOutput[], seed: bigint): McPlan {
  const names = spec.quantities.map((q) => q.name);
  const correlated = new Set(spec.correlations.keys());
  const samplers: Sampler[] = [];
  spec.quantities.forEach((q, i) => {
    if (!correlated.has(q.name)) samplers.push(independentSampler(q, i));
  });
  if (correlated.size > 0) samplers.push(correlatedSampler(spec, correlated));
  const functions = compiled.map((c) => compileColumns(c.compiled.node, names));
  return { names, outputs: compiled.map((c) => c.model.name), samplers, functions, seed };
}

function independentSampler(q: InputQuantity, i: number): Sampler {
  const x = num(q.value);
  const u = num(q.u);
  if (u === 0) return (_rng, cols, n) => cols[i]!.fill(x, 0, n);
  const s = q.sampling;
  switch (s.kind) {
    case 'normal':
      return (rng, cols, n) => {
        const c = cols[i]!;
        for (let j = 0; j < n; j++) c[j] = x + u * rng.normal();
      };
    case 't': {
      // JCGM 101 6.4.9: location x, scale u, ν degrees of freedom.
      const nu = num(s.dof);
      return (rng, cols, n) => {
        const c = cols[i]!;
        for (let j = 0; j < n; j++) c[j] = x + u * rng.studentT(nu);
      };
    }
    case 'rectangular': {
      const a = num(s.halfWidth);
      return (rng, cols, n) => {
        const c = cols[i]!;
        for (let j = 0; j < n; j++) c[j] = x + a * (2 * rng.uniform() - 1);
      };
    }
    case 'triangular': {
      const a = num(s.halfWidth);
      return (rng, cols, n) => {
        const c = cols[i]!;
        for (let j = 0; j < n; j++) c[j] = x + a * (rng.uniform() + rng.uniform() - 1);
      };
    }
    case 'u-shaped': {
      // arcsine on [x − a, x + a] (JCGM 101 6.4.6)
      const a = num(s.halfWidth);
      return (rng, cols, n) => {
        const c = cols[i]!;
        for (let j = 0; j < n; j++) c[j] = x + a * Math.sin(2 * Math.PI * rng.uniform());
      };
    }
  }
}

/** Correlated inputs as one multivariate Gaussian (JCGM 101 6.4.8), through the Cholesky factor of their covariance. */
function correlatedSampler(spec: EvaluationSpec, correlated: ReadonlySet<string>): Sampler {
  const members = spec.quantities.map((q, i) => ({ q, i })).filter(({ q }) => correlated.has(q.name));
  for (const { q, i } of members) {
    if (q.sampling.kind !== 'normal') {
      fail(
        'INVALID_METHOD',
        `/quantities/${q.name}`,
        `Monte Carlo draws correlated inputs from a multivariate Gaussian (JCGM 101 6.4.8); '${q.name}' (input ${i + 1}) is ${q.sampling.kind === 't' ? 'a t distribution (finite dof)' : q.sampling.kind}, so give it as normal with infinite dof or drop the correlation`,
      );
    }
  }
  const m = members.length;
  const mean = members.map(({ q }) => num(q.value));
  const sd = members.map(({ q }) => num(q.u));
  const cov = members.map((a, r) => members.map((b, c) => sd[r]! * sd[c]! * num(spec.correlations.get(a.q.name, b.q.name))));
  const L = cholesky(cov);
  const columns = members.map(({ i }) => i);
  const z = new Float64Array(m);
  return (rng, cols, n) => {
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < m; k++) z[k] = rng.normal();
      for (let r = 0; r < m; r++) {
        let s = mean[r]!;
        const row = L[r]!;
        for (let k = 0; k <= r; k++) s += row[k]! * z[k]!;
        cols[columns[r]!]![j] = s;
      }
    }
  };
}

/** Cholesky factor of a positive semi-definite matrix (a zero pivot gives a zero column). */
function cholesky(a: number[][]): number[][] {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j]![j]!;
    for (let k = 0; k < j; k++) d -= l[j]![k]! ** 2;
    const pivot = d > 1e-300 ? Math.sqrt(d) : 0;
    l[j]![j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = pivot === 0 ? 0 : s / pivot;
    }
  }
  return l;
}

/**
 * Runs blocks [first, first + count) of a plan, writing each output's values
 * into `results[o]` at offset (block − first)·BLOCK. `trials` bounds the last block.
 */
export function runBlocks(plan: McPlan, first: number, count: number, trials: number, results: Float64Array[], streamOffset = 0): void {
  const width = plan.names.length;
  const columns = Array.from({ length: width }, () => new Float64Array(BLOCK));
  for (let b = first; b < first + count; b++) {
    const start = b * BLOCK;
    const n = Math.min(BLOCK, trials - start);
    if (n <= 0) break;
    const rng = new Random(plan.seed, streamOffset + b);
    for (const sample of plan.samplers) sample(rng, columns, n);
    plan.functions.forEach((f, o) => {
      const target = results[o]!.subarray((b - first) * BLOCK, (b - first) * BLOCK + n);
      f(columns, target, n);
    });
  }
}

export interface McSummary {
  readonly mean: number;
  readonly standardDeviation: number;
  readonly low: number;
  readonly high: number;
}

/** Mean, standard deviation and the coverage interval of one output's values (JCGM 101 7.6, 7.7). */
export function summarise(values: Float64Array, probability: number, intervalType: 'symmetric' | 'shortest', name: string): McSummary {
  const m = values.length;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v))
      fail(
        'EVALUATION_FAILED',
        '/model',
        `the model for '${name}' gave a non-finite value for some Monte Carlo trials (a draw outside a function's domain); check the model and the input distributions`,
      );
    sum += v;
  }
  const mean = sum / m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (values[i]! - mean) ** 2;
  const standardDeviation = Math.sqrt(ss / (m - 1));
  // JCGM 101 7.7: q = pM (or the nearest integer), 1-based order statistics.
  const pm = probability * m;
  const q = Number.isInteger(pm) ? pm : Math.floor(pm + 0.5);
  if (intervalType === 'symmetric') {
    const r = Math.max(1, (m - q) % 2 === 0 ? (m - q) / 2 : (m - q + 1) / 2);
    // Two order statistics need no full sort: select them in linear time.
    const work = Float64Array.from(values);
    const low = select(work, r - 1, 0, m - 1);
    const high = select(work, Math.min(m, r + q) - 1, r - 1, m - 1);
    return { mean, standardDeviation, low, high };
  }
  const sorted = Float64Array.from(values).sort();
  let r = 1;
  let best = Infinity;
  for (let i = 1; i + q <= m; i++) {
    const w = sorted[i + q - 1]! - sorted[i - 1]!;
    if (w < best) {
      best = w;
      r = i;
    }
  }
  return { mean, standardDeviation, low: sorted[r - 1]!, high: sorted[Math.min(m, r + q) - 1]! };
}

/**
 * The k-th smallest (0-based) of a[lo..hi], rearranging a so that everything
 * before k is ≤ a[k] and everything after is ≥ it: simple-statistics' Floyd–Rivest
 * selection (fewer comparisons than a median-of-three Hoare selection on 10⁶
 * values). Call again with lo = k to select a larger order statistic.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  // typed as number[]; it only reads, compares and swaps elements, as a Float64Array allows
  quickselect(a as unknown as number[], k, lo, hi);
  return a[k]!;
}

/** Pearson correlation of two outputs' values. */
export function sampleCorrelation(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa === 0 || sbb === 0 ? 0 : sab / Math.sqrt(saa * sbb);
}

/** JCGM 101 7.9.2 / 8.2: δ = ½·10^ℓ where u = c·10^ℓ and c has `digits` digits. */
export function numericalTolerance(u: number, digits: number): number {
  if (u === 0) return 0;
  const l = Math.floor(Math.log10(Math.abs(u))) - digits + 1;
  return 0.5 * 10 ** l;
}
