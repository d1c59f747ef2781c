import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { exactModel } from '../../../src/core/model/compile-exact.ts';
import { compileModel } from '../../../src/core/model/measurement-model.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { inferUnit } from '../../../src/core/model/units.ts';
import { exactText, parseExact } from '../../../src/core/numeric/exact.ts';
import { Correlations } from '../../../src/core/uncertainty/correlation.ts';
import { evaluateLpu } from '../../../src/core/uncertainty/lpu.ts';
import { type ExactCoverage, type ExactOutput, evaluateLpuExact } from '../../../src/core/uncertainty/lpu-exact.ts';
import type { EvaluationSpec } from '../../../src/core/uncertainty/spec.ts';

const it = suite('law of propagation on the exact kernel');

interface Q {
  name: string;
  value: string;
  u: string;
  dof?: string;
  unit?: string;
}

/** Each model is compiled once (mathjs differentiates it), for both paths. */
const models = new Map<string, ReturnType<typeof compileModel>>();
function compiledModel(model: string, qs: Q[]) {
  const key = `${model}|${qs.map((q) => q.name)}`;
  if (!models.has(key))
    models.set(
      key,
      compileModel(
        model,
        qs.map((q) => q.name),
        '/model',
      ),
    );
  return models.get(key)!;
}

function exact(model: string, qs: Q[], coverage: ExactCoverage, unit: string | null = null): ExactOutput | null {
  const m = exactModel(compiledModel(model, qs));
  assert.ok(m, `${model} compiles on the kernel`);
  const inputs = qs.map((q) => ({
    name: q.name,
    value: parseExact(q.value),
    u: parseExact(q.u),
    dof: q.dof === undefined ? null : parseExact(q.dof),
    unit: q.unit ?? null,
  }));
  return evaluateLpuExact('y', m!, unit, inputs, coverage);
}

/** The same evaluation through lpu.ts, the reference. */
function reference(model: string, qs: Q[], coverage: ExactCoverage) {
  const spec: EvaluationSpec = {
    outputs: [{ name: 'y', expression: model, path: '/model' }],
    quantities: qs.map((q) => ({
      name: q.name,
      value: new Decimal(q.value),
      u: new Decimal(q.u),
      dof: new Decimal(q.dof ?? Infinity),
      unit: q.unit ?? null,
      form: 'standard' as const,
      sampling: { kind: 'normal' as const },
    })),
    correlations: new Correlations<string>(),
    coverage: coverage.kind === 'k' ? { kind: 'k', k: new Decimal(coverage.text) } : { kind: 'probability', probability: new Decimal(coverage.text) },
    method: { kind: 'lpu' },
  };
  const compiled = compiledModel(model, qs);
  const unit = inferUnit(compiled.node, new Map(qs.map((q) => [q.name, q.unit ?? null])));
  return evaluateLpu(spec, [{ model: spec.outputs[0]!, compiled, unit }]).outputs[0]!;
}

const t = exactText;

it('y = a + b with k = 2: u_c = 0.5, U = 1.0, worked by hand', () => {
  const qs = [
    { name: 'a', value: '1', u: '0.3' },
    { name: 'b', value: '2', u: '0.4' },
  ];
  const o = exact('a + b', qs, { kind: 'k', text: '2' })!;
  assert.is(t(o.value), '3');
  assert.is(t(o.standardUncertainty), '0.5');
  assert.is(o.effectiveDof, null, 'every input exactly known in distribution: ν_eff infinite');
  assert.is(t(o.coverageFactor), '2');
  assert.is(t(o.expandedUncertainty), '1');
  assert.equal(o.interval.map(t), ['2', '4']);
  assert.equal(
    o.budget.map((r) => [r.input.name, t(r.sensitivity), t(r.contribution), t(r.share)]),
    [
      ['a', '1', '0.3', '0.36'],
      ['b', '1', '0.4', '0.64'],
    ],
  );
  // p for k = 2 of a normal distribution, 95.45 %, to two significant digits
  assert.is(o.reported, 'y = 3.0 ± 1.0, k = 2, p ≈ 95 %');
  assert.is(t(o.coverageProbability).slice(0, 8), '0.954499');
});

it('a probability with finite degrees of freedom: Welch–Satterthwaite, then Student t', () => {
  const qs = [
    { name: 'a', value: '1', u: '0.3', dof: '4', unit: 'mm' },
    { name: 'b', value: '2', u: '0.4', unit: 'mm' },
  ];
  const o = exact('a + b', qs, { kind: 'probability', text: '0.95' }, 'mm')!;
  // ν_eff = 0.5⁴ / (0.3⁴/4) = 0.0625 / 0.002025 = 30.864…, truncated to 30: t₀.₉₇₅(30) = 2.042272…
  assert.is(t(o.effectiveDof!), '30.86419753086419753086419753086419753086');
  assert.is(t(o.coverageFactor).slice(0, 8), '2.042272');
  assert.is(o.reported, 'y = (3.0 ± 1.0) mm, k = 2.04, p ≈ 95 %');
  assert.is(t(o.coverageProbability), '0.95');
});

it('ν_eff below one is truncated to one, not zero', () => {
  const o = exact('2 * a', [{ name: 'a', value: '5', u: '1', dof: '0.5' }], { kind: 'probability', text: '0.95' })!;
  assert.is(t(o.effectiveDof!), '0.5');
  // t₀.₉₇₅(1) = tan(0.475π) = 12.7062047…
  assert.is(t(o.coverageFactor).slice(0, 10), '12.7062047');
});

it('every digit as lpu.ts gives it, on a nonlinear model', () => {
  const qs = [
    { name: 'V', value: '10.000123', u: '0.0000071', dof: '9', unit: 'V' },
    { name: 'R', value: '99.99871', u: '0.00033', dof: '24', unit: 'ohm' },
    { name: 'dR', value: '-0.0021', u: '0.0004', unit: 'ohm' },
  ];
  for (const coverage of [
    { kind: 'probability', text: '0.95' },
    { kind: 'k', text: '2' },
    { kind: 'probability', text: '0.9973' },
  ] as ExactCoverage[]) {
    const model = 'V ^ 2 / (R + dR)';
    const r = reference(model, qs, coverage);
    assert.is(r.unit, 'V^2 / ohm');
    const o = exact(model, qs, coverage, r.unit)!;
    assert.is(t(o.value), r.value.toString());
    assert.is(t(o.standardUncertainty), r.standardUncertainty.toString());
    assert.is(t(o.effectiveDof!), r.effectiveDof.toString());
    assert.is(t(o.coverageFactor), r.coverageFactor.toString());
    assert.is(t(o.coverageProbability), r.coverageProbability.toString());
    assert.is(t(o.expandedUncertainty), r.expandedUncertainty.toString());
    assert.equal(
      o.interval.map(t),
      r.interval.map((x) => x.toString()),
    );
    assert.equal(
      o.budget.map((b) => [t(b.sensitivity), t(b.contribution), t(b.share)]),
      r.budget.map((b) => [b.sensitivity.toString(), b.contribution.toString(), b.share.toString()]),
    );
    assert.is(o.reported, r.reported, JSON.stringify(coverage));
  }
});

it('no uncertainty: U = 0, the value as it is, no share', () => {
  const qs = [
    { name: 'a', value: '1.25', u: '0' },
    { name: 'b', value: '2', u: '0' },
  ];
  const o = exact('a * b', qs, { kind: 'k', text: '2' })!;
  assert.is(t(o.standardUncertainty), '0');
  assert.is(o.effectiveDof, null);
  assert.equal(
    o.budget.map((r) => t(r.share)),
    ['0', '0'],
  );
  assert.is(o.reported, 'y = 2.5 ± 0, k = 2, p ≈ 95 %');
  assert.is(o.reported, reference('a * b', qs, { kind: 'k', text: '2' }).reported);
});

it('a value that rounds to zero is written without its minus sign', () => {
  const qs = [{ name: 'a', value: '-0.001', u: '0.5' }];
  const o = exact('a', qs, { kind: 'k', text: '2' })!;
  assert.is(o.reported, 'y = 0.0 ± 1.0, k = 2, p ≈ 95 %');
  assert.is(o.reported, reference('a', qs, { kind: 'k', text: '2' }).reported);
});

it('what it does not cover is left to lpu.ts: null', () => {
  // a division by zero (lpu.ts gives EVALUATION_FAILED)
  assert.is(
    exact(
      'a / b',
      [
        { name: 'a', value: '1', u: '0.1' },
        { name: 'b', value: '0', u: '0.1' },
      ],
      { kind: 'k', text: '2' },
    ),
    null,
  );
  // a value beyond ±1e1000
  assert.is(exact('a * a', [{ name: 'a', value: '1e600', u: '1' }], { kind: 'k', text: '2' }), null);
  // a value of more digits than the precision (an input written out longer than 40 digits)
  assert.is(exact('a', [{ name: 'a', value: '1.00000000000000000000000000000000000000001', u: '0.1' }], { kind: 'k', text: '2' }), null);
  // but 1e999 is in range
  assert.ok(exact('a', [{ name: 'a', value: '1e999', u: '1e998' }], { kind: 'k', text: '2' }));
});

it.run();
