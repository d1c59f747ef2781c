/**
 * The uncertainty use case (app/uncertainty.ts): a spec in, the result JSON
 * out, by the general lane (evaluate) and the fast lane (evaluateJson,
 * evaluateJsonText) alike; Monte Carlo handed to the executor given; compiled
 * models cached by their text and units, and the cache bounded.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UncertaintyService } from '../../src/app/uncertainty.ts';
import { throwsCode } from '../helpers/app-units.ts';

/** y = a·b, a = 2 (u 0.1), b = 3 (u 0.2): u(y)² = (3·0.1)² + (2·0.2)² = 0.09 + 0.16, so u(y) = 0.5 and U = 1 at k = 2. */
const PRODUCT = {
  measurand: 'y',
  model: 'a * b',
  quantities: { a: { value: '2', u: '0.1', unit: 'V' }, b: { value: '3', u: '0.2', unit: 'A' } },
  coverage: { k: '2' },
};

type Out = { value: string; standardUncertainty: string; expandedUncertainty: string; unit: string; budget: Array<{ sensitivity: string; share: string }> };
const y = (json: Record<string, unknown>) => (json.outputs as Record<string, Out>).y!;

const it = suite('app/uncertainty');

it('evaluates a product by the law of propagation: value 6, u 0.5, U 1 at k = 2, sensitivities 3 and 2, shares 0.36 and 0.64', () => {
  const result = new UncertaintyService().evaluate(structuredClone(PRODUCT));
  assert.is(result.monteCarlo, null);
  const out = y(result.json);
  assert.equal([out.value, out.standardUncertainty, out.expandedUncertainty, out.unit], ['6', '0.5', '1', 'V A']);
  assert.equal(
    out.budget.map((b) => [b.sensitivity, b.share]),
    [
      ['3', '0.36'],
      ['2', '0.64'],
    ],
  );
});

it('the fast lane gives the same JSON and the same text as the general lane', () => {
  const s = new UncertaintyService();
  const general = s.evaluate(structuredClone(PRODUCT)).json;
  assert.equal(s.evaluateJson(structuredClone(PRODUCT)), general);
  assert.is(s.evaluateJsonText(structuredClone(PRODUCT)), JSON.stringify(general));
});

it('a bad spec fails with its code and path in every lane', () => {
  const s = new UncertaintyService();
  const bad = { ...PRODUCT, quantities: { ...PRODUCT.quantities, a: { value: 2, u: '0.1' } } };
  throwsCode(() => s.evaluate(structuredClone(bad)), 'JSON_NUMBER', '/quantities/a/value');
  throwsCode(() => s.evaluateJson(structuredClone(bad)), 'JSON_NUMBER', '/quantities/a/value');
  throwsCode(() => s.evaluateJson({ ...PRODUCT, model: 'a * c' }), 'UNKNOWN_QUANTITY');
  throwsCode(() => s.evaluate({ ...PRODUCT, method: 'bayes' }), 'INVALID_METHOD', '/method');
});

it('Monte Carlo asks the executor for the trials, and runs on this thread when it declines', () => {
  const calls: Array<[unknown, number]> = [];
  const s = new UncertaintyService({ monteCarlo: (raw, trials) => (calls.push([raw, trials]), null) });
  const spec = { ...PRODUCT, method: 'monte-carlo', trials: '2000', seed: '7' };
  const result = s.evaluate(spec);
  assert.equal(calls, [[spec, 2000]]);
  assert.ok(result.monteCarlo);
  assert.is((result.json as { method: string }).method, 'monte-carlo');
  // the simulated mean lies near 6 (a few u/√M off at most), and the LPU result rides along
  const mean = Number(y(result.json).value);
  assert.ok(Math.abs(mean - 6) < 0.1, String(mean));
  // the same seed gives the same result
  assert.equal(new UncertaintyService().evaluate(spec).json, result.json);
});

it('the model cache is keyed by the model and the units: the same model over other units is compiled again', () => {
  const s = new UncertaintyService({ cacheSize: 1 });
  const inMetres = { ...PRODUCT, quantities: { a: { value: '2', u: '0.1', unit: 'm' }, b: { value: '3', u: '0.2', unit: 'm' } } };
  assert.is(y(s.evaluate(structuredClone(PRODUCT)).json).unit, 'V A');
  assert.is(y(s.evaluate(structuredClone(inMetres)).json).unit, 'm m');
  assert.is(y(s.evaluateJson(structuredClone(PRODUCT))).unit, 'V A');
  assert.is(y(s.evaluateJson(structuredClone(inMetres))).unit, 'm m');
  // a bounded cache alternating two models keeps answering each right
  const sum = { ...PRODUCT, model: 'a + b', quantities: { a: { value: '2', u: '0.3' }, b: { value: '3', u: '0.4' } } };
  for (let i = 0; i < 2; i++) {
    assert.is(y(s.evaluate(structuredClone(PRODUCT)).json).standardUncertainty, '0.5');
    assert.is(y(s.evaluate(structuredClone(sum)).json).value, '5');
    assert.is(y(s.evaluateJson(structuredClone(sum))).standardUncertainty, '0.5');
    assert.is(y(s.evaluateJson(structuredClone(PRODUCT))).value, '6');
  }
});

it.run();
