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

const calendar = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's calendar date in the configured time zone (TIME_ZONE), for queries that give none and for refusing future dates. */
export function today(): CalendarDate {
  return calendar.format(new Date()) as CalendarDate;
}

/** A fresh 63-bit seed for a Monte Carlo run that names none (reported back in the result). */
export function randomSeed(): bigint {
  return randomBytes(8).readBigUInt64BE() >> 1n;
}
