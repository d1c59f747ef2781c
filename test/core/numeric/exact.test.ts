/**
 * The exact kernel against decimal.js, op for op: every result must have the
 * same digits as the Decimal computation at the working precision (and the
 * same text as toText), over random operands of every length, sign and
 * magnitude, with the half-way and carry cases that rounding gets wrong.
 */
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal, toText } from '../../../src/core/numeric/decimal.ts';
import * as X from '../../../src/core/numeric/exact.ts';

const it = suite('exact kernel');
const runs = Number(process.env.METROTRACE_FUZZ_RUNS ?? 3000);
const params = { seed: 20261202, numRuns: runs };

/** Decimal text: up to 60 digits (more than the precision), runs of 9s and 0s and 5s, any exponent in ±60. */
const digitsArb = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{0,59}$/),
  fc.stringMatching(/^[1-9](9{0,45}|0{0,45}|50{0,45}|49{0,45})[0-9]?$/),
  fc.stringMatching(/^[1-9][0-9]{0,8}$/),
);
const textArb = fc.tuple(fc.boolean(), digitsArb, fc.integer({ min: -60, max: 60 })).map(([negative, d, e]) => `${negative ? '-' : ''}${d}e${e}`);
const nonNegativeArb = fc.tuple(digitsArb, fc.integer({ min: -60, max: 60 })).map(([d, e]) => `${d}e${e}`);

function same(x: X.Exact, d: Decimal, what: string): void {
  assert.is(X.exactText(x), toText(d), what);
}

it('parses and writes text as decimal.js does', () => {
  fc.assert(
    fc.property(textArb, (t) => same(X.parseExact(t), new Decimal(t), t)),
    params,
  );
  for (const t of [
    '0',
    '-0',
    '0.000',
    '1e-31',
    '1.5e-30',
    '1.5e-29',
    '1e40',
    '9.9e39',
    '50.000623',
    '-0.0000097',
    '.5',
    '5.',
    '+3e+2',
    '123456789012345678901234567890123456789012345',
  ])
    same(X.parseExact(t), new Decimal(t), t);
});

it('+ − × ÷ round as decimal.js does', () => {
  fc.assert(
    fc.property(textArb, textArb, (a, b) => {
      const x = X.parseExact(a);
      const y = X.parseExact(b);
      const p = new Decimal(a);
      const q = new Decimal(b);
      same(X.add(x, y), p.plus(q), `${a} + ${b}`);
      same(X.sub(x, y), p.minus(q), `${a} - ${b}`);
      same(X.mul(x, y), p.times(q), `${a} * ${b}`);
      if (!q.isZero()) same(X.div(x, y), p.div(q), `${a} / ${b}`);
      assert.is(X.cmp(x, y), p.comparedTo(q), `cmp ${a} ${b}`);
    }),
    params,
  );
});

it('√ rounds as decimal.js does', () => {
  fc.assert(
    fc.property(nonNegativeArb, (a) => same(X.sqrt(X.parseExact(a)), new Decimal(a).sqrt(), `sqrt ${a}`)),
    params,
  );
  // perfect squares and near misses
  for (const t of ['4', '1e-8', '0.0001', '2', '3', '99999999999999999999999999999999999999999', '1.0000000000000000000000000000000000000001'])
    same(X.sqrt(X.parseExact(t)), new Decimal(t).sqrt(), `sqrt ${t}`);
});

it("chains of operations, each on the last one's result, round as decimal.js does", () => {
  // results carry their digit count into the next operation (Exact#d): a chain checks that count
  const opArb = fc.tuple(fc.constantFrom('+', '-', '*', '/', 'sqrt', 'neg', 'abs', 'floor'), textArb);
  fc.assert(
    fc.property(textArb, fc.array(opArb, { minLength: 1, maxLength: 12 }), (start, ops) => {
      let x = X.parseExact(start);
      let d = new Decimal(start);
      let what = start;
      for (const [op, t] of ops) {
        const y = X.parseExact(t);
        const q = new Decimal(t);
        if (op === '+') [x, d] = [X.add(x, y), d.plus(q)];
        else if (op === '-') [x, d] = [X.sub(x, y), d.minus(q)];
        else if (op === '*') [x, d] = [X.mul(x, y), d.times(q)];
        else if (op === '/') {
          if (q.isZero()) continue;
          [x, d] = [X.div(x, y), d.div(q)];
        } else if (op === 'sqrt') [x, d] = [X.sqrt(X.abs(x)), d.abs().sqrt()];
        else if (op === 'neg') [x, d] = [X.neg(x), d.neg()];
        else if (op === 'abs') [x, d] = [X.abs(x), d.abs()];
        else [x, d] = [X.floor(x), d.floor()];
        what += ` ${op} ${t}`;
        same(x, d, what);
        if (!d.isZero()) assert.is(X.magnitude(x), d.e, `e of ${what}`);
        assert.is(X.coefficientDigits(x), (x.c < 0n ? -x.c : x.c).toString().length, `digits of ${what}`);
      }
    }),
    params,
  );
});

it('rounds ties to even and carries into a new digit', () => {
  const tie = '1' + '0'.repeat(38) + '25'; // 41 digits, ends in 5 after 40
  same(X.add(X.parseExact(tie), X.EXACT_ZERO), new Decimal(tie).plus(0), 'tie even');
  const tieOdd = '1' + '0'.repeat(37) + '15';
  same(X.add(X.parseExact(tieOdd), X.EXACT_ZERO), new Decimal(tieOdd).plus(0), 'tie odd');
  const nines = '9'.repeat(41);
  same(X.add(X.parseExact(nines), X.EXACT_ZERO), new Decimal(nines).plus(0), 'carry');
  same(X.div(X.EXACT_ONE, X.parseExact('3')), new Decimal(1).div(3), '1/3');
  same(X.div(X.parseExact('2'), X.parseExact('3')), new Decimal(2).div(3), '2/3');
});

it('rounds for reports as decimal.js does (half away from zero)', () => {
  fc.assert(
    fc.property(textArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: -8, max: 12 }), (a, digits, decimals) => {
      const x = X.parseExact(a);
      const d = new Decimal(a);
      same(X.significantHalfUp(x, digits), d.toSignificantDigits(digits, Decimal.ROUND_HALF_UP), `sd ${a} ${digits}`);
      if (decimals >= 0) assert.is(X.fixedHalfUp(x, decimals), d.toFixed(decimals, Decimal.ROUND_HALF_UP), `fixed ${a} ${decimals}`);
      else {
        const scale = new Decimal(10).pow(-decimals);
        if (d.sd() <= 40)
          assert.is(X.fixedHalfUp(x, decimals), d.div(scale).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(scale).toFixed(0), `fixed ${a} ${decimals}`);
      }
    }),
    params,
  );
});

it('floor, magnitude and conversions agree', () => {
  fc.assert(
    fc.property(textArb, (a) => {
      const x = X.parseExact(a);
      const d = new Decimal(a);
      same(X.floor(x), d.floor(), `floor ${a}`);
      if (!d.isZero()) assert.is(X.magnitude(x), d.e, `e ${a}`);
      assert.ok(X.toDecimal(x).eq(d));
      same(X.fromDecimal(d), d, `from ${a}`);
    }),
    params,
  );
});

it('declines what it should not do fast', () => {
  assert.throws(
    () => X.div(X.EXACT_ONE, X.EXACT_ZERO),
    (e: unknown) => e instanceof X.ExactUnsupported,
  );
  assert.throws(
    () => X.sqrt(X.parseExact('-1')),
    (e: unknown) => e instanceof X.ExactUnsupported,
  );
  assert.throws(
    () => X.add(X.parseExact('1e5000'), X.parseExact('1e-5000')),
    (e: unknown) => e instanceof X.ExactUnsupported,
  );
});

it.run();
