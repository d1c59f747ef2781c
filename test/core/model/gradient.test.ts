import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { flatten } from '../../../src/core/model/flatten.ts';
import { compileGradient } from '../../../src/core/model/gradient.ts';
import { Decimal, E, LN10, PI } from '../../../src/core/numeric/decimal.ts';
import { math } from '../../../src/core/numeric/math.ts';

const it = suite('reverse-mode sensitivities');
const d = (s: string | number) => new Decimal(s);
const sig = (x: Decimal | null) => (x === null ? null : x.toSignificantDigits(30).toString());

/** value and gradient of a model of the inputs `names` at `values`, each to 30 digits. */
function at(model: string, names: string[], values: Array<string | number>, flat = true) {
  const tree = flat ? flatten(math.parse(model)) : math.parse(model);
  const f = compileGradient(tree, new Map(names.map((n, i) => [n, i])), names.length, '/model');
  const r = f(values.map(d));
  return { value: sig(r.value), gradient: r.gradient.map(sig) };
}

it('sums and n-ary products: each partial is the product of the others', () => {
  assert.equal(at('a * b * c', ['a', 'b', 'c'], [2, 3, 5]), { value: '30', gradient: ['15', '10', '6'] });
  assert.equal(at('a + b - c', ['a', 'b', 'c'], [2, 3, 5]), { value: '0', gradient: ['1', '1', '-1'] });
  assert.equal(at('a * b * c', ['a', 'b', 'c'], [0, 3, 5]), { value: '0', gradient: ['15', '0', '0'] }, 'a zero factor: no division');
  assert.equal(at('-a + +b', ['a', 'b'], [2, 3]), { value: '1', gradient: ['-1', '1'] });
});

it('quotients and powers', () => {
  // ∂(a/b)/∂a = 1/b, ∂/∂b = −a/b²
  assert.equal(at('a / b', ['a', 'b'], [3, 4]), { value: '0.75', gradient: ['0.25', '-0.1875'] });
  assert.equal(at('a ^ 2', ['a'], ['1.5']), { value: '2.25', gradient: ['3'] });
  // ∂aᵇ/∂a = b·aᵇ⁻¹ = 12, ∂aᵇ/∂b = aᵇ ln a = 8 ln 2
  assert.equal(at('a ^ b', ['a', 'b'], [2, 3]), { value: '8', gradient: ['12', sig(d(8).times(d(2).ln()))] });
});

it('an input used several times gets the sum of its paths', () => {
  // d/da (a·a + 3a) = 2a + 3
  assert.equal(at('a * a + 3 * a', ['a'], ['2.5']), { value: '13.75', gradient: ['8'] });
  assert.equal(at('a / a', ['a'], [7]), { value: '1', gradient: ['0'] });
});

it('an input the model does not use has no sensitivity (null), a constant none either', () => {
  assert.equal(at('2 * a + pi', ['a', 'b'], [1, 9]).gradient, ['2', null]);
  assert.equal(at('b * 0', ['a', 'b'], [1, 9]).gradient, [null, '0'], 'used, even with a zero coefficient');
  // a subexpression of constants alone is never differentiated (cbrt has no derivative rule: see the last test)
  assert.equal(at('cbrt(8) * x', ['x'], ['1.5']), { value: '3', gradient: ['2'] });
});

it('the constants pi and e', () => {
  assert.equal(at('pi * r ^ 2', ['r'], [2]), { value: sig(PI.times(4)), gradient: [sig(PI.times(4))] });
  assert.equal(at('e ^ x', ['x'], [1]), { value: sig(E), gradient: [sig(E)] });
});

it('the derivative of every model function', () => {
  const one = (model: string, x: string | number) => at(model, ['x'], [x]).gradient[0];
  assert.is(one('sqrt(x)', 4), '0.25');
  assert.is(one('exp(x)', 0), '1');
  assert.is(one('log(x)', 4), '0.25');
  assert.is(one('log10(x)', 10), sig(d(1).div(LN10.times(10))));
  assert.is(one('sin(x)', 0), '1');
  assert.is(one('cos(x)', 0), '0');
  assert.is(one('cos(x)', PI.div(2).toString()), '-1');
  assert.is(one('tan(x)', 0), '1');
  assert.is(one('asin(x)', '0.6'), '1.25', '1/√(1 − 0.36)');
  assert.is(one('acos(x)', '0.6'), '-1.25');
  assert.is(one('atan(x)', 1), '0.5');
  assert.is(one('abs(x)', -2), '-1');
  assert.is(one('abs(x)', 2), '1');
  // atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²)
  assert.equal(at('atan2(y, x)', ['y', 'x'], [1, 1]), { value: sig(PI.div(4)), gradient: ['0.5', '-0.5'] });
  // log(a, b) = ln a / ln b: at a = 8, b = 2, ∂/∂a = 1/(8 ln 2), ∂/∂b = −ln 8/(2 ln² 2) = −3/(2 ln 2)
  const ln2 = d(2).ln();
  assert.equal(at('log(a, b)', ['a', 'b'], [8, 2]), { value: '3', gradient: [sig(d(1).div(ln2.times(8))), sig(d(-3).div(ln2.times(2)))] });
});

it('the chain rule through nested functions and nested binary nodes', () => {
  // y = sqrt(a² + b²) at (3, 4): 5, gradient (3/5, 4/5)
  assert.equal(at('sqrt(a ^ 2 + b ^ 2)', ['a', 'b'], [3, 4]), { value: '5', gradient: ['0.6', '0.8'] });
  assert.equal(at('(a - b) * (a + b) / 2', ['a', 'b'], [3, 4]), { value: '-3.5', gradient: ['3', '-4'] });
  // mathjs's own binary tree of products (the tape takes any + × ÷ tree without parentheses or subtraction)
  assert.equal(at('a * b * c * a', ['a', 'b', 'c'], [2, 3, 5], false), { value: '60', gradient: ['60', '20', '12'] });
});

it('a symbol that is not a quantity is refused with UNKNOWN_QUANTITY at the model path', () => {
  assert.throws(
    () => compileGradient(math.parse('a * k'), new Map([['a', 0]]), 1, '/outputs/y/model'),
    (e: unknown) => e instanceof MetrologyError && e.code === 'UNKNOWN_QUANTITY' && e.path === '/outputs/y/model' && /'k'/.test(e.message),
  );
});

it('a function without a derivative rule is an internal error, not a coded one', () => {
  const f = compileGradient(math.parse('cbrt(x)'), new Map([['x', 0]]), 1, '/model');
  assert.throws(
    () => f([d(8)]),
    (e: unknown) => !(e instanceof MetrologyError) && /no derivative rule for cbrt/.test((e as Error).message),
  );
});

it.run();
