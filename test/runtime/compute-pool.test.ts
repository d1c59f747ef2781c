/**
 * No request stalls the server (issue #16, observation 1): the models that
 * held the event loop for minutes, run through the API on the worker pool
 * with a short deadline, while /health keeps answering.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildApp } from '../../src/http/app.ts';
import { createComputePool } from '../../src/runtime/compute-pool.ts';

const pool = createComputePool({ deadlineMs: 3000, memoryMb: 256, threads: 1 });
// Stateless routes: no database, and an access service that admits the test's key as an admin.
const access = { authenticate: async () => ({ ok: true, caller: { kind: 'key', keyId: 't', role: 'admin', organisationId: null } }), record: async () => {} };
const app = await buildApp({
  computations: pool,
  access,
  database: { kind: 'pglite', ping: async () => {} },
  version: 'test',
  protection: { publicPerMinute: 0, keyPerMinute: 0 },
} as never);
const headers = { authorization: 'Bearer test' };
const evaluate = (spec: object) => app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', headers, payload: spec as Record<string, unknown> });
const nested = (open: string, depth: number) => `${open.repeat(depth)}x${')'.repeat(depth)}`;
const x = { x: { value: '2', u: '0.01' } };

const it = suite('bounded computation');

it.before(() => pool.ready());
it.after(async () => {
  await app.close();
  await pool.close();
});

it('the models that took minutes are answered: deep nesting is differentiated automatically, too deep is refused', async () => {
  for (const [model, depth] of [
    ['sqrt(', 13],
    ['sqrt(', 150],
    ['abs(', 30],
    ['x/(', 30],
    ['sin(', 20],
  ] as const) {
    const res = await evaluate({ model: nested(model, depth), quantities: x });
    assert.is(res.statusCode, 200, `${model}×${depth}: ${res.body}`);
  }
  const deep = await evaluate({ model: nested('sqrt(', 250), quantities: x });
  assert.equal([deep.statusCode, deep.json().code], [400, 'INVALID_MODEL']);
  assert.match(deep.json().detail, /nests brackets more than 200 deep/);
});

it('a 200,000-term sum is a result, not a 500', async () => {
  const res = await evaluate({ model: Array(200_000).fill('x').join('+'), quantities: x });
  assert.ok(res.statusCode === 200 || res.json().code === 'COMPUTATION_LIMIT', res.body.slice(0, 300));
});

it('a computation past its deadline is stopped with COMPUTATION_LIMIT while /health keeps answering; the next one runs', async () => {
  const terms = Array.from({ length: 3000 }, (_, i) => `q${i}`);
  const spec = {
    model: terms.join('+'),
    quantities: Object.fromEntries(terms.map((t) => [t, { value: '1', u: '0.1' }])),
    method: 'monte-carlo',
    trials: '10000000',
    seed: '1',
  };
  const started = Date.now();
  const heavy = evaluate(spec).then((r) => ({ r, at: Date.now() }));
  let slowest = 0;
  let answered = 0;
  let done = false;
  void heavy.then(() => (done = true));
  while (!done) {
    const t = Date.now();
    const h = await app.inject({ method: 'GET', url: '/health' });
    assert.is(h.statusCode, 200);
    slowest = Math.max(slowest, Date.now() - t);
    answered++;
    await new Promise((r) => setTimeout(r, 50));
  }
  const { r, at } = await heavy;
  assert.equal([r.statusCode, r.json().code], [422, 'COMPUTATION_LIMIT'], r.body);
  assert.match(r.json().detail, /past its limit of 3 s/);
  assert.ok(at - started < 60_000, 'stopped (its deadline counts from when a loaded worker takes it)');
  assert.ok(answered >= 5, `/health answered ${answered} times meanwhile`);
  // a loose bound, for a shared machine: the event loop was never held (it was for minutes)
  assert.ok(slowest < 1000, `the slowest /health took ${slowest} ms`);
  console.log(`    /health answered ${answered} times during a stopped computation, slowest ${slowest} ms`);
  const after = await evaluate({ model: 'x^2', quantities: x });
  assert.is(after.statusCode, 200, after.body);
});

it('10,000 decisions under a maximum PFA: answered, or stopped at the deadline, never a stalled server', async () => {
  const points = Array.from({ length: 10_000 }, (_, i) => ({ value: (i / 10_000 - 0.5).toFixed(4), expandedUncertainty: '0.30', coverageFactor: '2' }));
  const pending = app.inject({
    method: 'POST',
    url: '/v1/conformity/decisions',
    headers,
    payload: { rule: { kind: 'max_pfa', pfa: '0.025' }, tolerance: { lower: '-1.0', upper: '1.0' }, points },
  });
  assert.is((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
  const res = await pending;
  if (res.statusCode === 200) assert.is(res.json().decisions.length, 10_000);
  else assert.equal([res.statusCode, res.json().code], [422, 'COMPUTATION_LIMIT'], res.body.slice(0, 300));
});

it.run();
