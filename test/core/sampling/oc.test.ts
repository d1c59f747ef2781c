/**
 * OC figures against an independent computation: Python's fractions.Fraction
 * and math.comb, run when this test was written (the script is in docs/lots.md),
 * printed to 40 significant digits with decimal.getcontext().prec = 40.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { acceptanceBinomial, acceptanceHypergeometric, ocCurve, planRisks } from '../../../src/core/sampling/oc.ts';

const close = (got: Decimal, expected: string, digits = 38): void => {
  assert.is(got.toSignificantDigits(digits).toString(), new Decimal(expected).toSignificantDigits(digits).toString());
};

test('binomial Pa at several points (Python fractions)', () => {
  close(acceptanceBinomial(125, 3, new Decimal('0.01')), '0.9625509378366359550257887196832892420810');
  close(acceptanceBinomial(125, 3, new Decimal('0.065')), '0.03456926841761098016049192183016815514232');
  close(acceptanceBinomial(80, 2, new Decimal('0.0065')), '0.9844379503819996131463067437726338996871');
  // 0.99^13 exactly
  assert.is(acceptanceBinomial(13, 0, new Decimal('0.01')).toString(), '0.87752102299896798785221299');
  close(acceptanceBinomial(500, 10, new Decimal('0.025')), '0.2940437041015048758391036835697008960949');
  close(acceptanceBinomial(2000, 21, new Decimal('0.01')), '0.6441245850773636626697267062852711569858');
  // 33/2^32 exactly
  assert.is(acceptanceBinomial(32, 1, new Decimal('0.5')).toString(), '0.00000000768341124057769775390625');
});

test('hypergeometric Pa for finite lots (Python fractions)', () => {
  close(acceptanceHypergeometric(125, 3, 1000, 10), '0.9732274177441434820741167150409311908091');
  close(acceptanceHypergeometric(125, 3, 1000, 65), '0.02683429608666221789406678976515493346589');
  assert.is(acceptanceHypergeometric(13, 0, 20, 1).toString(), '0.35');
  close(acceptanceHypergeometric(50, 1, 100, 5), '0.1810892429449130480058315109861501614079');
  close(acceptanceHypergeometric(200, 5, 2000, 40), '0.7955184473422529680941375867911460995861');
});

test('a second way: Pa(Ac = n − 1) = 1 − p^n, and the hypergeometric with no nonconforming item accepts surely', () => {
  const p = new Decimal('0.3');
  assert.is(acceptanceBinomial(5, 4, p).toString(), new Decimal(1).minus(p.pow(5)).toString());
  assert.is(acceptanceHypergeometric(80, 0, 1000, 0).toString(), '1');
  assert.is(acceptanceBinomial(80, 2, new Decimal(0)).toString(), '1');
  assert.is(acceptanceBinomial(80, 2, new Decimal(1)).toString(), '0');
});

test('risks: producer at the AQL, consumer at the LQ; the curve falls', () => {
  const r = planRisks(125, 3, new Decimal('0.01'), new Decimal('0.065'));
  close(r.producersRisk, new Decimal(1).minus('0.9625509378366359550257887196832892420810').toString());
  close(r.consumersRisk!, '0.03456926841761098016049192183016815514232');
  const curve = ocCurve(80, 2, new Decimal('0.1'), 20);
  assert.is(curve.length, 21);
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.pa.lessThan(curve[i - 1]!.pa));
});

test('fractions outside [0, 1] are refused with the field', () => {
  assert.throws(() => acceptanceBinomial(80, 2, new Decimal('1.5')), /from 0 to 1/);
});

test.run();
