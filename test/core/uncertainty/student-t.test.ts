/**
 * erf, the normal and Student's t coverage and their quantiles, in decimal
 * arithmetic, against 40-digit reference values (mpmath: erf, erfc, and the
 * regularized incomplete beta function for t), compared to 30 significant
 * digits. GUM Table G.2 itself is test/conformance/table-g2.test.ts.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MetrologyError } from '../../../src/core/errors.ts';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import {
  coverageFactor,
  coverageProbabilityOf,
  erf,
  erfc,
  INFINITE_DOF,
  normalCoverage,
  normalQuantile,
  normalUpperTail,
  studentCoverage,
} from '../../../src/core/uncertainty/student-t.ts';

const digits = (x: Decimal, n = 30) => x.toSignificantDigits(n).toString();
const D = (s: string | number) => new Decimal(s);

test('erf and erfc', () => {
  assert.is(digits(erf(D(1))), '0.842700792949714869341220635083');
  assert.is(digits(erf(D('0.5'))), '0.520499877813046537682746653892');
  assert.is(digits(erf(D(-1))), '-0.842700792949714869341220635083', 'odd');
  assert.is(erf(D(0)).toString(), '0');
  // the far tail keeps its relative precision rather than 1 − erf(3)'s
  assert.is(digits(erfc(D(3))), '0.0000220904969985854413727761295823');
});

test('normal coverage and quantile: k = 1 covers 68.27 %, k = 2 95.45 %, 95 % needs k = 1.96', () => {
  assert.is(digits(normalCoverage(D(1))), '0.682689492137085897170465091264');
  assert.is(digits(normalCoverage(D(2))), '0.954499736103641585599434725667');
  assert.is(digits(normalQuantile(D('0.95'))), '1.95996398454005423552459443052');
  assert.is(digits(normalUpperTail(D('1.959963984540054235524594430520551527956')), 20), '0.025');
  assert.is(digits(normalUpperTail(D(-2)).plus(normalUpperTail(D(2))), 30), '1');
});

test("Student's t quantiles at 95 % for ν = 1, 2, 3, 10, 50 and at 99 % for ν = 10", () => {
  const k = (p: string, nu: number) => digits(coverageFactor(D(p), D(nu)));
  assert.is(k('0.95', 1), '12.7062047361747046460216799788');
  assert.is(k('0.95', 2), '4.30265272974946385232094389262');
  assert.is(k('0.95', 3), '3.18244630528370959272322542578');
  assert.is(k('0.95', 10), '2.2281388519862747483954906632');
  assert.is(k('0.95', 50), '2.00855911210076110549053212883');
  assert.is(k('0.99', 10), '3.16927267261695123459699213215');
  assert.is(digits(coverageFactor(D('0.95'), INFINITE_DOF)), '1.95996398454005423552459443052');
});

test("Student's t coverage of k = 2, odd and even ν, and the inverse of the quantile", () => {
  assert.is(digits(studentCoverage(D(2), 10)), '0.926611965229259634382137430588');
  assert.is(digits(studentCoverage(D(2), 9)), '0.923447176229298958796668903945');
  assert.is(digits(coverageProbabilityOf(D(2), D(10))), '0.926611965229259634382137430588');
  assert.is(digits(coverageProbabilityOf(D(2), D('10.7'))), '0.926611965229259634382137430588', 'ν truncated (GUM G.4.1)');
  assert.is(digits(coverageProbabilityOf(D(2), INFINITE_DOF)), '0.954499736103641585599434725667');
  assert.is(digits(studentCoverage(coverageFactor(D('0.9545'), D(7)), 7), 25), '0.9545');
});

test('a probability outside (0, 1) and fractional ν are refused', () => {
  for (const p of ['0', '1', '-0.5', '1.2']) {
    assert.throws(
      () => coverageFactor(D(p), D(10)),
      (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_COVERAGE',
      p,
    );
  }
  assert.throws(
    () => coverageFactor(D('0.95'), D('4.5')),
    (e: unknown) => e instanceof MetrologyError && e.code === 'INVALID_DOF',
  );
});

test.run();
