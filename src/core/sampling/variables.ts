/**
 * Variables sampling of a lot of meters (the s method, variability unknown):
 * the plan (n, k) read from ANSI/ASQ Z1.9 Tables A-2 and B-1 (z19-tables.ts —
 * not GB/T 6378.1 / ISO 3951-1, which could not be sourced), and the decision
 * from the sampled meters' errors, in Decimal.
 *
 * The variable is each sampled meter's error (%) at the plan's test point;
 * the specification limits are the in-service MPE, L = −MPE and U = +MPE.
 *
 * The decision (one AQL for both limits, each limit controlled on its own):
 *   x̄ = Σx/n,  s = √(Σ(x − x̄)² / (n − 1)),
 *   Q_U = (U − x̄)/s,  Q_L = (x̄ − L)/s;
 *   accepted when Q_U ≥ k and Q_L ≥ k.
 * This is "separate control" of the two limits. It is not how Z1.9 or
 * ISO 3951-1 treat a double limit with one AQL for both: they bound the
 * estimated fraction outside both limits together (Z1.9's Form 2, ISO
 * 3951-1's p* acceptance charts), which metrotrace does not carry. Separate
 * control admits about the AQL beyond each limit, so up to about twice the
 * AQL in all for a centred lot; to hold the AQL for both limits together,
 * choose the AQL one step tighter. The rule is stated in every result.
 *
 * Edge cases, each deciding toward "not accepted":
 * - a sampled meter whose error is outside ±MPE: the lot is not accepted,
 *   whatever Q says — a meter found nonconforming in the sample is evidence
 *   the normal model does not excuse (metrotrace's rule, not Z1.9's);
 * - s = 0 (every error the same): the spread cannot be estimated (too coarse
 *   a reading for the method); not accepted, with that reason;
 * - the number of results must be the plan's n (at least 3 in Table B-1);
 *   anything else is refused as bad input, nothing is decided.
 */
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';
import type { LotDecision, Severity } from './plans.ts';
import {
  Z19_AQLS,
  Z19_K_COLUMNS,
  Z19_LEVELS,
  Z19_SAMPLE_SIZES,
  Z19_TABLE_A2,
  Z19_TABLE_B1,
  Z19_CODE_LETTERS,
  type Z19Aql,
  type Z19CodeLetter,
  type Z19Level,
} from './z19-tables.ts';

export const SAMPLING_METHODS = ['attributes', 'variables'] as const;
export type SamplingMethod = (typeof SAMPLING_METHODS)[number];

export function isZ19Level(v: unknown): v is Z19Level {
  return typeof v === 'string' && (Z19_LEVELS as readonly string[]).includes(v);
}

export function isZ19Aql(v: unknown): v is Z19Aql {
  return typeof v === 'string' && (Z19_AQLS as readonly string[]).includes(v);
}

export interface VariablesPlan {
  readonly method: 'variables';
  readonly severity: Exclude<Severity, 'reduced'>;
  readonly lotSize: number;
  readonly level: Z19Level;
  readonly aql: Z19Aql;
  /** The code letter Table A-2 gives. */
  readonly codeLetter: Z19CodeLetter;
  /** The row whose plan is used once the arrows are followed. */
  readonly planLetter: Z19CodeLetter;
  /** n: every sampled meter is measured. */
  readonly sampleSize: number;
  /** k, as printed (a decimal string). */
  readonly k: string;
  readonly arrows: readonly string[];
}

/** Table A-2: the code letter of a lot. */
export function z19CodeLetterFor(lotSize: number, level: Z19Level, path = '/lotSize'): Z19CodeLetter {
  if (!Number.isInteger(lotSize) || lotSize < 2) fail('INVALID_FIELD', path, `a lot holds at least 2 items for sampling, got ${String(lotSize)}`);
  const row = Z19_TABLE_A2.find((r) => lotSize >= r.from && (r.to === null || lotSize <= r.to))!;
  return row.letters[Z19_LEVELS.indexOf(level)]!;
}

/** Table B-1: n and k of a code letter at an AQL and severity, arrows followed down. */
export function z19TablePlan(severity: 'normal' | 'tightened', codeLetter: Z19CodeLetter, aql: Z19Aql): Omit<VariablesPlan, 'lotSize' | 'level' | 'method'> {
  // tightened inspection at an AQL uses the column printed one step to the left (its "T" for 0.10)
  const column = Z19_K_COLUMNS.indexOf(aql) - (severity === 'tightened' ? 1 : 0);
  let row = Z19_CODE_LETTERS.indexOf(codeLetter);
  const arrows: string[] = [];
  while (Z19_TABLE_B1[Z19_CODE_LETTERS[row]!]![column] === '↓') row++;
  const planLetter = Z19_CODE_LETTERS[row]!;
  if (planLetter !== codeLetter) arrows.push(`↓ from ${codeLetter} to ${planLetter}`);
  return { severity, codeLetter, planLetter, aql, sampleSize: Z19_SAMPLE_SIZES[planLetter], k: Z19_TABLE_B1[planLetter]![column]!, arrows };
}

/**
 * The variables plan for a lot. Refused (NOT_APPLICABLE) when the sample
 * would not be smaller than the lot: a variables plan estimates the lot from a
 * sample, and a lot that small is inspected by attributes (every meter judged).
 */
export function variablesPlan(input: { lotSize: number; level: Z19Level; aql: Z19Aql; severity: 'normal' | 'tightened' }): VariablesPlan {
  const codeLetter = z19CodeLetterFor(input.lotSize, input.level);
  const plan = z19TablePlan(input.severity, codeLetter, input.aql);
  if (plan.sampleSize >= input.lotSize) {
    fail(
      'NOT_APPLICABLE',
      '/method',
      `the variables plan for code letter ${plan.planLetter} measures ${plan.sampleSize} meters, not fewer than the ${input.lotSize} in the lot; sample it by attributes`,
    );
  }
  return { method: 'variables', ...plan, lotSize: input.lotSize, level: input.level };
}

export interface VariablesOutcome {
  readonly decision: LotDecision;
  readonly inspected: number;
  /** Sampled meters with |error| > MPE. */
  readonly outside: number;
  readonly mean: Decimal;
  readonly standardDeviation: Decimal;
  /** (U − x̄)/s and (x̄ − L)/s; null when s = 0. */
  readonly qUpper: Decimal | null;
  readonly qLower: Decimal | null;
  readonly k: Decimal;
  readonly lower: Decimal;
  readonly upper: Decimal;
  /** The rule applied, in words, with the figures. */
  readonly rule: string;
}

/** Figures in a rule: 4 decimals, enough to see which side of k a Q lies (the stored statistics keep the working precision). */
const fig = (d: Decimal): string => d.toDecimalPlaces(4, Decimal.ROUND_HALF_EVEN).toString();

/**
 * The decision on a lot from its sampled meters' errors against ±MPE (see the
 * module comment for the rule and its edge cases). Errors are given in the
 * plan's draw order or any other: the statistics do not depend on it.
 */
export function decideVariables(plan: { readonly sampleSize: number; readonly k: string }, errors: readonly Decimal[], mpe: Decimal): VariablesOutcome {
  const n = errors.length;
  if (n !== plan.sampleSize) fail('INVALID_FIELD', '/meters', `the plan measures ${plan.sampleSize} meters; results were given for ${n}`);
  if (n < 2) fail('INVALID_FIELD', '/meters', 'the s method needs at least 2 measured meters to estimate the spread');
  if (!mpe.isPositive() || mpe.isZero()) fail('INVALID_FIELD', '/meters/0/points/0/mpe', 'the in-service MPE is a positive half-width');
  const k = new Decimal(plan.k);
  const upper = mpe;
  const lower = mpe.negated();
  const mean = errors.reduce((a, x) => a.plus(x), new Decimal(0)).dividedBy(n);
  const ss = errors.reduce((a, x) => a.plus(x.minus(mean).pow(2)), new Decimal(0));
  const standardDeviation = ss.dividedBy(n - 1).sqrt();
  const outside = errors.filter((x) => x.abs().greaterThan(mpe)).length;
  const base = { inspected: n, outside, mean, standardDeviation, k, lower, upper };
  const stats = `n = ${n}, x̄ = ${fig(mean)}, s = ${fig(standardDeviation)}`;
  if (standardDeviation.isZero()) {
    return {
      ...base,
      decision: 'reject',
      qUpper: null,
      qLower: null,
      rule: `${stats}: the errors show no spread (s = 0), so the fraction outside ±${mpe.toString()} cannot be estimated by the s method: the lot is not accepted`,
    };
  }
  const qUpper = upper.minus(mean).dividedBy(standardDeviation);
  const qLower = mean.minus(lower).dividedBy(standardDeviation);
  const qs = `${stats}, Q_U = ${fig(qUpper)}, Q_L = ${fig(qLower)}, k = ${plan.k}`;
  if (outside > 0) {
    return {
      ...base,
      decision: 'reject',
      qUpper,
      qLower,
      rule: `${qs}; ${outside} sampled meter${outside === 1 ? '' : 's'} outside ±${mpe.toString()}: the lot is not accepted, whatever Q says`,
    };
  }
  const accept = qUpper.greaterThanOrEqualTo(k) && qLower.greaterThanOrEqualTo(k);
  return {
    ...base,
    decision: accept ? 'accept' : 'reject',
    qUpper,
    qLower,
    rule: accept
      ? `${qs}: Q_U ≥ k and Q_L ≥ k: the lot is accepted`
      : `${qs}: ${[qUpper.lessThan(k) ? 'Q_U < k' : null, qLower.lessThan(k) ? 'Q_L < k' : null].filter(Boolean).join(' and ')}: the lot is not accepted`,
  };
}
