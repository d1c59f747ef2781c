import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compileModel, SYMBOLIC_LIMIT } from '../../../src/core/model/measurement-model.ts';
import { compileGradient } from '../../../src/core/model/gradient.ts';
import { flatten } from '../../../src/core/model/flatten.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { math } from '../../../src/core/numeric/math.ts';

const it = suite('measurement models');
const names = ['a', 'b', 'c', 'd'];
const x = ['1.3', '0.7', '2.2', '-0.4'].map((v) => new Decimal(v));
const models = [
  'a * b - c / d',
  'sqrt(a) * exp(b) + log(c) - log10(a * c)',
  'sin(a) * cos(b) + tan(d) - asin(b) + acos(d) * atan(c)',
  'atan2(b, d) + abs(d) * a ^ 2.5 + a ^ b',
  'log(c, a) + pi * e * d',
  '-(a - b - c - d) * (a * b * c * d)',
];

it('reverse-mode sensitivities agree with the symbolic ones to 30 digits', () => {
  for (const model of models) {
    const symbolic = compileModel(model, names, '/model');
    if (symbolic.differentiation !== 'symbolic') continue; // mathjs could not differentiate it; nothing to compare
    const ad = compileGradient(flatten(math.parse(model)), new Map(names.map((n, i) => [n, i])), names.length, '/model')(x);
    assert.is(ad.value.toSignificantDigits(30).toString(), symbolic.value(x).toSignificantDigits(30).toString(), model);
    symbolic.sensitivities(x).forEach((c, i) => {
      assert.is(c === null, ad.gradient[i] === null, `${model}: both or neither depend on ${names[i]}`);
      if (c === null) return;
      assert.is(ad.gradient[i]!.toSignificantDigits(30).toString(), c!.toSignificantDigits(30).toString(), `${model}: ∂/∂${names[i]}`);
    });
  }
});

it('mathjs differentiates most models symbolically; the rest fall back to the reverse-mode sweep', () => {
  const kinds = models.map((m) => compileModel(m, names, '/model').differentiation);
  assert.ok(kinds.filter((k) => k === 'symbolic').length >= 5, kinds.join());
  const fallback = compileModel('log(c) - log10(a * c)', names, '/model');
  assert.is(fallback.differentiation, 'automatic', 'mathjs 15 cannot differentiate this one in BigNumber mode');
  // d/da (log c − log10(a·c)) = −1/(a·ln 10)
  assert.is(
    fallback.sensitivities(x)[0]!.toSignificantDigits(30).toString(),
    new Decimal(-1)
      .div(new Decimal('1.3').times(new Decimal(10).ln()))
      .toSignificantDigits(30)
      .toString(),
  );
});

it('a model with more inputs than the symbolic limit is differentiated automatically, and a long sum stays shallow', () => {
  const n = SYMBOLIC_LIMIT * 100;
  const quantities = Array.from({ length: n }, (_, i) => `x${i}`);
  const model = compileModel(quantities.map((q, i) => `${i % 7} * ${q}`).join(' - '), quantities, '/model');
  assert.is(model.differentiation, 'automatic');
  const values = quantities.map(() => new Decimal(1));
  const c = model.sensitivities(values);
  assert.is(c[0]!.toString(), '0');
  assert.is(c[1]!.toString(), '-1');
  assert.is(c[8]!.toString(), '-1');
  assert.is(c[13]!.toString(), '-6');
});

it.run();
