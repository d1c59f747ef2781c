/**
 * Variables sampling (core/sampling/variables.ts, z19-tables.ts): the tables
 * against figures read out of a second source, not out of the data file; the
 * plans for lot sizes; the decision and its edge cases against figures
 * computed independently with Python's `decimal` (precision 40, half-even):
 *
 *   x = [Decimal(v) for v in xs]; m = sum(x)/len(x)
 *   s = (sum((v - m)**2 for v in x) / (len(x) - 1)).sqrt()
 *   (U - m)/s, (m - L)/s
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { decideVariables, variablesPlan, z19CodeLetterFor, z19TablePlan } from '../../../src/core/sampling/variables.ts';
import { Z19_CODE_LETTERS, Z19_LEVELS, Z19_SAMPLE_SIZES, Z19_TABLE_A2, Z19_TABLE_B1 } from '../../../src/core/sampling/z19-tables.ts';

/**
 * Table A-2 as transcribed at studylib.es/doc/9356105, read by column (S-3,
 * S-4, I, II, III), one letter per lot-size row 2–8 … 500,001 and over.
 */
const A2_BY_LEVEL: Record<string, string> = {
  'S-3': 'BBBBBBBCCDEFGHHH',
  'S-4': 'BBBBBCDEEFGHIJKK',
  I: 'BBBCDEFGGHIJKLMN',
  II: 'BBCDEFGHIJKLMNPP',
  III: 'CDEFGHIJJKLMNPPP',
};

/**
 * k derived from Z1.9's Form 2 table (M, percent, s method, normal AQL
 * columns T, 0.10 … 1.5) as carried in fjgonzalezmgt/AQLSchemesCust
 * R/AAZ19.R, by inverting the minimum-variance unbiased estimate:
 *   b = scipy.stats.beta.ppf(M/100, (n-2)/2, (n-2)/2);  k = (1 - 2b)(n - 1)/√n
 * Only the cells where Table B-1 prints a k are compared (the arrows are the
 * printed table's).
 */
const K_FROM_FORM_2: Record<string, number[]> = {
  B: [1.1547, 1.1547, 1.1547, 1.1546, 1.1547, 1.1537, 1.1534, 1.1378],
  C: [1.4977, 1.4998, 1.4974, 1.4874, 1.4988, 1.4598, 1.4553, 1.3362],
  D: [1.7677, 1.7854, 1.7659, 1.7231, 1.775, 1.6459, 1.5247, 1.4027],
  E: [2.1351, 2.2237, 2.1284, 2.0027, 1.881, 1.7475, 1.622, 1.4964],
  F: [2.4386, 2.3372, 2.238, 2.1078, 1.9807, 1.8439, 1.7141, 1.5853],
  G: [2.5276, 2.4239, 2.3219, 2.1883, 2.0596, 1.9185, 1.786, 1.6538],
  H: [2.5778, 2.4719, 2.3694, 2.2335, 2.1016, 1.9601, 1.8259, 1.692],
  I: [2.6081, 2.5013, 2.3975, 2.2608, 2.1285, 1.984, 1.8492, 1.7157],
  J: [2.6629, 2.5549, 2.4495, 2.3105, 2.1774, 2.0299, 1.894, 1.7575],
  K: [2.7171, 2.6065, 2.4999, 2.3591, 2.2218, 2.0754, 1.9362, 1.7981],
  L: [2.7732, 2.6617, 2.553, 2.4101, 2.2708, 2.1206, 1.9805, 1.841],
  M: [2.7997, 2.6872, 2.578, 2.4339, 2.2932, 2.1446, 2.0022, 1.8602],
  N: [2.84, 2.7261, 2.6156, 2.4697, 2.3293, 2.1777, 2.0326, 1.8904],
  P: [2.8458, 2.7316, 2.6206, 2.4747, 2.3342, 2.1812, 2.0374, 1.8955],
};

test('Table A-2 agrees with the second transcription in every cell', () => {
  assert.is(Z19_TABLE_A2.length, 16);
  for (const [i, level] of Z19_LEVELS.entries()) {
    assert.is(Z19_TABLE_A2.map((r) => r.letters[i]).join(''), A2_BY_LEVEL[level], level);
  }
  // both bounds of every range give the row's letters
  for (const [i, r] of Z19_TABLE_A2.entries()) {
    for (const size of [r.from, r.to ?? 2_000_000]) assert.is(z19CodeLetterFor(size, 'II'), A2_BY_LEVEL.II![i], `${size}`);
  }
});

test("Table B-1: every printed k lies within 0.015 of the k derived from Form 2; the arrows only above each column's first plan", () => {
  let cells = 0;
  let withinRounding = 0;
  for (const letter of Z19_CODE_LETTERS) {
    Z19_TABLE_B1[letter].forEach((cell, column) => {
      if (cell === '↓') return;
      cells++;
      const diff = Math.abs(Number(cell) - K_FROM_FORM_2[letter]![column]!);
      assert.ok(diff <= 0.015, `${letter} column ${column}: ${cell} vs ${K_FROM_FORM_2[letter]![column]}`);
      if (diff <= 0.0055) withinRounding++;
    });
  }
  assert.is(cells, 88);
  assert.ok(withinRounding >= 70, `${withinRounding}`);
  for (let column = 0; column < 8; column++) {
    const cells = Z19_CODE_LETTERS.map((l) => Z19_TABLE_B1[l][column]!);
    const first = cells.findIndex((c) => c !== '↓');
    assert.ok(
      cells.slice(first).every((c) => c !== '↓'),
      `column ${column}: no arrow below a plan`,
    );
    // k grows with n down a column (a larger sample, a tighter constant), as printed (P repeats N at 0.10 and 0.40 … 1.0)
    const ks = cells.slice(first).map(Number);
    assert.ok(
      ks.every((k, i) => i === 0 || k >= ks[i - 1]!),
      `column ${column}`,
    );
  }
  // k falls as the AQL rises, along every row
  for (const letter of Z19_CODE_LETTERS) {
    const ks = Z19_TABLE_B1[letter].filter((c) => c !== '↓').map(Number);
    assert.ok(
      ks.every((k, i) => i === 0 || k < ks[i - 1]!),
      letter,
    );
  }
});

test('plans: code letter, arrows, tightened one column to the left, a lot not larger than the sample refused', () => {
  // 202 meters, level II → G (n = 15); normal AQL 1.0: k = 1.79; tightened: the column of normal 0.65, k = 1.91
  const normal = variablesPlan({ lotSize: 202, level: 'II', aql: '1.0', severity: 'normal' });
  assert.equal([normal.codeLetter, normal.planLetter, normal.sampleSize, normal.k, normal.arrows], ['G', 'G', 15, '1.79', []]);
  assert.is(variablesPlan({ lotSize: 202, level: 'II', aql: '1.0', severity: 'tightened' }).k, '1.91');
  // tightened at 0.10: the T column
  assert.is(z19TablePlan('tightened', 'G', '0.10').k, '2.53');
  // 40 meters → D (n = 5); AQL 0.40 is an arrow down to E: n = 7, k = 1.88
  const arrow = variablesPlan({ lotSize: 40, level: 'II', aql: '0.40', severity: 'normal' });
  assert.equal([arrow.codeLetter, arrow.planLetter, arrow.sampleSize, arrow.k, arrow.arrows], ['D', 'E', 7, '1.88', ['↓ from D to E']]);
  // the arrows of the T column run from B to G
  assert.equal(z19TablePlan('tightened', 'B', '0.10').arrows, ['↓ from B to G']);
  assert.is(Z19_SAMPLE_SIZES.P, 200);
  assert.is(variablesPlan({ lotSize: 2_000_000, level: 'II', aql: '0.65', severity: 'normal' }).k, '2.18');
  // 5 meters → B; AQL 1.0 leads to C, n = 4 < 5; 4 meters would need all of them: refused
  assert.is(variablesPlan({ lotSize: 5, level: 'II', aql: '1.0', severity: 'normal' }).sampleSize, 4);
  try {
    variablesPlan({ lotSize: 4, level: 'II', aql: '1.0', severity: 'normal' });
    assert.unreachable('a lot of 4 with n = 4');
  } catch (e) {
    assert.is((e as { code: string }).code, 'NOT_APPLICABLE');
  }
});

const dec = (xs: string[]) => xs.map((x) => new Decimal(x));

test('decision: x̄, s and both Q at the working precision; accepted when both reach k', () => {
  const ok = decideVariables({ sampleSize: 5, k: '1.65' }, dec(['0.5', '-0.3', '1.2', '0.8', '-0.1']), new Decimal('2'));
  assert.is(ok.mean.toString(), '0.42');
  assert.is(ok.standardDeviation.toString(), '0.6220932405998316262367696039954977897204');
  assert.is(ok.qUpper!.toString(), '2.539812196764170463705674352229680898600'.replace(/0+$/, ''));
  assert.is(ok.qLower!.toString(), '3.89009209884132438111881767873153656621');
  assert.equal([ok.decision, ok.outside], ['accept', 0]);
  assert.is(ok.rule, 'n = 5, x̄ = 0.42, s = 0.6221, Q_U = 2.5398, Q_L = 3.8901, k = 1.65: Q_U ≥ k and Q_L ≥ k: the lot is accepted');

  // every meter within ±2, but spread so wide that more than the AQL is expected outside: not accepted
  const wide = decideVariables({ sampleSize: 5, k: '1.65' }, dec(['1.8', '-1.5', '0.2', '1.9', '-1.0']), new Decimal('2'));
  assert.equal(
    [wide.decision, wide.outside, wide.qUpper!.toDecimalPlaces(6).toString(), wide.qLower!.toDecimalPlaces(6).toString()],
    ['reject', 0, '1.101795', '1.460519'],
  );
  assert.match(wide.rule, /Q_U < k and Q_L < k: the lot is not accepted$/);
  // Q exactly k accepts (≥): x̄ = 0, s = 1, U = 1.65
  const edge = decideVariables({ sampleSize: 3, k: '1.00' }, dec(['-1', '0', '1']), new Decimal('1'));
  assert.equal([edge.standardDeviation.toString(), edge.qUpper!.toString(), edge.decision], ['1', '1', 'accept']);
});

test('decision edge cases lean to "not accepted"; a wrong count is refused', () => {
  // one meter outside the MPE: not accepted whatever Q says
  const out = decideVariables({ sampleSize: 5, k: '0.50' }, dec(['2.1', '0', '0', '0', '0']), new Decimal('2'));
  assert.equal([out.decision, out.outside], ['reject', 1]);
  assert.match(out.rule, /1 sampled meter outside ±2: the lot is not accepted, whatever Q says$/);
  // no spread: s = 0, Q undefined
  const flat = decideVariables({ sampleSize: 3, k: '1.45' }, dec(['0.5', '0.5', '0.50']), new Decimal('2'));
  assert.equal([flat.decision, flat.qUpper, flat.qLower, flat.standardDeviation.toString()], ['reject', null, null, '0']);
  assert.match(flat.rule, /no spread \(s = 0\)/);
  for (const [errors, mpe, code] of [
    [dec(['1', '2']), '2', 'INVALID_FIELD'],
    [dec(['1', '2', '3']), '0', 'INVALID_FIELD'],
  ] as const) {
    try {
      decideVariables({ sampleSize: 3, k: '1.45' }, errors, new Decimal(mpe));
      assert.unreachable();
    } catch (e) {
      assert.is((e as { code: string }).code, code);
    }
  }
});

test.run();
