/**
 * The computations a request can make (app/computations.ts): the kernel a
 * worker runs, job by job kind, and the in-process variant the CLI and tests
 * use — the same answers through both.
 */
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ComputationKernel, inProcess } from '../../src/app/computations.ts';
import { rejects, throwsCode } from '../helpers/app-units.ts';

/** y = a + b, u(a) = 0.3, u(b) = 0.4: u(y) = 0.5, U = 1 at k = 2. */
const SUM = {
  measurand: 'y',
  model: 'a + b',
  quantities: { a: { value: '1.0', u: '0.3', unit: 'mm' }, b: { value: '2.00', u: '0.4', unit: 'mm' } },
  coverage: { k: '2' },
};
/** Guard band w = U = 0.30 inside ±1.0: the acceptance limits are ±0.7. */
const DECISIONS = {
  rule: { kind: 'guard_band' },
  tolerance: { lower: '-1.0', upper: '1.0' },
  points: ['0.7', '0.8', '1.1', '1.4'].map((value) => ({ value, expandedUncertainty: '0.30', coverageFactor: '2' })),
};

type Y = { outputs: { y: { value: string; standardUncertainty: string; expandedUncertainty: string; interval: string[] } } };

const it = suite('app/computations');

it('evaluate: a spec to its result as JSON text, decimals as strings', async () => {
  const text = await inProcess().evaluate(structuredClone(SUM));
  assert.type(text, 'string');
  const out = (JSON.parse(text) as Y).outputs.y;
  assert.equal([out.value, out.standardUncertainty, out.expandedUncertainty, out.interval], ['3', '0.5', '1', ['2', '4']]);
});

it('decide: pass, conditional pass, conditional fail and fail around the guard-banded limits ±0.7', async () => {
  const result = await inProcess().decide(structuredClone(DECISIONS));
  assert.equal(
    result.decisions.map((d) => d.decision),
    ['pass', 'conditional_pass', 'conditional_fail', 'fail'],
  );
  assert.equal(result.decisions[0]!.acceptanceLimits, { lower: '-0.7', upper: '0.7' });
  assert.match(result.rule, /guard band/);
});

it('readDcc: a DCC of the demo read into the record it states', async () => {
  const dcc = await inProcess().readDcc(readFileSync('fixtures/dcc/rec-city-e1-2025.xml', 'utf8'));
  assert.equal(
    [dcc.record.kind, dcc.record.certificateNo, dcc.record.performedOn, dcc.record.validUntil, dcc.record.points?.[0]?.asFound],
    ['calibration', 'NIM-ZL2025-0412', '2025-04-10', '2027-04-09', '1.000000031'],
  );
});

it('the kernel runs each kind of job to the same answer as the in-process computations', async () => {
  const kernel = new ComputationKernel();
  const computations = inProcess(kernel);
  assert.equal(kernel.run({ kind: 'evaluate', input: structuredClone(SUM) }), await computations.evaluate(structuredClone(SUM)));
  assert.equal(kernel.run({ kind: 'decide', input: structuredClone(DECISIONS) }), await computations.decide(structuredClone(DECISIONS)));
});

it('bad input fails with its code and path, as a rejected promise in process', async () => {
  const kernel = new ComputationKernel();
  throwsCode(() => kernel.run({ kind: 'decide', input: { ...DECISIONS, tolerance: {} } }), 'MISSING_FIELD', '/tolerance');
  await rejects(inProcess().evaluate({ ...SUM, method: 'bayes' }), 'INVALID_METHOD', '/method');
  await rejects(
    inProcess().decide({ rule: { kind: 'simple' }, tolerance: { upper: '1' }, points: [{ value: '0.8', expandedUncertainty: '0', coverageFactor: '2' }] }),
    'NEGATIVE_UNCERTAINTY',
    '/points/0/expandedUncertainty',
  );
});

it('options reach the uncertainty service: a Monte Carlo executor given to the kernel is asked', () => {
  const asked: number[] = [];
  const kernel = new ComputationKernel({ monteCarlo: (_raw, trials) => (asked.push(trials), null) });
  kernel.run({ kind: 'evaluate', input: { ...SUM, method: 'monte-carlo', trials: '100', seed: '1' } });
  assert.equal(asked, [100]);
});

it.run();
