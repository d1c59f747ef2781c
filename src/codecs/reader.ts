/**
 * Reading untrusted JSON into typed values, field by field, with the JSON
 * pointer of every field at hand for errors. Unknown fields are rejected: a
 * typo must never silently change a result.
 */
import { type CalendarDate, parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { type Decimal, type DecimalText, parseDecimal, parseDecimalText } from '../core/numeric/decimal.ts';

export class ObjectReader {
  private readonly seen = new Set<string>();

  constructor(
    readonly raw: Record<string, unknown>,
    readonly path: string,
  ) {}

  static of(value: unknown, path: string, what = 'an object'): ObjectReader {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      fail('INVALID_FIELD', path, `expected ${what}, got ${kindOf(value)}`);
    }
    return new ObjectReader(value as Record<string, unknown>, path);
  }

  at(key: string): string {
    const escaped = key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
    return `${this.path}/${escaped}`;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  /** The raw value, marked as read. */
  value(key: string): unknown {
    this.seen.add(key);
    return this.raw[key];
  }

  required(key: string): unknown {
    const v = this.value(key);
    if (v === undefined || v === null) fail('MISSING_FIELD', this.at(key), `'${key}' is required`);
    return v;
  }

  string(key: string, opts: { pattern?: RegExp; max?: number; hint?: string } = {}): string {
    return checkString(this.required(key), this.at(key), opts);
  }

  optionalString(key: string, opts: { pattern?: RegExp; max?: number; hint?: string } = {}): string | null {
    const v = this.value(key);
    return v === undefined || v === null ? null : checkString(v, this.at(key), opts);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    return checkOneOf(this.required(key), this.at(key), allowed);
  }

  optionalOneOf<T extends string>(key: string, allowed: readonly T[]): T | null {
    const v = this.value(key);
    return v === undefined || v === null ? null : checkOneOf(v, this.at(key), allowed);
  }

  decimal(key: string): Decimal {
    return parseDecimal(this.required(key), () => this.at(key));
  }

  optionalDecimal(key: string): Decimal | null {
    const v = this.value(key);
    return v === undefined || v === null ? null : parseDecimal(v, () => this.at(key));
  }

  decimalText(key: string): DecimalText {
    return parseDecimalText(this.required(key), this.at(key));
  }

  optionalDecimalText(key: string): DecimalText | null {
    const v = this.value(key);
    return v === undefined || v === null ? null : parseDecimalText(v, this.at(key));
  }

  date(key: string): CalendarDate {
    return parseDate(this.required(key), this.at(key));
  }

  optionalDate(key: string): CalendarDate | null {
    const v = this.value(key);
    return v === undefined || v === null ? null : parseDate(v, this.at(key));
  }

  boolean(key: string, fallback?: boolean): boolean {
    const v = this.value(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'boolean') fail(v === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD', this.at(key), `'${key}' must be true or false`);
    return v;
  }

  /** A whole number (a count, not a measured decimal) in [min, max]. */
  integer(key: string, opts: { min: number; max: number }): number {
    const v = this.required(key);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < opts.min || v > opts.max)
      fail('INVALID_FIELD', this.at(key), `'${key}' is a whole number from ${opts.min} to ${opts.max}`);
    return v;
  }

  optionalInteger(key: string, opts: { min: number; max: number }): number | null {
    const v = this.raw[key];
    if (v === undefined || v === null) return (this.value(key), null);
    return this.integer(key, opts);
  }

  array(key: string, opts: { optional?: boolean; max?: number } = {}): unknown[] {
    const v = this.value(key);
    if ((v === undefined || v === null) && opts.optional) return [];
    if (!Array.isArray(v)) fail(v === undefined ? 'MISSING_FIELD' : 'INVALID_FIELD', this.at(key), `'${key}' must be an array, got ${kindOf(v)}`);
    if (opts.max !== undefined && v.length > opts.max) fail('INVALID_FIELD', this.at(key), `'${key}' has ${v.length} items; at most ${opts.max} are allowed`);
    return v;
  }

  object(key: string): ObjectReader {
    return ObjectReader.of(this.required(key), this.at(key));
  }

  optionalObject(key: string): ObjectReader | null {
    const v = this.value(key);
    return v === undefined || v === null ? null : ObjectReader.of(v, this.at(key));
  }

  /** Fails on the first field that was never read. Call after reading all known fields. */
  done(): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.seen.has(key)) fail('UNKNOWN_FIELD', this.at(key), `unknown field '${key}'; check its spelling against the documentation`);
    }
  }
}

function checkString(v: unknown, path: string, opts: { pattern?: RegExp; max?: number; hint?: string }): string {
  if (typeof v !== 'string') fail('INVALID_FIELD', path, `expected a string, got ${kindOf(v)}`);
  const max = opts.max ?? 500;
  if (v.length === 0) fail('INVALID_FIELD', path, 'must not be empty');
  if (v.length > max) fail('INVALID_FIELD', path, `is ${v.length} characters long; at most ${max} are allowed`);
  if (opts.pattern && !opts.pattern.test(v)) fail('INVALID_FIELD', path, opts.hint ?? `"${v.slice(0, 40)}" has the wrong format`);
  return v;
}

function checkOneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    fail('INVALID_FIELD', path, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return v as T;
}

export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
