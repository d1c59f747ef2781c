import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { UNARY } from '../../../src/core/model/functions.ts';
import { MODEL_FUNCTIONS } from '../../../src/core/model/measurement-model.ts';
import { Decimal, PI } from '../../../src/core/numeric/decimal.ts';

const it = suite('model functions in decimal arithmetic');
const d = (s: string | number) => new Decimal(s);
/** f(x) to 30 significant digits, as text. */
const at = (f: string, x: Decimal) => UNARY[f]!(x).toSignificantDigits(30).toString();

it('every one-argument model function has a decimal counterpart (atan2 and log(x, b) take two)', () => {
  for (const f of MODEL_FUNCTIONS.filter((f) => f !== 'atan2')) assert.type(UNARY[f], 'function', f);
});

it('roots, exponentials and logarithms give their published digits', () => {
  assert.is(at('sqrt', d(2)), '1.41421356237309504880168872421');
  assert.is(at('exp', d(1)), '2.71828182845904523536028747135');
  assert.is(at('log', d(10)), '2.30258509299404568401799145468');
  assert.is(at('log10', d(1000)), '3');
  assert.is(at('log10', d('0.01')), '-2');
  assert.is(at('log2', d(1024)), '10');
  assert.is(at('log2', d(3)), '1.58496250072115618145373894395');
  assert.is(at('cbrt', d(-27)), '-3');
  assert.is(at('cbrt', d(2)), '1.25992104989487316476721060728');
});

it('trigonometric functions and their inverses', () => {
  assert.is(at('sin', PI.div(6)), '0.5');
  assert.is(at('cos', PI.div(3)), '0.5');
  assert.is(at('tan', PI.div(4)), '1');
  assert.is(at('atan', d(1)), PI.div(4).toSignificantDigits(30).toString());
  assert.is(at('asin', d('0.5')), PI.div(6).toSignificantDigits(30).toString());
  assert.is(at('acos', d(0)), PI.div(2).toSignificantDigits(30).toString());
  assert.is(at('sec', PI.div(3)), '2', 'sec = 1/cos');
  assert.is(at('csc', PI.div(6)), '2', 'csc = 1/sin');
  assert.is(at('cot', PI.div(4)), '1', 'cot = 1/tan');
  assert.is(at('cot', PI.div(3)), d(1).div(d(3).sqrt()).toSignificantDigits(30).toString());
});

it('hyperbolic functions and their reciprocals', () => {
  // sinh 1 = (e − 1/e)/2, cosh 1 = (e + 1/e)/2
  assert.is(at('sinh', d(1)), '1.1752011936438014568823818506');
  assert.is(at('cosh', d(1)), '1.54308063481524377847790562076');
  assert.is(at('tanh', d(1)), '0.761594155955764888119458282605');
  assert.is(at('sech', d(0)), '1');
  assert.is(at('sech', d(1)), d(1).div(d(1).cosh()).toSignificantDigits(30).toString());
  assert.is(at('csch', d(1)), '0.850918128239321545133842763287');
  assert.is(at('coth', d(1)), '1.31303528549933130363616124693');
});

it('abs, square and cube are exact', () => {
  assert.is(UNARY.abs!(d('-2.5')).toString(), '2.5');
  assert.is(UNARY.abs!(d('0.125')).toString(), '0.125');
  assert.is(UNARY.square!(d('-1.5')).toString(), '2.25');
  assert.is(UNARY.square!(d('0.1')).toString(), '0.01');
  assert.is(UNARY.cube!(d('-0.3')).toString(), '-0.027');
});

it('a domain error is NaN or infinite, never a thrown exception', () => {
  assert.ok(UNARY.sqrt!(d(-1)).isNaN());
  assert.ok(UNARY.log!(d(-1)).isNaN());
  assert.is(UNARY.log!(d(0)).toString(), '-Infinity');
  assert.ok(UNARY.asin!(d(2)).isNaN());
  assert.is(UNARY.csc!(d(0)).toString(), 'Infinity');
});

it.run();
