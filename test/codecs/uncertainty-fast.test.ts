/**
 * The fast lane (exact kernel) and the general lane (readSpec + Decimal LPU)
 * must give the same JSON, text for text, or the same error: over the
 * published examples, over random models of + − × ÷ with inputs of every
 * length, sign and magnitude, and over specs broken in the ways a batch
 * breaks them.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UncertaintyService } from '../../src/app/uncertainty.ts';
import { readFastSpec } from '../../src/codecs/uncertainty-fast.ts';
import { exactModel } from '../../src/core/model/compile-exact.ts';
import { compileModel, SYMBOLIC_LIMIT } from '../../src/core/model/measurement-model.ts';
import { MetrologyError } from '../../src/core/errors.ts';

const runs = Number(process.env.METROTRACE_FUZZ_RUNS ?? 150);
const params = { seed: 20261202, numRuns: runs };
const it = suite('uncertainty fast lane');

function outcome(f: () => unknown): string {
  try {
    return JSON.stringify(f());
  } catch (e) {
    if (e instanceof MetrologyError) return `error ${JSON.stringify(e.toJSON())}`;
    throw e;
  }
}

/** Both lanes on fresh services (no cache shared with the other lane). */
function lanes(spec: unknown): [string, string] {
  const general = outcome(() => new UncertaintyService().evaluate(structuredClone(spec)).json);
  const fast = outcome(() => new UncertaintyService().evaluateJson(structuredClone(spec)));
  // the batch's text writer gives the same text as serialising the object
  const text = outcome(() => JSON.parse(new UncertaintyService().evaluateJsonText(structuredClone(spec))));
  assert.is(text, fast, 'evaluateJsonText and JSON.stringify(evaluateJson) differ');
  const direct = (() => {
    try {
      return new UncertaintyService().evaluateJsonText(structuredClone(spec));
    } catch {
      return null;
    }
  })();
  if (direct !== null) assert.is(direct, fast, 'the text is not JSON.stringify of the object, byte for byte');
  return [general, fast];
}

const H1 = JSON.parse(readFileSync('fixtures/gum/h1-end-gauge.json', 'utf8'));

it('the published examples read the same in both lanes, and H.1 takes the fast one', () => {
  for (const file of ['fixtures/gum/h1-end-gauge.json', 'fixtures/gum/h2-resistance-reactance.json', 'fixtures/ea-4-02/s2-weight.json']) {
    const spec = JSON.parse(readFileSync(file, 'utf8'));
    const [general, fast] = lanes(spec);
    assert.is(fast, general, file);
  }
  assert.ok(readFastSpec(H1), 'H.1 is read by the fast lane');
});

it('one service alternating lanes over a batch gives the same lines', () => {
  const service = new UncertaintyService();
  for (let i = 0; i < 50; i++) {
    const spec = structuredClone(H1);
    spec.quantities.l_s.value = (50 + (i % 97) * 1e-6).toFixed(6);
    spec.quantities.theta.value = (-0.1 + (i % 7) * 0.01).toFixed(2);
    assert.is(JSON.stringify(service.evaluateJson(structuredClone(spec))), JSON.stringify(service.evaluate(spec).json));
  }
});

// ---- random specs ----------------------------------------------------------------

const names = ['x0', 'x1', 'x2', 'x3', 'x4', 'x5'];
const digits = fc.oneof(fc.stringMatching(/^[1-9][0-9]{0,6}$/), fc.stringMatching(/^[1-9][0-9]{0,44}$/), fc.constantFrom('0', '5', '25', '125', '9999999'));
const decimalText = fc.tuple(fc.boolean(), digits, fc.integer({ min: -14, max: 8 })).map(([negative, d, e]) => {
  const s = `${negative ? '-' : ''}${d}e${e}`;
  return s;
});
const plain = fc
  .tuple(fc.boolean(), fc.integer({ min: 0, max: 999999 }), fc.integer({ min: 0, max: 9 }))
  .map(([n, v, s]) => `${n ? '-' : ''}${(v / 10 ** s).toFixed(s)}`);
const value = fc.oneof(plain, decimalText);
const positive = fc.oneof(
  fc.integer({ min: 0, max: 99999 }).map((v) => `0.${String(v).padStart(7, '0')}`),
  fc.tuple(digits, fc.integer({ min: -12, max: 3 })).map(([d, e]) => `${d}e${e}`),
);
const dof = fc.oneof(
  fc.constant(undefined),
  fc.constant('inf'),
  fc.integer({ min: 1, max: 60 }).map(String),
  fc.constantFrom('25.6', '0.5', '1e3', '100000000'),
);
const quantity = fc.oneof(
  fc.record({ value, u: positive, dof, unit: fc.constantFrom(undefined, 'mm', 'K', '1/K', 'g', 'µm', '°C', 'a"b\\c') }),
  fc.record({
    value,
    distribution: fc.constantFrom('rectangular', 'triangular', 'u-shaped'),
    halfWidth: positive,
    dof,
    unit: fc.constantFrom(undefined, 'mm'),
  }),
);

const leaf = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constantFrom('2', '0.5', '1.0000001', '3e-7', '1000') });
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '^'), tie('expr'))
      .map(([a, op, b]) => (op === '^' ? [a, op, '2'] : [a, op, b]))
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([a, b, c]) => `${a} + ${b} - ${c}`),
    tie('expr').map((a) => `-${a}`),
  ),
}));
const coverage = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('0.95', '0.99', '0.6827', '0.9545').map((p) => ({ probability: p })),
  fc.constantFrom('2', '1', '3', '2.576').map((k) => ({ k })),
);
const spec = fc
  .record({ model: expr, quantities: fc.tuple(...names.map(() => quantity)), coverage, measurand: fc.constantFrom(undefined, 'y', 'l') })
  .map((s) => {
    const out: Record<string, unknown> = {
      model: s.model,
      quantities: Object.fromEntries(names.map((n, i) => [n, JSON.parse(JSON.stringify(s.quantities[i]))])),
    };
    if (s.coverage) out.coverage = s.coverage;
    if (s.measurand) out.measurand = s.measurand;
    return out;
  });

it('random models and inputs: the same JSON from both lanes (most of them in the fast lane)', () => {
  let fastLane = 0;
  fc.assert(
    fc.property(spec, (s) => {
      const [general, fast] = lanes(s);
      assert.is(fast, general, JSON.stringify(s));
      if (readFastSpec(s) && !general.startsWith('error')) fastLane++;
    }),
    params,
  );
  assert.ok(fastLane > params.numRuns / 3, `only ${fastLane} of ${params.numRuns} specs were read by the fast lane`);
});

/** Enough further inputs that the model is differentiated automatically (reverse mode), not symbolically. */
const many = Array.from({ length: SYMBOLIC_LIMIT + 1 }, (_, i) => `z${i}`);

it('random models differentiated automatically: the exact reverse sweep gives the Decimal one, digit for digit', () => {
  let fastLane = 0;
  fc.assert(
    fc.property(spec, fc.constantFrom('+', '*', '/'), (s, join) => {
      const wide = structuredClone(s) as { model: string; quantities: Record<string, unknown> };
      wide.model = `(${s.model as string}) ${join} (${many.join(' + ')})`;
      many.forEach((z, i) => (wide.quantities[z] = { value: `${i + 1}.5`, u: '0.0' + String(i + 1), dof: String(5 + i) }));
      const [general, fast] = lanes(wide);
      assert.is(fast, general, JSON.stringify(wide));
      const read = readFastSpec(wide);
      if (read && !general.startsWith('error')) {
        const compiled = compileModel(
          read.model,
          read.inputs.map((q) => q.name),
          '/model',
        );
        assert.is(compiled.differentiation, 'automatic');
        if (exactModel(compiled)) fastLane++;
      }
    }),
    params,
  );
  assert.ok(fastLane > params.numRuns / 3, `only ${fastLane} of ${params.numRuns} automatic models were compiled for the fast lane`);
});

/** Ways a line of a batch goes wrong. */
// biome-ignore lint/suspicious/noExplicitAny: the test breaks a spec's JSON in any way it likes
const breakages: Array<(s: Record<string, any>) => void> = [
  (s) => (s.quantities.x0.value = 50.1),
  (s) => (s.quantities.x1.u = '-0.1'),
  (s) => (s.quantities.x1.u = ' 0.1'),
  (s) => (s.quantities.x2.dof = '0'),
  (s) => (s.quantities.x2.dof = 'Infinity'),
  (s) => (s.quantities.x3.colour = 'red'),
  (s) => (s.quantities.x3.distribution = 'normal'),
  (s) => (s.quantities.x3.distribution = 'gamma'),
  (s) => (s.quantities.x4.unit = ''),
  (s) => (s.quantities.x4 = { value: '1', expanded: '0.2', k: '2' }),
  (s) => (s.quantities.x4 = { value: '1', u: null }),
  (s) => (s.quantities.x5 = null),
  (s) => (s.quantities.pi = { value: '1', u: '1' }),
  (s) => (s.quantities.x0.value = '1e999999'),
  (s) => (s.model = 'x0 + nope'),
  (s) => (s.model = 'x0 * sqrt(x1)'),
  (s) => (s.model = 'x0 / (x1 - x1)'),
  (s) => (s.model = ''),
  (s) => (s.coverage = { probability: '1' }),
  (s) => (s.coverage = { probability: '0.95', k: '2' }),
  (s) => (s.coverage = { k: 2 }),
  (s) => (s.measurand = '1bad'),
  (s) => (s.method = 'monte-carlo'),
  (s) => (s.correlations = []),
  (s) => (s.extra = true),
];

it('broken specs: the same error (or result) from both lanes', () => {
  fc.assert(
    fc.property(spec, fc.integer({ min: 0, max: breakages.length - 1 }), (s, b) => {
      breakages[b]!(s);
      if (s.method === 'monte-carlo') s.trials = '1000';
      const [general, fast] = lanes(s);
      assert.is(fast, general, JSON.stringify(s));
    }),
    { ...params, numRuns: Math.max(breakages.length * 4, runs / 4) },
  );
});

it.run();
