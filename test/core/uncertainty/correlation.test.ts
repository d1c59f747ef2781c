/** Sparse correlation coefficients and the positive semi-definiteness check, on matrices whose definiteness is known by hand. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { checkPositiveSemidefinite, Correlations } from '../../../src/core/uncertainty/correlation.ts';

const matrix = (...pairs: Array<[string, string, string]>) => {
  const c = new Correlations<string>();
  for (const [a, b, r] of pairs) c.set(a, b, new Decimal(r));
  return c;
};
const refusal = (c: Correlations<string>) => {
  try {
    checkPositiveSemidefinite(c, '/correlations');
  } catch (e) {
    assert.instance(e, MetrologyError);
    assert.equal([(e as MetrologyError).code, (e as MetrologyError).path], ['NOT_POSITIVE_SEMIDEFINITE', '/correlations']);
    return (e as MetrologyError).message;
  }
  return null;
};

test('symmetric by construction; 1 on the diagonal, 0 unlisted; a zero coefficient stores nothing', () => {
  const c = matrix(['x', 'y', '0.5'], ['y', 'z', '0']);
  assert.equal([c.get('y', 'x').toString(), c.get('x', 'x').toString(), c.get('x', 'z').toString()], ['0.5', '1', '0']);
  assert.equal(c.keys(), ['x', 'y']);
  assert.equal(
    [...c.neighbours('x')].map(([k, r]) => [k, r.toString()]),
    [['y', '0.5']],
  );
  assert.is(c.neighbours('z').size, 0);
  assert.ok(new Correlations().isEmpty);
  assert.not.ok(c.isEmpty);
});

test('valid matrices pass, the singular ones (r = ±1, and a consistent chain of them) included', () => {
  assert.is(refusal(matrix(['a', 'b', '0.9'], ['b', 'c', '0.9'], ['a', 'c', '0.8'])), null);
  assert.is(refusal(matrix(['a', 'b', '1'])), null);
  // a = b and b = −c force a = −c: singular but consistent
  assert.is(refusal(matrix(['a', 'b', '1'], ['b', 'c', '-1'], ['a', 'c', '-1'])), null);
  // equicorrelation of three at −1/2 is the least eigenvalue 1 + 2r = 0 exactly
  assert.is(refusal(matrix(['a', 'b', '-0.5'], ['b', 'c', '-0.5'], ['a', 'c', '-0.5'])), null);
});

test('matrices that cannot hold together are refused, naming the quantities', () => {
  // 1 + 2r < 0 for r = −0.6: a negative eigenvalue
  assert.match(refusal(matrix(['a', 'b', '-0.6'], ['b', 'c', '-0.6'], ['a', 'c', '-0.6']))!, /involving a, b, c cannot hold together/);
  // a and b strongly alike, b and c strongly alike, a and c opposite: det < 0
  assert.match(refusal(matrix(['a', 'b', '0.9'], ['b', 'c', '0.9'], ['a', 'c', '-0.9']))!, /not positive semi-definite/);
  // a = b exactly, yet they correlate differently with c
  assert.match(refusal(matrix(['a', 'b', '1'], ['a', 'c', '0.5'], ['b', 'c', '0.2']))!, /\(b and c are inconsistent with the other correlations\)/);
});

test.run();
