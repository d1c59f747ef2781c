import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { withApp } from '../helpers/app.ts';
import { testDatabases } from '../helpers/db.ts';

const h1 = JSON.parse(readFileSync('fixtures/gum/h1-end-gauge.json', 'utf8'));
const it = suite('POST /v1/uncertainty/evaluate');
const db = testDatabases()[0]!;

it('evaluates a spec and answers with the contract output', () =>
  withApp(
    db,
    async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload: h1 });
      assert.is(res.statusCode, 200, res.body);
      assert.is(res.headers['content-type'], 'application/json; charset=utf-8');
      const body = res.json();
      assert.is(body.method, 'lpu');
      assert.is(body.outputs.l.reported, 'l = (50.000838 ± 0.000093) mm, k = 2.92, p ≈ 99 %');
      for (const field of [
        'value',
        'standardUncertainty',
        'effectiveDof',
        'coverageFactor',
        'coverageProbability',
        'expandedUncertainty',
        'interval',
        'reported',
        'budget',
      ]) {
        assert.ok(field in body.outputs.l, `${field} is present`);
      }
      assert.is(typeof body.outputs.l.standardUncertainty, 'string');
      assert.ok(body.outputs.l.standardUncertainty.replace(/^0\.0*/, '').length >= 20, 'at least 20 significant digits');
      for (const key of ['quantity', 'value', 'u', 'dof', 'sensitivity', 'contribution', 'share']) assert.ok(key in body.outputs.l.budget[0], key);
    },
    { demo: false },
  ));

it('runs Monte Carlo with a seed and reports the validation', () =>
  withApp(
    db,
    async ({ app }) => {
      const payload = {
        model: 'a + b',
        quantities: { a: { value: '1', u: '0.1' }, b: { value: '2', u: '0.1' } },
        method: 'monte-carlo',
        trials: '50000',
        seed: '5',
      };
      const one = (await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload })).json();
      const two = (await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload })).json();
      assert.equal(one, two);
      assert.is(one.method, 'monte-carlo');
      assert.is(one.seed, '5');
      assert.is(one.outputs.y.validation.passed, true);
      const unseeded = (await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload: { ...payload, seed: undefined } })).json();
      assert.match(unseeded.seed, /^\d+$/, 'an unseeded run reports the seed it drew');
    },
    { demo: false },
  ));

it('a bad spec is a 400 problem with the code and the JSON path', () =>
  withApp(
    db,
    async ({ app }) => {
      const res = await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload: { ...h1, model: 'l_x + d' } });
      assert.is(res.statusCode, 400);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal({ code: res.json().code, path: res.json().path }, { code: 'UNKNOWN_QUANTITY', path: '/model' });
      assert.match(res.json().detail, /model uses 'l_x', which is not among the quantities/);
      const number = await app.inject({ method: 'POST', url: '/v1/uncertainty/evaluate', payload: { model: 'a', quantities: { a: { value: '1', u: 0.1 } } } });
      assert.equal([number.statusCode, number.json().code, number.json().path], [400, 'JSON_NUMBER', '/quantities/a/u']);
    },
    { demo: false },
  ));

it.run();
