/**
 * The one decimal configuration of metrotrace.
 *
 * Every measured value, uncertainty, sensitivity and coverage factor in the core
 * is a `Decimal` made here. We use a private clone of decimal.js so that no
 * global configuration is mutated and a library that also uses decimal.js is
 * not affected. 40 significant digits leave headroom over the 34 of IEEE
 * decimal128 and over the 20 that LPU results report.
 */
import { Decimal as DecimalJs } from 'decimal.js';
import { fail } from '../errors.ts';

/** Working precision in significant digits, shared with the mathjs instance. */
export const PRECISION = 40;

export const Decimal = DecimalJs.clone({
  precision: PRECISION,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  // Plain notation for the magnitudes metrology meets; exponent beyond them.
  toExpNeg: -30,
  toExpPos: 40,
  modulo: DecimalJs.ROUND_FLOOR,
});
export type Decimal = DecimalJs;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);

/** π, e and ln 10 at the working precision: one definition for models, their derivatives and the distributions. */
export const PI = Decimal.acos(-1);
export const E = ONE.exp();
export const LN10 = new Decimal(10).ln();

const DECIMAL_SYNTAX = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?$/;

/** The regular expression (as a string) that a decimal on the wire must match. */
export const DECIMAL_PATTERN = '^[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d{1,6})?$';

/**
 * Parses a decimal that arrived as text (JSON, a query string, a numeric column).
 *
 * @param value the raw value; only a string is accepted
 * @param path JSON pointer of the field, for the error
 * @throws JSON_NUMBER when a JSON number arrives (it was already rounded by JSON.parse)
 * @throws INVALID_DECIMAL for anything that is not a finite decimal string
 * @example parseDecimal("1e-6", "/u") //=> Decimal 0.000001
 */
export function parseDecimal(value: unknown, at: string | (() => string)): Decimal {
  if (typeof value === 'string' && DECIMAL_SYNTAX.test(value)) return new Decimal(value);
  const path = typeof at === 'string' ? at : at();
  if (typeof value === 'number') {
    fail('JSON_NUMBER', path, `send this decimal as a string ("${String(value)}"), not as a JSON number, so that no binary rounding happens`);
  }
  if (typeof value !== 'string') {
    fail('INVALID_DECIMAL', path, `expected a decimal string such as "0.000025", got ${describe(value)}`);
  }
  const text = value.trim();
  if (!DECIMAL_SYNTAX.test(text)) {
    fail('INVALID_DECIMAL', path, `"${truncate(value)}" is not a finite decimal number; write it like "50.000623" or "1e-6"`);
  }
  return new Decimal(text);
}

/** Like parseDecimal, and the result must be ≥ 0. */
export function parseNonNegative(value: unknown, path: string, code: 'NEGATIVE_UNCERTAINTY' | 'INVALID_FIELD' = 'INVALID_FIELD'): Decimal {
  const d = parseDecimal(value, path);
  if (d.isNegative() && !d.isZero()) fail(code, path, `must not be negative, got "${String(value)}"`);
  return d.isZero() ? ZERO : d;
}

/** Like parseDecimal, and the result must be > 0. */
export function parsePositive(value: unknown, path: string): Decimal {
  const d = parseDecimal(value, path);
  if (!d.isPositive() || d.isZero()) fail('INVALID_FIELD', path, `must be greater than zero, got "${String(value)}"`);
  return d;
}

/** Canonical decimal text: no trailing zeros, no exponent for ordinary magnitudes, "-0" as "0". */
export function toText(d: Decimal): string {
  return d.isZero() ? '0' : d.toString();
}

/**
 * Significant digits reported for a value derived through square roots and
 * divisions (a chain uncertainty, a correlation): the working precision less
 * ten guard digits, so that 1e-4 computed as (u_s/u)² reads 0.0001, not
 * 0.0000999…9991.
 */
export const DERIVED_DIGITS = PRECISION - 10;

/** Decimal text with at least `digits` significant digits kept (for full-precision reports). */
export function toSignificant(d: Decimal, digits: number): string {
  return d.isZero() ? '0' : d.toSignificantDigits(digits).toString();
}

export function isDecimal(value: unknown): value is Decimal {
  return value instanceof Decimal;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function truncate(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

declare const decimalText: unique symbol;
/**
 * A decimal kept as the text it was given in, normalised to plain notation with
 * its scale preserved: "0.00020" stays "0.00020" (the trailing zero is a
 * reported digit), "1.50e2" becomes "150", "2.5e-7" becomes "0.00000025". This
 * is exactly what a PostgreSQL `numeric` column stores and returns, so a
 * certificate value reads back digit for digit.
 */
export type DecimalText = string & { readonly [decimalText]: true };

/** Parses and normalises a decimal to DecimalText (see there). */
export function parseDecimalText(value: unknown, path: string): DecimalText {
  const d = parseDecimal(value, path);
  return decimalTextOf(d, scaleOf((value as string).trim()));
}

/** DecimalText of a Decimal at a given number of decimal places (default: as many as it needs). */
export function decimalTextOf(d: Decimal, scale?: number): DecimalText {
  const text = scale === undefined ? d.toFixed() : d.toFixed(scale);
  return (text.startsWith('-') && new Decimal(text).isZero() ? text.slice(1) : text) as DecimalText;
}

/** The number of decimal places a decimal literal states ("0.00020" → 5, "1.5e2" → 0). */
export function scaleOf(literal: string): number {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (!m) return 0;
  const fraction = m[2]?.length ?? 0;
  const exponent = m[3] === undefined ? 0 : Number(m[3]);
  return Math.max(0, fraction - exponent);
}

/** The Decimal value of a DecimalText. */
export function valueOf(text: DecimalText): Decimal {
  return new Decimal(text);
}
