/**
 * A fast exact decimal kernel for the hot path of an evaluation: a number is an
 * integer coefficient (a BigInt) times a power of ten, and every operation is
 * done exactly and then rounded once to PRECISION significant digits, half to
 * even — what decimal.js does for + − × ÷ √ (each of which it rounds
 * correctly), so a computation written with these functions gives the same
 * digits as the same computation written with `Decimal`, op for op. A
 * differential test (test/core/numeric/exact.test.ts) holds the two to that.
 *
 * Why: at 40 digits decimal.js spends ~1 µs on a product of two long numbers
 * and ~18 µs on a square root (limb arrays, an object per step); a BigInt does
 * the same product in well under 0.1 µs and a square root by Newton in ~1 µs.
 * decimal.js stays the tool for everything else (functions, powers, reports).
 *
 * Operations refuse (throw ExactUnsupported) what they should not do fast: a
 * division by zero, the root of a negative number, operands so far apart that
 * aligning them would build a huge integer. The caller then takes the general
 * decimal.js path, which gives the error or the result as it always has.
 */
import { Decimal, PRECISION } from './decimal.ts';

/** c × 10^e. */
export class Exact {
  /** exactText's result, kept once written (an input's text is written once per batch). */
  text: string | undefined = undefined;

  constructor(
    readonly c: bigint,
    readonly e: number,
    /**
     * The number of digits of |c| where known, else −1 (worked out once when asked,
     * see digitsOf). An operation that knows its result's count passes it on, so
     * rounding the next product or quotient needs one comparison instead of a
     * conversion to a double and a logarithm.
     */
    public d = -1,
  ) {}
}

/** Thrown where the kernel declines; the caller falls back to decimal.js. */
export class ExactUnsupported extends Error {}

const unsupported = (why: string): never => {
  throw new ExactUnsupported(why);
};

export const EXACT_ZERO = new Exact(0n, 0);
export const EXACT_ONE = new Exact(1n, 0);

const POW10: bigint[] = [1n];
for (let i = 1; i <= 2 * PRECISION + 16; i++) POW10.push(POW10[i - 1]! * 10n);
const pow10 = (n: number): bigint => (n < POW10.length ? POW10[n]! : 10n ** BigInt(n));
const LIMIT = POW10[PRECISION]!;
/** Half of 10^n (n ≥ 1). */
const HALF: bigint[] = POW10.map((p) => p / 2n);

/** Aligning operands whose exponents differ by more than this is declined (decimal.js shortcuts it). */
const MAX_SPAN = 1200;
/** Exponents beyond this are no measurement; declined. */
const MAX_EXPONENT = 100_000;

/** Powers of ten as doubles, for a digit count that needs no BigInt comparison. */
const POW10F: number[] = [];
for (let i = 0; i <= 308; i++) POW10F.push(Number(`1e${i}`));

/** Number of decimal digits of a non-negative BigInt. */
export function digitCount(a: bigint): number {
  if (a < 10n) return 1;
  const f = Number(a);
  if (f < 1e300) {
    let d = Math.floor(Math.log10(f)) + 1;
    // certain unless the double lies within rounding error of a power of ten
    if (f > POW10F[d - 1]! * (1 + 1e-12) && f < POW10F[d]! * (1 - 1e-12)) return d;
    while (a >= pow10(d)) d++;
    while (d > 1 && a < pow10(d - 1)) d--;
    return d;
  }
  return a.toString().length;
}

/** The number of digits of |x.c| (1 for zero), kept on x. */
export function coefficientDigits(x: Exact): number {
  return x.d >= 0 ? x.d : (x.d = digitCount(x.c < 0n ? -x.c : x.c));
}

const HALF_EVEN = 0;
const HALF_UP = 1;

/** 10^19, the largest power of ten in one 64-bit BigInt digit. */
const P19 = POW10[19]!;

/**
 * ⌊a / 10^k⌋ for a ≥ 0. V8 divides by a one-digit (64-bit) BigInt much faster
 * than by a longer one, so a division by 10^40 (rounding a product of two
 * 40-digit numbers) goes as three divisions by powers of ten below 2^64: about
 * 90 ns against 125 ns on an 80-digit a, a tenth of such a product's cost.
 */
function divPow10(a: bigint, k: number): bigint {
  let q = a;
  let left = k;
  while (left > 19) {
    q /= P19;
    left -= 19;
  }
  return left === 0 ? q : q / POW10[left]!;
}

/**
 * c × 10^e rounded to `digits` significant digits; `sticky` says a non-zero tail
 * lies below c; `known` is the number of digits of |c| when the caller knows it.
 */
function round(c: bigint, e: number, digits = PRECISION, mode = HALF_EVEN, sticky = false, known = -1): Exact {
  if (e > MAX_EXPONENT || e < -MAX_EXPONENT) unsupported('exponent');
  const neg = c < 0n;
  const a = neg ? -c : c;
  if (digits === PRECISION && a < LIMIT) return new Exact(c, e, known);
  const n = known >= 0 ? known : digitCount(a);
  if (n <= digits) return new Exact(c, e, n);
  const drop = n - digits;
  const m = pow10(drop);
  let q = drop > 19 ? divPow10(a, drop) : a / m;
  const r = a - q * m;
  const half = drop < HALF.length ? HALF[drop]! : m / 2n;
  if (r > half || (r === half && (sticky || mode === HALF_UP || (q & 1n) === 1n))) q += 1n;
  let ee = e + drop;
  if (q === pow10(digits)) {
    q = pow10(digits - 1);
    ee += 1;
  }
  return new Exact(neg ? -q : q, ee, digits);
}

export function isZero(x: Exact): boolean {
  return x.c === 0n;
}

export function isNegative(x: Exact): boolean {
  return x.c < 0n;
}

/** Base-10 exponent of the most significant digit (decimal.js `e`); 0 for zero. */
export function magnitude(x: Exact): number {
  return x.c === 0n ? 0 : x.e + coefficientDigits(x) - 1;
}

export function neg(x: Exact): Exact {
  return new Exact(-x.c, x.e, x.d);
}

export function abs(x: Exact): Exact {
  return x.c < 0n ? new Exact(-x.c, x.e, x.d) : x;
}

/** The coefficient of x written with exponent e ≤ x.e. */
function scaled(x: Exact, e: number): bigint {
  if (x.e === e) return x.c;
  if (x.e - e > MAX_SPAN) unsupported('span');
  return x.c * pow10(x.e - e);
}

export function add(a: Exact, b: Exact): Exact {
  if (b.c === 0n) return round(a.c, a.e, PRECISION, HALF_EVEN, false, a.d);
  if (a.c === 0n) return round(b.c, b.e, PRECISION, HALF_EVEN, false, b.d);
  const e = a.e < b.e ? a.e : b.e;
  return round(scaled(a, e) + scaled(b, e), e);
}

export function sub(a: Exact, b: Exact): Exact {
  return add(a, neg(b));
}

export function mul(a: Exact, b: Exact): Exact {
  if (a.c === 0n || b.c === 0n) return EXACT_ZERO;
  const c = a.c * b.c;
  const m = c < 0n ? -c : c;
  if (m < LIMIT) return round(c, a.e + b.e);
  // |c| has da + db or da + db − 1 digits
  const most = coefficientDigits(a) + coefficientDigits(b);
  return round(c, a.e + b.e, PRECISION, HALF_EVEN, false, m < pow10(most - 1) ? most - 1 : most);
}

export function div(a: Exact, b: Exact): Exact {
  if (b.c === 0n) return unsupported('division by zero');
  if (a.c === 0n) return EXACT_ZERO;
  const x = a.c < 0n ? -a.c : a.c;
  const y = b.c < 0n ? -b.c : b.c;
  const dx = coefficientDigits(a);
  const dy = coefficientDigits(b);
  // enough digits for PRECISION + 2 in the quotient, the rest as a sticky remainder
  let s = PRECISION + 2 + dy - dx;
  if (s < 0) s = 0;
  const num = x * pow10(s);
  const q = num / y;
  const negative = a.c < 0n !== b.c < 0n;
  // num has dx + s digits, y has dy, so q has D or D + 1 (D = dx + s − dy ≥ 1)
  const D = dx + s - dy;
  return round(negative ? -q : q, a.e - b.e - s, PRECISION, HALF_EVEN, num !== q * y, q < pow10(D) ? D : D + 1);
}

/** ⌊√n⌋ by Newton's method from above, started from a double's estimate. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x: bigint;
  const f = Number(n);
  if (f < 1e300) {
    x = BigInt(Math.ceil(Math.sqrt(f) * (1 + 1e-14))) + 1n;
  } else {
    let k = digitCount(n) - 30;
    if (k % 2) k++;
    x = (BigInt(Math.ceil(Math.sqrt(Number(n / pow10(k))) * (1 + 1e-14))) + 1n) * pow10(k / 2);
  }
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sqrt(a: Exact): Exact {
  if (a.c === 0n) return EXACT_ZERO;
  if (a.c < 0n) return unsupported('square root of a negative number');
  const digits = coefficientDigits(a);
  let t = 2 * PRECISION + 4 - digits;
  if (t < 0) t = 0;
  if ((a.e - t) % 2 !== 0) t++;
  const n = a.c * pow10(t);
  const r = isqrt(n);
  // ⌊√n⌋ of a number of k digits has ⌈k/2⌉
  return round(r, (a.e - t) / 2, PRECISION, HALF_EVEN, r * r !== n, (digits + t + 1) >> 1);
}

export function cmp(a: Exact, b: Exact): number {
  if (a.e === b.e) return a.c < b.c ? -1 : a.c > b.c ? 1 : 0;
  const e = a.e < b.e ? a.e : b.e;
  const x = scaled(a, e);
  const y = scaled(b, e);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** ⌊x⌋. */
export function floor(x: Exact): Exact {
  if (x.e >= 0 || x.c === 0n) return x;
  const m = pow10(-x.e);
  let q = x.c / m;
  if (x.c < 0n && q * m !== x.c) q -= 1n;
  return new Exact(q, 0);
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses decimal text (as decimal.js does: every digit kept, no rounding). */
export function parseExact(text: string): Exact {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return unsupported('not a decimal');
  const fraction = m[3] ?? '';
  const c = BigInt(m[2]! + fraction);
  const e = (m[4] === undefined ? 0 : Number(m[4])) - fraction.length;
  if (e > MAX_EXPONENT || e < -MAX_EXPONENT) unsupported('exponent');
  return new Exact(m[1] === '-' ? -c : c, e);
}

/** The value as a Decimal (exactly). */
export function toDecimal(x: Exact): Decimal {
  return new Decimal(x.c === 0n ? '0' : `${x.c}e${x.e}`);
}

/** The value of a Decimal (exactly). */
export function fromDecimal(d: Decimal): Exact {
  if (!d.isFinite()) return unsupported('not finite');
  return parseExact(d.toString());
}

/** Digits without trailing zeros, and the exponent of the last one. */
function digitsOf(x: Exact): [string, number] {
  const s = (x.c < 0n ? -x.c : x.c).toString();
  let z = s.length;
  while (z > 1 && s.charCodeAt(z - 1) === 48) z--;
  return [z === s.length ? s : s.slice(0, z), x.e + (s.length - z)];
}

/**
 * Text exactly as `toText` writes the equal Decimal: no trailing zeros, plain
 * notation unless the leading digit's exponent is ≤ −30 or ≥ 40, "0" for zero.
 */
export function exactText(x: Exact): string {
  return x.text ?? (x.text = writeText(x));
}

function writeText(x: Exact): string {
  if (x.c === 0n) return '0';
  const [s, last] = digitsOf(x);
  const exp = last + s.length - 1;
  const sign = x.c < 0n ? '-' : '';
  if (exp <= -30 || exp >= 40) return `${sign}${s[0]}${s.length > 1 ? '.' + s.slice(1) : ''}e${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${s}`;
  if (s.length <= exp + 1) return `${sign}${s}${'0'.repeat(exp + 1 - s.length)}`;
  return `${sign}${s.slice(0, exp + 1)}.${s.slice(exp + 1)}`;
}

/** x rounded to `digits` significant digits, half away from zero (decimal.js ROUND_HALF_UP). */
export function significantHalfUp(x: Exact, digits: number): Exact {
  return round(x.c, x.e, digits, HALF_UP);
}

/**
 * Fixed-point text with `decimals` places (negative: rounded to tens, hundreds…),
 * half away from zero; as Decimal#toFixed(decimals, ROUND_HALF_UP) writes it
 * (for decimals < 0, as a whole number). A negative result that rounds to zero
 * keeps its "-" where decimal.js keeps it (decimals ≥ 0).
 */
export function fixedHalfUp(x: Exact, decimals: number): string {
  const neg = x.c < 0n;
  let a = neg ? -x.c : x.c;
  let e = x.e;
  const target = -decimals;
  if (e < target) {
    const m = pow10(target - e);
    let q = a / m;
    if ((a - q * m) * 2n >= m) q += 1n;
    a = q;
    e = target;
  }
  // now a × 10^e with e ≥ target: write with max(decimals, 0) places
  // for decimals < 0 decimal.js writes the rounded value, whose zero has no sign
  if (a === 0n && decimals < 0) return '0';
  let s = a.toString();
  if (e > 0 && a !== 0n) s += '0'.repeat(e);
  const places = decimals > 0 ? decimals : 0;
  const have = e < 0 ? -e : 0; // places a currently carries
  if (have < places) s += '0'.repeat(places - have);
  let text: string;
  if (places === 0) text = s;
  else {
    if (s.length <= places) s = '0'.repeat(places - s.length + 1) + s;
    text = `${s.slice(0, s.length - places)}.${s.slice(s.length - places)}`;
  }
  return neg ? `-${text}` : text;
}
