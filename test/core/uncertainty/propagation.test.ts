/** The law of propagation (GUM 5.1.2, 5.2.2) and Welch–Satterthwaite (G.4.1) over terms small enough to work out by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { Correlations } from '../../../src/core/uncertainty/correlation.ts';
import { combinedVariance, covarianceOf, effectiveDof, type Term } from '../../../src/core/uncertainty/propagation.ts';

const term = (key: string, contribution: number | string, dof: number = Infinity): Term<string> => ({
  key,
  contribution: new Decimal(contribution),
  dof: new Decimal(dof),
});
const corr = (...pairs: Array<[string, string, string]>) => {
  const c = new Correlations<string>();
  for (const [a, b, r] of pairs) c.set(a, b, new Decimal(r));
  return c;
};
const s = (x: Decimal, digits = 30) => x.toSignificantDigits(digits).toString();

test('independent inputs: the sum of squared contributions, signs irrelevant', () => {
  assert.is(combinedVariance([term('a', 3), term('b', -4)]).toString(), '25');
  assert.is(combinedVariance([]).toString(), '0');
});

test('the same input named twice is one input: its contributions add before squaring', () => {
  assert.is(combinedVariance([term('a', 3), term('a', 4)]).toString(), '49');
});

test('correlated inputs add 2·cᵢu(xᵢ)·cⱼu(xⱼ)·r: 9 + 16 + 2·3·4·r', () => {
  assert.is(combinedVariance([term('a', 3), term('b', 4)], corr(['a', 'b', '0.5'])).toString(), '37');
  assert.is(combinedVariance([term('a', 3), term('b', 4)], corr(['a', 'b', '-1'])).toString(), '1');
});

test('covariance of two results over shared and correlated inputs (GUM H.2.3)', () => {
  const y1 = [term('x', 2), term('y', 1)];
  const y2 = [term('x', 3), term('z', 5)];
  assert.is(covarianceOf(y1, y2).toString(), '6');
  assert.is(covarianceOf(y1, y2, corr(['y', 'z', '0.5'])).toString(), '8.5');
});

test('Welch–Satterthwaite: u_c⁴ / Σ (cᵢu(xᵢ))⁴/νᵢ, infinite degrees of freedom contributing nothing', () => {
  const one = [term('a', 3, 4), term('b', 4)];
  assert.is(s(effectiveDof(one, combinedVariance(one))), '30.8641975308641975308641975309'); // 625 / (81/4) = 2500/81
  const two = [term('a', 3, 4), term('b', 4, 9)];
  assert.is(s(effectiveDof(two, combinedVariance(two))), '12.8351397604107244723331431831'); // 625 / (81/4 + 256/9) = 22500/1753
  assert.not.ok(effectiveDof([term('a', 3), term('b', 4)], new Decimal(25)).isFinite());
  assert.not.ok(effectiveDof([term('a', 0, 3)], new Decimal(0)).isFinite(), 'zero variance');
});

test('correlated inputs form one group with the smallest ν of its members', () => {
  const terms = [term('a', 3, 4), term('b', 4, 9), term('c', 2, 2)];
  const r = corr(['a', 'b', '0.5']);
  const variance = combinedVariance(terms, r);
  assert.is(variance.toString(), '41');
  // group {a, b}: u² = 37, ν = 4; c alone: 2⁴/2 = 8; ν_eff = 41² / (37²/4 + 8) = 6724/1401
  assert.is(s(effectiveDof(terms, variance, r)), '4.79942897930049964311206281228');
});

test.run();
