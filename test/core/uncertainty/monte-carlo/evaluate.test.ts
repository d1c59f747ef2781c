import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../../src/core/numeric/decimal.ts';
import { Correlations } from '../../../../src/core/uncertainty/correlation.ts';
import { compileOutputs, evaluateLpu } from '../../../../src/core/uncertainty/lpu.ts';
import { evaluateMonteCarlo, type McExecution, SINGLE_THREAD } from '../../../../src/core/uncertainty/monte-carlo/evaluate.ts';
import { BLOCK, numericalTolerance, runBlocks } from '../../../../src/core/uncertainty/monte-carlo/monte-carlo.ts';
import type { EvaluationSpec, Method } from '../../../../src/core/uncertainty/spec.ts';

const it = suite('a Monte Carlo evaluation');

function spec(
  outputs: Record<string, string>,
  quantities: Record<string, [string, string]>,
  method: Partial<Extract<Method, { kind: 'monte-carlo' }>> | 'lpu',
): EvaluationSpec {
  return {
    outputs: Object.entries(outputs).map(([name, expression]) => ({ name, expression, path: `/outputs/${name}` })),
    quantities: Object.entries(quantities).map(([name, [value, u]]) => ({
      name,
      value: new Decimal(value),
      u: new Decimal(u),
      dof: new Decimal(Infinity),
      unit: null,
      form: 'standard' as const,
      sampling: { kind: 'normal' as const },
    })),
    correlations: new Correlations<string>(),
    coverage: { kind: 'probability', probability: new Decimal('0.95') },
    method: method === 'lpu' ? { kind: 'lpu' } : { kind: 'monte-carlo', trials: 20_000, seed: 11n, intervalType: 'symmetric', adaptiveDigits: null, ...method },
  };
}

function run(s: EvaluationSpec, execution?: McExecution) {
  const compiled = compileOutputs(s.outputs, s.quantities);
  return evaluateMonteCarlo(s, compiled, evaluateLpu(s, compiled), execution);
}

/** The first index where two arrays differ (−1: none); uvu's diff of long arrays would take minutes. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

const sum = () => spec({ y: 'a + b' }, { a: ['1', '0.3'], b: ['2', '0.4'] }, {});

it('a fixed number of trials: the summary of y = a + b and its validation against the LPU', () => {
  const r = run(sum());
  assert.is(r.trials, 20_000);
  assert.is(r.seed, 11n);
  assert.is(r.adaptive, null);
  assert.is(r.samples.length, 1);
  assert.is(r.samples[0]!.length, 20_000);
  const [y] = r.outputs;
  assert.is(y!.name, 'y');
  assert.is(y!.probability, 0.95);
  // y ~ N(3, 0.5²): sd of the mean 0.0035, of the sd 0.0025
  assert.ok(Math.abs(y!.summary.mean - 3) < 0.015, String(y!.summary.mean));
  assert.ok(Math.abs(y!.summary.standardDeviation - 0.5) < 0.012, String(y!.summary.standardDeviation));
  const v = y!.validation;
  assert.is(v.digits, 2);
  assert.is(v.tolerance, numericalTolerance(y!.summary.standardDeviation, 2));
  assert.is(v.tolerance, 0.005, 'u ≈ 0.5 to two digits: δ = ½·10⁻²');
  // |LPU end − MC end|, the LPU interval 3 ∓ 1.959964·0.5
  assert.is(v.dLow, Math.abs(3 - 1.959963984540054 * 0.5 - y!.summary.low));
  assert.is(v.dHigh, Math.abs(3 + 1.959963984540054 * 0.5 - y!.summary.high));
  assert.is(v.passed, v.dLow <= v.tolerance && v.dHigh <= v.tolerance);
  assert.equal(r.correlation, new Map(), 'one output: no correlations');
});

it('a seed gives the same draws every time; another seed others', () => {
  const a = run(sum());
  const b = run(sum());
  assert.is(firstDifference(a.samples[0]!, b.samples[0]!), -1);
  const c = run(spec({ y: 'a + b' }, { a: ['1', '0.3'], b: ['2', '0.4'] }, { seed: 12n }));
  assert.is(firstDifference(a.samples[0]!, c.samples[0]!), 0);
});

it('a nonlinear model fails the validation where the LPU is wrong (JCGM 101 9.4)', () => {
  // y = x² at x = 0 ± 1: the LPU gives u = 0, Monte Carlo a χ²₁ distribution
  const r = run(spec({ y: 'x ^ 2' }, { x: ['0', '1'] }, {}));
  assert.is(r.outputs[0]!.validation.passed, false);
  assert.ok(r.outputs[0]!.summary.low >= 0);
});

it('several outputs: their sample correlations, both ways', () => {
  const r = run(spec({ s: 'a + b', d: 'a - b', twice: '2 * a + 2 * b' }, { a: ['0', '1'], b: ['0', '1'] }, {}));
  assert.equal([...r.correlation.keys()], ['s', 'd', 'twice']);
  assert.equal([...r.correlation.get('s')!.keys()], ['d', 'twice'], 'no output with itself');
  assert.ok(Math.abs(r.correlation.get('s')!.get('twice')! - 1) < 1e-12);
  assert.ok(Math.abs(r.correlation.get('s')!.get('d')!) < 0.03, 'a + b and a − b are uncorrelated for equal u');
  assert.is(r.correlation.get('d')!.get('s'), r.correlation.get('s')!.get('d'));
  assert.is(r.outputs.length, 3);
  assert.is(r.samples.length, 3);
});

it('the blocks run through the execution given, into arrays it allocates', () => {
  const calls: Array<[number, number, number, number]> = [];
  const allocated: number[] = [];
  const execution: McExecution = {
    run: (plan, first, count, trials, results, offset) => {
      calls.push([first, count, trials, offset]);
      runBlocks(plan, first, count, trials, results, offset);
    },
    allocate: (n) => {
      allocated.push(n);
      return new Float64Array(n);
    },
  };
  const trials = BLOCK + 10;
  const mine = run(spec({ y: 'a + b' }, { a: ['1', '0.3'], b: ['2', '0.4'] }, { trials }), execution);
  assert.equal(calls, [[0, 2, trials, 0]]);
  assert.equal(allocated, [trials]);
  assert.is(firstDifference(mine.samples[0]!, run(spec({ y: 'a + b' }, { a: ['1', '0.3'], b: ['2', '0.4'] }, { trials }), SINGLE_THREAD).samples[0]!), -1);
});

it('adaptive: batches of whole blocks on consecutive streams until stable (JCGM 101 7.9)', () => {
  const offsets: number[] = [];
  const execution: McExecution = {
    run: (plan, first, count, trials, results, offset) => {
      offsets.push(offset);
      runBlocks(plan, first, count, trials, results, offset);
    },
    allocate: (n) => new Float64Array(n),
  };
  const r = run(spec({ y: 'a + b' }, { a: ['0', '1'], b: ['0', '1'] }, { adaptiveDigits: 1 }), execution);
  // p = 0.95: M = max(100/0.05, 10⁴) = 10⁴ trials, rounded up to one block
  assert.is(r.adaptive!.batchSize, BLOCK);
  assert.is(r.adaptive!.converged, true);
  assert.ok(r.adaptive!.batches >= 2, 'never stops on one batch');
  assert.is(r.trials, r.adaptive!.batches * BLOCK);
  assert.is(r.samples[0]!.length, r.trials);
  assert.equal(
    offsets,
    Array.from({ length: r.adaptive!.batches }, (_, h) => h),
  );
  assert.is(r.outputs[0]!.validation.digits, 1);
});

it('an LPU spec is refused', () => {
  const s = spec({ y: 'a' }, { a: ['1', '1'] }, 'lpu');
  const compiled = compileOutputs(s.outputs, s.quantities);
  assert.throws(() => evaluateMonteCarlo(s, compiled, evaluateLpu(s, compiled)), /needs a monte-carlo spec/);
});

it.run();
