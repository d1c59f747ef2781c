/**
 * The private mathjs instance of metrotrace, in BigNumber mode at the shared
 * precision. It is created once here and never configured elsewhere; nothing
 * touches mathjs' default instance. Values cross between decimal.js and mathjs
 * only as strings, never as JS numbers.
 */
import { all, create, type BigNumber, type MathJsInstance } from 'mathjs';
import { Decimal, PRECISION } from './decimal.ts';

export const math: MathJsInstance = create(all!, { number: 'BigNumber', precision: PRECISION });

/** A mathjs BigNumber from a Decimal, through its exact text. */
export function toBigNumber(d: Decimal): BigNumber {
  return math.bignumber(d.toString()) as BigNumber;
}

/** A Decimal from a mathjs BigNumber (or any value with an exact toString). */
export function fromBigNumber(b: { toString(): string }): Decimal {
  return new Decimal(b.toString());
}
