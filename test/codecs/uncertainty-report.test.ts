/** The person-readable budget: the statement, u_c, ν_eff, k and U, one row per input sorted by contribution, Monte Carlo and output correlations. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderReport } from '../../src/codecs/uncertainty-report.ts';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import type { BudgetRow, LpuResult, OutputResult } from '../../src/core/uncertainty/lpu.ts';
import type { McResult } from '../../src/core/uncertainty/monte-carlo/evaluate.ts';

const D = (s: string | number) => new Decimal(s);
const row = (quantity: string, u: string, dof: string | number, c: string, contribution: string, share: string, unit: string | null = 'g'): BudgetRow => ({
  quantity,
  value: D('100.0'),
  u: D(u),
  unit,
  dof: D(dof),
  sensitivity: D(c),
  contribution: D(contribution),
  share: D(share),
});
const output = (name: string, over: Partial<OutputResult> = {}): OutputResult =>
  ({
    name,
    value: D('100.02147'),
    standardUncertainty: D('0.0000353553390593'),
    effectiveDof: D('12.3456'),
    coverageFactor: D('2.17881'),
    expandedUncertainty: D('0.0000770320'),
    unit: 'g',
    reported: `${name} = (100.021 47 ± 0.000 077) g, k = 2.18`,
    budget: [row('m_small', '0.000025', 'Infinity', '1', '0.000025', '0.5'), row('m_big', '0.000025', 9, '-1', '0.0000250001', '0.5000004', null)],
    ...over,
  }) as OutputResult;
const lpu = (outputs: OutputResult[], correlation: LpuResult['correlation'] = new Map()): LpuResult => ({ outputs, covariance: new Map(), correlation });

const it = suite('uncertainty report');

it('one output: the statement, the combined figures to 6 (k to 4) digits, the budget by contribution', () => {
  const lines = renderReport({ lpu: lpu([output('m')]), monteCarlo: null }).split('\n');
  assert.is(lines[0], 'm = (100.021 47 ± 0.000 077) g, k = 2.18');
  assert.is(lines[1], '  u_c = 0.0000353553 g   ν_eff = 12.35   k = 2.179   U = 0.000077032 g');
  assert.is(lines[2], '');
  assert.is(lines[3], '  quantity  value  u(x)      unit  ν    c = ∂f/∂x  |c|·u(x)      share');
  assert.is(lines[4], '  m_big     100    0.000025        9    -1         0.0000250001  50.0 %');
  assert.is(lines[5], '  m_small   100    0.000025  g     inf  1          0.000025      50.0 %');
  assert.is(lines.length, 7);
});

it('infinite ν_eff is inf, a zero sensitivity 0', () => {
  const text = renderReport({
    lpu: lpu([output('m', { effectiveDof: D(Infinity), budget: [row('t', '0.1', 5, '0', '0', '0')] })]),
    monteCarlo: null,
  });
  assert.match(text, 'ν_eff = inf');
  assert.match(text, / {2}t\s+100\s+0\.1\s+g\s+5\s+0\s+0\s+0\.0 %/);
});

it('Monte Carlo: trials, seed, adaptive batches, and whether each output validated LPU', () => {
  const mc = {
    trials: 1_000_000,
    seed: 42n,
    adaptive: { batches: 12, batchSize: 10_000, converged: false },
    outputs: [
      {
        name: 'm',
        summary: { mean: 100.02, standardDeviation: 3.5e-5, low: 99.9, high: 100.1 },
        probability: 0.95,
        validation: { tolerance: 5e-7, dLow: 1.234e-7, dHigh: 6e-7, passed: false, digits: 2 },
      },
    ],
    correlation: new Map(),
    samples: [],
  } as unknown as McResult;
  const text = renderReport({ lpu: lpu([output('m')]), monteCarlo: mc });
  assert.match(text, 'Monte Carlo (JCGM 101): 1,000,000 trials, seed 42, adaptive: 12 batches, NOT converged within the trial limit\n');
  assert.match(text, '  m: mean 100.02, u 0.000035, interval [99.9, 100.1]; LPU NOT validated (d_low 1.23e-7, d_high 6.00e-7, δ 5.0e-7)');
  const ok = renderReport({
    lpu: lpu([output('m')]),
    monteCarlo: { ...mc, adaptive: null, outputs: [{ ...mc.outputs[0]!, validation: { ...mc.outputs[0]!.validation, passed: true } }] },
  });
  assert.match(ok, 'trials, seed 42\n');
  assert.match(ok, 'LPU validated');
});

it('two outputs: each pair correlated once, to four places', () => {
  const r = D('-0.123456');
  const text = renderReport({
    lpu: lpu(
      [output('a'), output('b')],
      new Map([
        ['a', new Map([['b', r]])],
        ['b', new Map([['a', r]])],
      ]),
    ),
    monteCarlo: null,
  });
  assert.match(text, 'Correlation between outputs (LPU):\n  r(a, b) = -0.1235\n');
  assert.not.match(text, 'r(b, a)');
  assert.not.match(renderReport({ lpu: lpu([output('a')]), monteCarlo: null }), 'Correlation');
});

it.run();
