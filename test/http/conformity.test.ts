/** POST /v1/conformity/decisions: the worked examples of the core tests, over HTTP. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inProcess } from '../../src/app/computations.ts';
import { buildApp } from '../../src/http/app.ts';

// Stateless: no database, and an access service that admits the test's key as an admin.
const access = { authenticate: async () => ({ ok: true, caller: { kind: 'key', keyId: 't', role: 'admin', organisationId: null } }), record: async () => {} };
const app = await buildApp({ computations: inProcess(), access, database: { kind: 'pglite', ping: async () => {} }, version: 'test' } as never);
const post = (payload: unknown) =>
  app.inject({ method: 'POST', url: '/v1/conformity/decisions', headers: { authorization: 'Bearer test' }, payload: payload as Record<string, unknown> });

test('guard band w = U: the non-binary statement with risk, decimals as strings', async () => {
  const res = await post({
    rule: { kind: 'guard_band' },
    tolerance: { lower: '-1.0', upper: '1.0' },
    points: ['0.7', '0.8', '1.1', '1.4'].map((value) => ({ value, expandedUncertainty: '0.30', coverageFactor: '2' })),
  });
  assert.is(res.statusCode, 200, res.body);
  const body = res.json();
  assert.match(body.rule, /guard band w = U/);
  assert.equal(
    body.decisions.map((d: { decision: string }) => d.decision),
    ['pass', 'conditional_pass', 'conditional_fail', 'fail'],
  );
  assert.equal(body.decisions[0].acceptanceLimits, { lower: '-0.7', upper: '0.7' });
  assert.is(body.decisions[0].specificRisk.probability.slice(0, 8), '0.022750');
});

test('bad input: JSON numbers, zero uncertainty, a PFA outside (0, 1)', async () => {
  let res = await post({ rule: { kind: 'simple' }, tolerance: { upper: '1' }, points: [{ value: 0.8, expandedUncertainty: '0.3', coverageFactor: '2' }] });
  assert.equal([res.statusCode, res.json().code], [400, 'JSON_NUMBER']);
  res = await post({ rule: { kind: 'simple' }, tolerance: { upper: '1' }, points: [{ value: '0.8', expandedUncertainty: '0', coverageFactor: '2' }] });
  assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'NEGATIVE_UNCERTAINTY', '/points/0/expandedUncertainty']);
  res = await post({ rule: { kind: 'max_pfa', pfa: '1.5' }, tolerance: { upper: '1' }, points: [] });
  assert.equal([res.statusCode, res.json().code, res.json().path], [400, 'INVALID_FIELD', '/rule/pfa']);
});

test.after(() => app.close());
test.run();
