/**
 * The clock and the randomness the core never reads, for the transports that
 * supply them as parameters.
 *
 * @impure reads the clock and the system's random source.
 */
import { randomBytes } from 'node:crypto';

/** Today's date (UTC), for queries that give none. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** A fresh 63-bit seed for a Monte Carlo run that names none (reported back in the result). */
export function randomSeed(): bigint {
  return randomBytes(8).readBigUInt64BE() >> 1n;
}
