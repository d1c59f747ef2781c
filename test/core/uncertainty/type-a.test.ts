/** Type A evaluation (GUM 4.2), against values computed by hand and to 40 digits elsewhere (mpmath). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { typeA } from '../../../src/core/uncertainty/type-a.ts';

const ds = (...xs: string[]) => xs.map((x) => new Decimal(x));

test('mean, s(q) with n − 1, s(q̄) = s(q)/√n and ν = n − 1 (GUM 4.2.1–4.2.3, G.3.3)', () => {
  // deviations −0.01, 0.01, 0, 0.02, −0.02 from 10.02: Σ = 0.0010, s² = 0.0010/4, s(q̄)² = s²/5
  const a = typeA(ds('10.01', '10.03', '10.02', '10.04', '10.00'), '/observations');
  assert.is(a.mean.toString(), '10.02');
  assert.is(a.standardDeviation.toSignificantDigits(30).toString(), '0.0158113883008418966599944677222');
  assert.is(a.standardUncertainty.toSignificantDigits(30).toString(), '0.00707106781186547524400844362105');
  assert.is(a.dof.toString(), '4');
});

test('identical observations give zero spread, exactly', () => {
  const a = typeA(ds('1.5', '1.5', '1.5'), '/observations');
  assert.equal([a.mean.toString(), a.standardDeviation.toString(), a.standardUncertainty.toString(), a.dof.toString()], ['1.5', '0', '0', '2']);
});

test('with a pooled standard deviation (GUM H.3.6): u = s_p/√n and ν = ν_p, from one observation up', () => {
  const pooled = { s: new Decimal('0.03'), dof: new Decimal(20) };
  const two = typeA(ds('10.00', '10.02'), '/observations', pooled);
  assert.is(two.mean.toString(), '10.01');
  assert.is(two.standardUncertainty.toSignificantDigits(30).toString(), '0.0212132034355964257320253308631');
  assert.is(two.dof.toString(), '20');
  const one = typeA(ds('7.3'), '/observations', pooled);
  assert.equal([one.mean.toString(), one.standardDeviation.toString(), one.standardUncertainty.toString()], ['7.3', '0', '0.03']);
});

test('too few observations are refused at the path given', () => {
  for (const [obs, pooled] of [
    [ds('1'), undefined],
    [[], { s: new Decimal(1), dof: new Decimal(5) }],
  ] as const) {
    assert.throws(
      () => typeA(obs, '/inputs/2/observations', pooled),
      (e: unknown) => e instanceof MetrologyError && e.code === 'TOO_FEW_OBSERVATIONS' && e.path === '/inputs/2/observations',
    );
  }
});

test.run();
