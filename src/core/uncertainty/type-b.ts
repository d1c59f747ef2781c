/**
 * Type B evaluation: standard uncertainty from a half-width and an assumed
 * distribution (GUM 4.3.7, 4.3.9, 4.4.5; JCGM 101 6.4.2–6.4.6), or from a
 * certificate's expanded uncertainty (GUM 4.3.3).
 */
import { Decimal } from '../numeric/decimal.ts';

export const HALF_WIDTH_DISTRIBUTIONS = ['rectangular', 'triangular', 'u-shaped'] as const;
export type HalfWidthDistribution = (typeof HALF_WIDTH_DISTRIBUTIONS)[number];

const DIVISOR: Record<HalfWidthDistribution, Decimal> = {
  rectangular: new Decimal(3).sqrt(), // a/√3, GUM 4.3.7
  triangular: new Decimal(6).sqrt(), // a/√6, GUM 4.3.9
  'u-shaped': new Decimal(2).sqrt(), // a/√2, arcsine
};

/** The divisor of a distribution's half-width (√3, √6, √2 at the working precision). */
export function halfWidthDivisor(distribution: HalfWidthDistribution): Decimal {
  return DIVISOR[distribution];
}

/** u = a / divisor of the distribution. */
export function fromHalfWidth(halfWidth: Decimal, distribution: HalfWidthDistribution): Decimal {
  return halfWidth.div(DIVISOR[distribution]);
}

/** u = U / k (GUM 4.3.3). */
export function fromExpanded(expanded: Decimal, k: Decimal): Decimal {
  return expanded.div(k);
}
