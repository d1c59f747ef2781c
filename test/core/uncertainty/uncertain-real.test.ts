import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import {
  add,
  components,
  correlation,
  dof,
  div,
  influenceCorrelations,
  influenceOf,
  mul,
  result,
  standardUncertainty,
  sub,
  ureal,
  type UncertainReal,
} from '../../../src/core/uncertainty/uncertain-real.ts';

const D = (s: string | number) => new Decimal(s);
const it = suite('uncertain numbers');

/** A standard passed down D levels, each calibration a ratio 1 ± 1e-6, then two instruments calibrated against the last. */
function chain(depth: number): [UncertainReal, UncertainReal] {
  let s = ureal(D(1), D('1e-6'), undefined, 'national');
  for (let i = 1; i <= depth; i++) s = result(mul(s, ureal(D(1), D('1e-6'), undefined, `transfer ${i}`)), `level ${i}`);
  return [mul(s, ureal(D(1), D('1e-6'), undefined, 'a')), mul(s, ureal(D(1), D('1e-6'), undefined, 'b'))];
}

it('two instruments sharing a chain of depth D correlate as (D+1)/(D+2), exactly', () => {
  const [a10, b10] = chain(10);
  assert.is(correlation(a10, b10).toString(), D(11).div(12).toString());
  const [a100, b100] = chain(100);
  assert.is(correlation(a100, b100).toString(), D(101).div(102).toString());
});

it('independent numbers are uncorrelated; a number with itself has r = 1', () => {
  const x = ureal(D(2), D('0.1'));
  const y = ureal(D(3), D('0.2'));
  assert.is(correlation(x, y).toString(), '0');
  assert.is(correlation(mul(x, y), mul(x, y)).toString(), '1');
});

it('first-order propagation of a product and a quotient (GUM 5.1.6)', () => {
  const x = ureal(D(2), D('0.1'), D(10), 'x');
  const y = ureal(D(4), D('0.2'), D(20), 'y');
  // u(xy)² = (y·u_x)² + (x·u_y)² = 0.16 + 0.16
  assert.is(standardUncertainty(mul(x, y)).pow(2).toSignificantDigits(35).toString(), '0.32');
  // relative: u(x/y)/(x/y) = √((0.05)² + (0.05)²)
  assert.is(standardUncertainty(div(x, y)).div(D('0.5')).pow(2).toSignificantDigits(35).toString(), '0.005');
  // ν_eff by Welch–Satterthwaite: 0.32² / (0.16²/10 + 0.16²/20) = 80/3
  assert.is(dof(mul(x, y)).toSignificantDigits(30).toString(), D(80).div(3).toSignificantDigits(30).toString());
});

it('x − x is exactly zero with zero uncertainty, because the components cancel', () => {
  const x = ureal(D(5), D('0.3'));
  const d = sub(x, x);
  assert.is(d.value.toString(), '0');
  assert.is(standardUncertainty(d).toString(), '0');
});

it('a labelled result keeps its inputs as its components', () => {
  const ref = ureal(D(1), D('0.01'), undefined, 'reference');
  const cal = result(add(ref, ureal(D('0.002'), D('0.003'), undefined, 'repeatability')), 'calibration');
  const labels = [...components(cal).keys()].map((k) => k.label).sort();
  assert.equal(labels, ['reference', 'repeatability']);
});

it('declared correlations between elementary inputs enter the propagation (GUM 5.2.2)', () => {
  const x = ureal(D(1), D('0.1'));
  const y = ureal(D(1), D('0.1'));
  const r = influenceCorrelations();
  r.set(influenceOf(x), influenceOf(y), D('0.5'));
  // u²(x + y) = 0.01 + 0.01 + 2·0.5·0.01
  assert.is(standardUncertainty(add(x, y), r).pow(2).toSignificantDigits(35).toString(), '0.03');
});

it('an uncertain number refuses to become a JS number', () => {
  assert.throws(() => Number(ureal(D(1), D('0.1'))));
});

it.run();
