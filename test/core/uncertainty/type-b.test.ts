/** Type B evaluation (GUM 4.3): the divisors of the half-width distributions and U/k, against 40-digit values (mpmath). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { fromExpanded, fromHalfWidth, HALF_WIDTH_DISTRIBUTIONS, halfWidthDivisor } from '../../../src/core/uncertainty/type-b.ts';

test('a/√3 rectangular (GUM 4.3.7), a/√6 triangular (4.3.9), a/√2 U-shaped (arcsine)', () => {
  assert.is(fromHalfWidth(new Decimal('0.05'), 'rectangular').toSignificantDigits(30).toString(), '0.0288675134594812882254574390251');
  assert.is(fromHalfWidth(new Decimal('0.06'), 'triangular').toSignificantDigits(30).toString(), '0.0244948974278317809819728407471');
  assert.is(fromHalfWidth(new Decimal('0.1'), 'u-shaped').toSignificantDigits(30).toString(), '0.0707106781186547524400844362105');
});

test('each divisor squares back to 3, 6 and 2', () => {
  const squares = HALF_WIDTH_DISTRIBUTIONS.map((d) => halfWidthDivisor(d).pow(2).toSignificantDigits(35).toString());
  assert.equal(squares, ['3', '6', '2']);
});

test("a certificate's expanded uncertainty over its k (GUM 4.3.3), exactly", () => {
  assert.is(fromExpanded(new Decimal('0.010'), new Decimal(2)).toString(), '0.005');
  assert.is(fromExpanded(new Decimal('0.26'), new Decimal('2.6')).toString(), '0.1');
});

test.run();
