/** GUM Table G.2 reproduced entry by entry from the computed t quantiles, to the printed digits. */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../src/core/numeric/decimal.ts';
import { coverageFactor, normalCoverage } from '../../src/core/uncertainty/student-t.ts';

const table = JSON.parse(readFileSync('fixtures/gum/table-g2.json', 'utf8')) as {
  columns: string[];
  normalK: Record<string, string>;
  rows: Record<string, string[]>;
};

/** p for a column: the stated percentage, or erf(k/√2) for the k = 1, 2, 3 columns. */
function probability(column: string): Decimal {
  const k = table.normalK[column];
  return k ? normalCoverage(new Decimal(k)) : new Decimal(column).div(100);
}

const deviations = new Set(
  readFileSync('test/conformance/expected-deviations.txt', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('fixtures/gum/table-g2.json'))
    .map((l) => l.split('|')[1]!.trim()),
);

test('every entry of Table G.2 is reproduced to its printed digits, but for the reviewed deviations', () => {
  const mismatches: string[] = [];
  let checked = 0;
  for (const [nu, printed] of Object.entries(table.rows)) {
    printed.forEach((text, c) => {
      const places = text.split('.')[1]!.length;
      const k = coverageFactor(probability(table.columns[c]!), nu === 'inf' ? new Decimal(Infinity) : new Decimal(nu));
      const rounded = k.toFixed(places, Decimal.ROUND_HALF_UP);
      checked++;
      const entry = `ν=${nu}, p=${table.columns[c]}`;
      if ((rounded !== text) !== deviations.has(entry))
        mismatches.push(
          `${entry}: computed ${k.toSignificantDigits(8).toString()} → ${rounded}, printed ${text}${deviations.has(entry) ? ' (listed as a deviation but now agrees)' : ''}`,
        );
    });
  }
  assert.is(checked, 28 * 6);
  assert.equal(mismatches, []);
});

test('k for ν = ∞ at p = 0.95 is the normal quantile 1.959963984540054…', () => {
  assert.is(coverageFactor(new Decimal('0.95'), new Decimal(Infinity)).toSignificantDigits(16).toString(), '1.959963984540054');
});

test('t_0.95(10) and t_0.95(3) agree with an independent 40-digit computation (mpmath) to 30 digits', () => {
  assert.is(coverageFactor(new Decimal('0.95'), new Decimal(10)).toSignificantDigits(30).toString(), '2.2281388519862747483954906632');
  assert.is(coverageFactor(new Decimal('0.95'), new Decimal(3)).toSignificantDigits(30).toString(), '3.18244630528370959272322542578');
});

test('beyond ν = 2000 the asymptotic expansion agrees with an independent computation (mpmath incomplete beta) to 14 digits', () => {
  assert.is(coverageFactor(new Decimal('0.99'), new Decimal(2001)).toSignificantDigits(14).toString(), '2.5782885568256');
  assert.is(coverageFactor(new Decimal('0.99'), new Decimal(10000)).toSignificantDigits(14).toString(), '2.5763210466685');
});

test.run();
