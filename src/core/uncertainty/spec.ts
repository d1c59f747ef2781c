/**
 * One uncertainty evaluation as the core sees it, after the JSON contract has
 * been read (codecs/uncertainty-spec.ts): every number a Decimal, every input
 * reduced to an estimate, a standard uncertainty, degrees of freedom and the
 * distribution Monte Carlo samples it from.
 */
import type { Decimal } from '../numeric/decimal.ts';
import type { Correlations } from './correlation.ts';
import type { HalfWidthDistribution } from './type-b.ts';

/** How Monte Carlo draws an input (JCGM 101 6.4). */
export type SamplingDistribution =
  | { readonly kind: 'normal' }
  | { readonly kind: 't'; readonly dof: Decimal }
  | { readonly kind: HalfWidthDistribution; readonly halfWidth: Decimal };

export type InputForm = 'standard' | 'observations' | 'half-width' | 'expanded';

export interface InputQuantity {
  readonly name: string;
  /** xᵢ, the estimate. */
  readonly value: Decimal;
  /** u(xᵢ), the standard uncertainty. */
  readonly u: Decimal;
  /** νᵢ; Infinity when exactly known. */
  readonly dof: Decimal;
  readonly unit: string | null;
  readonly form: InputForm;
  readonly sampling: SamplingDistribution;
}

export interface OutputModel {
  readonly name: string;
  readonly expression: string;
  /** JSON pointer of the expression, for errors. */
  readonly path: string;
}

export type Coverage = { readonly kind: 'probability'; readonly probability: Decimal } | { readonly kind: 'k'; readonly k: Decimal };

export type IntervalType = 'symmetric' | 'shortest';

export type Method =
  | { readonly kind: 'lpu' }
  | {
      readonly kind: 'monte-carlo';
      readonly trials: number;
      readonly seed: bigint;
      readonly intervalType: IntervalType;
      /** JCGM 101 7.9: stop when the results are stable to this many significant digits. */
      readonly adaptiveDigits: number | null;
    };

export interface EvaluationSpec {
  readonly outputs: readonly OutputModel[];
  readonly quantities: readonly InputQuantity[];
  /** Correlations between input quantities, by name. */
  readonly correlations: Correlations<string>;
  readonly coverage: Coverage;
  readonly method: Method;
}
