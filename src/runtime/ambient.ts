/**
 * The clock and the randomness the core never reads, for the transports that
 * supply them as parameters.
 *
 * @impure reads the clock, the environment and the system's random source.
 */
import { randomBytes } from 'node:crypto';
import type { CalendarDate } from '../core/dates.ts';

/** The time zone whose calendar says what "today" is: METROTRACE_TZ, by default China Standard Time. */
export const TIME_ZONE = process.env.METROTRACE_TZ?.trim() || 'Asia/Shanghai';

/**
 * China Standard Time has been UTC+8 all year since 1991: its date needs no
 * time-zone database (building an Intl formatter for a zone costs tens of
 * milliseconds of a CLI command's start). Any other zone goes through Intl,
 * built on first use.
 */
const FIXED_OFFSET_MINUTES: Readonly<Record<string, number>> = { 'Asia/Shanghai': 480, PRC: 480, UTC: 0, 'Etc/UTC': 0 };

let calendar: Intl.DateTimeFormat | undefined;

/** Today's calendar date in the configured time zone (TIME_ZONE), for queries that give none and for refusing future dates. */
export function today(): CalendarDate {
  return dateIn(TIME_ZONE, new Date());
}

/** The calendar date of an instant in a time zone. */
export function dateIn(zone: string, instant: Date): CalendarDate {
  const offset = FIXED_OFFSET_MINUTES[zone];
  if (offset !== undefined) return new Date(instant.getTime() + offset * 60_000).toISOString().slice(0, 10) as CalendarDate;
  if (zone !== TIME_ZONE)
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant) as CalendarDate;
  calendar ??= new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return calendar.format(instant) as CalendarDate;
}

/** A fresh 63-bit seed for a Monte Carlo run that names none (reported back in the result). */
export function randomSeed(): bigint {
  return randomBytes(8).readBigUInt64BE() >> 1n;
}
