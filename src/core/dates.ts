/**
 * Calendar dates (proleptic Gregorian, no time zone), as `YYYY-MM-DD` strings
 * branded so that an unchecked string cannot pass for one.
 *
 * The core never reads the clock: "today" is always a parameter. Arithmetic is
 * done on day numbers (days since 1970-01-01) with integer operations only, so
 * it is independent of the process time zone.
 */
import { fail } from './errors.ts';

declare const calendarDate: unique symbol;
export type CalendarDate = string & { readonly [calendarDate]: true };

const DATE_SYNTAX = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Checks and brands a `YYYY-MM-DD` date.
 * @throws INVALID_DATE when the text is not a real date (2026-02-30 is not)
 */
export function parseDate(value: unknown, path: string): CalendarDate {
  if (typeof value !== 'string') fail('INVALID_DATE', path, `expected a calendar date "YYYY-MM-DD", got ${value === null ? 'null' : typeof value}`);
  const m = DATE_SYNTAX.exec(value);
  if (!m) fail('INVALID_DATE', path, `"${value.slice(0, 40)}" is not a date; write it as YYYY-MM-DD, e.g. 2026-11-25`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    fail('INVALID_DATE', path, `${value} is not a real calendar date`);
  }
  return value as CalendarDate;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function parts(d: CalendarDate): [number, number, number] {
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}

function format(y: number, m: number, d: number): CalendarDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as CalendarDate;
}

function floorDiv(a: number, b: number): number {
  return (a - (((a % b) + b) % b)) / b;
}

function monthParts(index: number): [number, number] {
  const y = floorDiv(index, 12);
  return [y, index - y * 12 + 1];
}

/** Days since 1970-01-01 (negative before), after H. Hinnant's days_from_civil. */
export function toDayNumber(date: CalendarDate): number {
  let [y, m, d] = parts(date);
  y -= m <= 2 ? 1 : 0;
  const era = floorDiv(y, 400);
  const yoe = y - era * 400;
  const doy = floorDiv(153 * (m + (m > 2 ? -3 : 9)) + 2, 5) + d - 1;
  const doe = yoe * 365 + floorDiv(yoe, 4) - floorDiv(yoe, 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The calendar date of a day number (inverse of toDayNumber). */
export function fromDayNumber(n: number): CalendarDate {
  const z = n + 719468;
  const era = floorDiv(z, 146097);
  const doe = z - era * 146097;
  const yoe = floorDiv(doe - floorDiv(doe, 1460) + floorDiv(doe, 36524) - floorDiv(doe, 146096), 365);
  const doy = doe - (365 * yoe + floorDiv(yoe, 4) - floorDiv(yoe, 100));
  const mp = floorDiv(5 * doy + 2, 153);
  const d = doy - floorDiv(153 * mp + 2, 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return format(y, m, d);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Adds whole months; the day is clamped to the month's end (2026-01-31 + 1 month = 2026-02-28). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [y, m] = monthParts(monthIndex(date) + months);
  return format(y, m, Math.min(parts(date)[2], daysInMonth(y, m)));
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** The year of a date. */
export function yearOf(date: CalendarDate): number {
  return parts(date)[0];
}

/**
 * Whole years from `from` to `at`, a birthday count: 2020-07-01 to 2026-06-30
 * is 5, to 2026-07-01 is 6; from 2024-02-29, the year is complete on 03-01.
 */
export function wholeYears(from: CalendarDate, at: CalendarDate): number {
  const [fy, fm, fd] = parts(from);
  const [ay, am, ad] = parts(at);
  return ay - fy - (am < fm || (am === fm && ad < fd) ? 1 : 0);
}

/**
 * Calendar months are numbered consecutively (year × 12 + month − 1), so that
 * month arithmetic is integer arithmetic: 2026-12 is 24323, 2027-01 is 24324.
 */
export function monthIndex(date: CalendarDate): number {
  const [y, m] = parts(date);
  return y * 12 + m - 1;
}

/** The month as `YYYY-MM`, the key by which plans and reports name it. */
export function monthKey(index: number): string {
  const [y, m] = monthParts(index);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** The first day of a month (by its index). */
export function firstDayOfMonth(index: number): CalendarDate {
  const [y, m] = monthParts(index);
  return format(y, m, 1);
}

/** The last day of a month (by its index): 2026-02-28, 2024-02-29, 2026-04-30. */
export function lastDayOfMonth(index: number): CalendarDate {
  const [y, m] = monthParts(index);
  return format(y, m, daysInMonth(y, m));
}

/** The last day of a horizon of `months` calendar months starting with the month of `from`. */
export function horizonEnd(from: CalendarDate, months: number): CalendarDate {
  return lastDayOfMonth(monthIndex(from) + months - 1);
}

/** ISO dates compare correctly as strings. */
export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when `date` lies in the closed interval [from, until]. */
export function within(date: CalendarDate, from: CalendarDate, until: CalendarDate): boolean {
  return from <= date && date <= until;
}
