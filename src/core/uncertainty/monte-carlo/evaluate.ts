/**
 * FLOATS ARE RIGHT HERE (Monte Carlo sampling, JCGM 101; see compile-float.ts).
 *
 * One Monte Carlo evaluation of a spec: a fixed number of trials, or adaptive
 * batches until the results are stable (JCGM 101 7.9), then the summary of each
 * output, the correlations between outputs and the validation of the LPU result
 * against it (JCGM 101 8).
 */
import type { CompiledOutput, LpuResult } from '../lpu.ts';
import type { EvaluationSpec } from '../spec.ts';
import { BLOCK, numericalTolerance, planMonteCarlo, runBlocks, sampleCorrelation, summarise, type McPlan, type McSummary } from './monte-carlo.ts';

export interface McValidation {
  /** δ, the numerical tolerance for the digits asked (JCGM 101 8.2). */
  readonly tolerance: number;
  readonly dLow: number;
  readonly dHigh: number;
  /** True when the LPU interval agrees with the Monte Carlo one within δ at both ends. */
  readonly passed: boolean;
  readonly digits: number;
}

export interface McOutput {
  readonly name: string;
  readonly summary: McSummary;
  readonly probability: number;
  readonly validation: McValidation;
}

export interface McResult {
  readonly trials: number;
  readonly seed: bigint;
  /** Adaptive runs: the number of batches and whether the stopping rule was met before the trial limit. */
  readonly adaptive: { readonly batches: number; readonly batchSize: number; readonly converged: boolean } | null;
  readonly outputs: readonly McOutput[];
  readonly correlation: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** The sampled values of each output, for a histogram. */
  readonly samples: readonly Float64Array[];
}

/** Runs blocks of a plan; the default runs them on this thread, a pool may run them on several. */
export type BlockRunner = (plan: McPlan, first: number, count: number, trials: number, results: Float64Array[], streamOffset: number) => void;

/** How a run is executed: who runs the blocks, and where the sample arrays live (shared memory for a pool). */
export interface McExecution {
  readonly run: BlockRunner;
  readonly allocate: (length: number) => Float64Array;
}

export const SINGLE_THREAD: McExecution = { run: runBlocks, allocate: (n) => new Float64Array(n) };

const MAX_ADAPTIVE_TRIALS = 10_000_000;

export function evaluateMonteCarlo(
  spec: EvaluationSpec,
  compiled: readonly CompiledOutput[],
  lpu: LpuResult,
  execution: McExecution = SINGLE_THREAD,
): McResult {
  const { run, allocate } = execution;
  const method = spec.method;
  if (method.kind !== 'monte-carlo') throw new Error('evaluateMonteCarlo needs a monte-carlo spec');
  const plan = planMonteCarlo(spec, compiled, method.seed);
  const probability = Number(lpu.outputs[0]!.coverageProbability.toString());
  const digits = method.adaptiveDigits ?? 2;
  let samples: Float64Array[];
  let adaptive: McResult['adaptive'] = null;
  if (method.adaptiveDigits === null) {
    const trials = method.trials;
    samples = compiled.map(() => allocate(trials));
    run(plan, 0, Math.ceil(trials / BLOCK), trials, samples, 0);
  } else {
    ({ samples, adaptive } = runAdaptive(plan, compiled.length, probability, method.adaptiveDigits, execution));
  }
  const outputs = compiled.map((c, o) => {
    const summary = summarise(samples[o]!, probability, method.intervalType, c.model.name);
    const l = lpu.outputs[o]!;
    const tolerance = numericalTolerance(summary.standardDeviation, digits);
    const lpuLow = Number(l.interval[0].toString());
    const lpuHigh = Number(l.interval[1].toString());
    const dLow = Math.abs(lpuLow - summary.low);
    const dHigh = Math.abs(lpuHigh - summary.high);
    return { name: c.model.name, summary, probability, validation: { tolerance, dLow, dHigh, passed: dLow <= tolerance && dHigh <= tolerance, digits } };
  });
  const correlation = new Map<string, Map<string, number>>();
  if (compiled.length > 1) {
    compiled.forEach((a, i) => {
      const row = new Map<string, number>();
      compiled.forEach((b, j) => {
        if (i !== j) row.set(b.model.name, sampleCorrelation(samples[i]!, samples[j]!));
      });
      correlation.set(a.model.name, row);
    });
  }
  return { trials: samples[0]!.length, seed: method.seed, adaptive, outputs, correlation, samples };
}

/**
 * JCGM 101 7.9: batches of M = max(100/(1 − p), 10⁴) trials (rounded up to whole
 * blocks) until twice the standard deviation of the batch means of y, u(y) and
 * both interval ends is within the numerical tolerance δ of u(y).
 */
function runAdaptive(plan: McPlan, outputs: number, probability: number, digits: number, { run, allocate }: McExecution) {
  const wanted = Math.max(Math.ceil(100 / (1 - probability)), 10_000);
  const blocksPerBatch = Math.ceil(wanted / BLOCK);
  const batchSize = blocksPerBatch * BLOCK;
  const batches: Float64Array[][] = [];
  const stats: number[][][] = Array.from({ length: outputs }, () => []);
  let converged = false;
  while ((batches.length + 1) * batchSize <= MAX_ADAPTIVE_TRIALS) {
    const h = batches.length;
    const batch = Array.from({ length: outputs }, () => allocate(batchSize));
    run(plan, 0, blocksPerBatch, batchSize, batch, h * blocksPerBatch);
    batches.push(batch);
    for (let o = 0; o < outputs; o++) {
      const s = summarise(batch[o]!, probability, 'symmetric', plan.outputs[o]!);
      stats[o]!.push([s.mean, s.standardDeviation, s.low, s.high]);
    }
    if (batches.length < 2) continue;
    converged = stats.every((rows, o) => {
      const u = pooledStandardDeviation(batches.map((b) => b[o]!));
      const delta = numericalTolerance(u, digits);
      return [0, 1, 2, 3].every((col) => 2 * stdOfMean(rows.map((r) => r[col]!)) <= delta);
    });
    if (converged) break;
  }
  const samples = Array.from({ length: outputs }, (_, o) => concat(batches.map((b) => b[o]!)));
  return { samples, adaptive: { batches: batches.length, batchSize, converged } };
}

/** The standard deviation of all values of several batches, without joining them. */
function pooledStandardDeviation(parts: Float64Array[]): number {
  let n = 0;
  let sum = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) sum += p[i]!;
  for (const p of parts) n += p.length;
  const mean = sum / n;
  let ss = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) ss += (p[i]! - mean) ** 2;
  return Math.sqrt(ss / (n - 1));
}

function stdOfMean(values: number[]): number {
  const h = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / h;
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return Math.sqrt(ss / (h * (h - 1)));
}

function concat(parts: Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
