/**
 * Type A evaluation from repeated observations (GUM 4.2).
 */
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';

export interface TypeA {
  /** q̄, the arithmetic mean (GUM 4.2.1). */
  readonly mean: Decimal;
  /** s(q), the experimental standard deviation (GUM 4.2.2). */
  readonly standardDeviation: Decimal;
  /** s(q̄) = s(q)/√n, the experimental standard deviation of the mean (GUM 4.2.3). */
  readonly standardUncertainty: Decimal;
  /** ν = n − 1 (GUM G.3.3), or the pooled degrees of freedom. */
  readonly dof: Decimal;
}

/**
 * @param observations at least two (one with a pooled standard deviation)
 * @param pooled s_p and its ν from earlier data (GUM H.3.6): u = s_p/√n, ν = ν_p
 * @throws TOO_FEW_OBSERVATIONS
 */
export function typeA(observations: readonly Decimal[], path: string, pooled?: { s: Decimal; dof: Decimal }): TypeA {
  const n = observations.length;
  if (n < (pooled ? 1 : 2)) fail('TOO_FEW_OBSERVATIONS', path, `a Type A evaluation needs at least ${pooled ? 1 : 2} observations, got ${n}`);
  const mean = observations.reduce((s, x) => s.plus(x), new Decimal(0)).div(n);
  const sumSquares = observations.reduce((s, x) => s.plus(x.minus(mean).pow(2)), new Decimal(0));
  const standardDeviation = n > 1 ? sumSquares.div(n - 1).sqrt() : new Decimal(0);
  if (pooled) return { mean, standardDeviation, standardUncertainty: pooled.s.div(new Decimal(n).sqrt()), dof: pooled.dof };
  return { mean, standardDeviation, standardUncertainty: standardDeviation.div(new Decimal(n).sqrt()), dof: new Decimal(n - 1) };
}
