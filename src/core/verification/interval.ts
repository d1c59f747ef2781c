/**
 * Recommending a recalibration or verification interval from an instrument's
 * own history, after ILAC-G24:2022 / OIML D 10:2022 and JJF 1139-2005:
 *
 * - staircase (ILAC-G24 method 1, "automatic adjustment"; NCSL RP-1 A1, 简单反应法):
 *   after each result the interval is extended by a factor (1 + a) when the
 *   instrument was found within a fraction (80 %) of its MPE, kept when it was
 *   in tolerance but beyond that fraction, and shortened by (1 − b) when out of
 *   tolerance. b follows from a and the reliability target R so that the
 *   interval is stable on average when the in-tolerance rate is R:
 *   R·ln(1 + a) + (1 − R)·ln(1 − b) = 0, i.e. b = 1 − (1 + a)^(−R/(1−R)).
 * - reliability target (JJF 1139 最大似然估计法; RP-1 S1 with the exponential
 *   model): the probability of still being in tolerance t after a verification
 *   is R(t) = exp(−λt). λ is the maximum-likelihood estimate from the observed
 *   (elapsed time, in or out of tolerance) pairs, and the interval is the t at
 *   which R(t) equals the target. With no out-of-tolerance result λ has no
 *   finite estimate; its one-sided 95 % upper bound −ln(0.05)/Σt is used.
 *
 * For an instrument under mandatory verification the result never exceeds the
 * legal interval: the method may only advise a shorter one.
 * Interval arithmetic is in decimals; the answer is whole months, rounded down.
 */
import { type CalendarDate, compareDates, daysBetween } from '../dates.ts';
import { fail } from '../errors.ts';
import { Decimal, ONE, valueOf, ZERO } from '../numeric/decimal.ts';
import type { CalibrationRecord, Equipment } from '../registry/types.ts';

/** Days in a mean Gregorian month. */
/** The mean length of a month (a Julian year's twelfth), to turn elapsed days into months. */
export const DAYS_PER_MONTH = new Decimal('365.25').div(12);
/** One-sided 95 % upper bound on the failure rate with no failure: −ln(0.05). */
const ZERO_FAILURE_BOUND = new Decimal('0.05').ln().neg();
export const MIN_OBSERVATIONS = 5;

export interface Observation {
  readonly recordId: string;
  readonly performedOn: CalendarDate;
  /** Days since the previous calibration or verification; null for the first. */
  readonly elapsedDays: number | null;
  readonly inTolerance: boolean;
  /** The largest |as-found error| as a fraction of the MPE, when the record has points and the equipment an MPE. */
  readonly fractionOfMpe: Decimal | null;
}

export interface AsFoundPoint {
  readonly recordId: string;
  readonly performedOn: CalendarDate;
  readonly nominal: Decimal;
  readonly error: Decimal;
  readonly mpe: Decimal | null;
}

/** The as-found error (as-found − nominal) of every measured point, oldest first. */
export function asFoundSeries(equipment: Equipment, records: readonly CalibrationRecord[]): AsFoundPoint[] {
  const mpe = equipment.accuracy.kind === 'mpe' ? valueOf(equipment.accuracy.mpe) : null;
  return [...records]
    .sort((a, b) => compareDates(a.performedOn, b.performedOn))
    .flatMap((r) =>
      r.points
        .filter((p) => p.asFound !== null)
        .map((p) => ({ recordId: r.id, performedOn: r.performedOn, nominal: valueOf(p.nominal), error: valueOf(p.asFound!).minus(valueOf(p.nominal)), mpe })),
    );
}

/**
 * One observation per record, oldest first. A verification is in tolerance
 * when it passed; a calibration when every as-found error is within the MPE.
 */
export function observationsOf(equipment: Equipment, records: readonly CalibrationRecord[]): Observation[] {
  const mpe = equipment.accuracy.kind === 'mpe' ? valueOf(equipment.accuracy.mpe) : null;
  const sorted = [...records].sort((a, b) => compareDates(a.performedOn, b.performedOn) || (a.id < b.id ? -1 : 1));
  return sorted.map((r, i) => {
    let fraction: Decimal | null = null;
    if (mpe?.greaterThan(0)) {
      for (const p of r.points) {
        if (p.asFound === null) continue;
        const f = valueOf(p.asFound).minus(valueOf(p.nominal)).abs().div(mpe);
        if (fraction === null || f.greaterThan(fraction)) fraction = f;
      }
    }
    const inTolerance = r.conformity !== null ? r.conformity === 'pass' : fraction !== null ? fraction.lessThanOrEqualTo(1) : true;
    return {
      recordId: r.id,
      performedOn: r.performedOn,
      elapsedDays: i === 0 ? null : daysBetween(sorted[i - 1]!.performedOn, r.performedOn),
      inTolerance,
      fractionOfMpe: fraction,
    };
  });
}

export interface IntervalRecommendation {
  readonly method: 'staircase' | 'reliability_target';
  /** Whole months, after the legal cap; null when the data cannot support a recommendation. */
  readonly recommendedMonths: number | null;
  /** The method's own answer in months before rounding and capping. */
  readonly computedMonths: Decimal | null;
  readonly legalMonths: number | null;
  readonly capped: boolean;
  readonly parameters: Readonly<Record<string, Decimal | number | string>>;
  readonly steps: ReadonlyArray<{ readonly recordId: string; readonly result: string; readonly months: Decimal }>;
  readonly reasoning: readonly string[];
}

function finish(
  method: IntervalRecommendation['method'],
  computed: Decimal | null,
  legal: number | null,
  parts: Omit<IntervalRecommendation, 'method' | 'recommendedMonths' | 'computedMonths' | 'legalMonths' | 'capped'>,
): IntervalRecommendation {
  if (computed === null) return { method, recommendedMonths: null, computedMonths: null, legalMonths: legal, capped: false, ...parts };
  let months = Math.max(1, computed.floor().toNumber());
  const reasoning = [...parts.reasoning, `the computed ${computed.toSignificantDigits(6).toString()} months is rounded down to ${months}`];
  let capped = false;
  if (legal !== null && months > legal) {
    months = legal;
    capped = true;
    reasoning.push(`capped at the legal interval of ${legal} months: a mandatory instrument's interval may be shortened, never lengthened`);
  }
  return { method, recommendedMonths: months, computedMonths: computed, legalMonths: legal, capped, ...parts, reasoning };
}

export interface StaircaseOptions {
  readonly initialMonths: Decimal;
  /** Extension factor a (default 0.10). */
  readonly extension?: Decimal;
  /** Reliability target R (default 0.90, JJF 1139). */
  readonly reliabilityTarget?: Decimal;
  /** Extend only when found within this fraction of the MPE (default 0.8, ILAC-G24). */
  readonly guard?: Decimal;
  readonly legalMonths: number | null;
}

/** b = 1 − (1 + a)^(−R/(1−R)): the shortening factor that balances extension a at reliability R. */
export function balancedShortening(a: Decimal, r: Decimal): Decimal {
  return ONE.minus(ONE.plus(a).pow(r.div(ONE.minus(r)).neg()));
}

function checkTarget(r: Decimal, path: string): void {
  if (!r.greaterThan(0) || !r.lessThan(1)) fail('INVALID_FIELD', path, `a reliability target is a probability strictly between 0 and 1, got ${r.toString()}`);
}

export function staircase(observations: readonly Observation[], opts: StaircaseOptions): IntervalRecommendation {
  const a = opts.extension ?? new Decimal('0.10');
  const r = opts.reliabilityTarget ?? new Decimal('0.90');
  const guard = opts.guard ?? new Decimal('0.8');
  checkTarget(r, '?reliability');
  if (!a.greaterThan(0)) fail('INVALID_FIELD', '?extension', 'the extension factor a is greater than zero');
  if (!opts.initialMonths.greaterThan(0)) fail('INVALID_FIELD', '?initial', 'the initial interval is a positive number of months');
  const b = balancedShortening(a, r);
  const reasoning = [
    `start from ${opts.initialMonths.toString()} months`,
    `extend ×(1 + ${a.toString()}) when found within ${guard.times(100).toString()} % of the MPE, keep when in tolerance beyond that, shorten ×(1 − b) when out of tolerance`,
    `b = 1 − (1 + a)^(−R/(1−R)) = ${b.toSignificantDigits(6).toString()} for R = ${r.toString()}`,
  ];
  let months = opts.initialMonths;
  const steps: Array<{ recordId: string; result: string; months: Decimal }> = [];
  for (const o of observations) {
    let result: string;
    if (!o.inTolerance) {
      months = months.times(ONE.minus(b));
      result = 'out of tolerance: shortened';
    } else if (o.fractionOfMpe?.lessThanOrEqualTo(guard)) {
      months = months.times(ONE.plus(a));
      result = `in tolerance at ${o.fractionOfMpe.times(100).toSignificantDigits(3).toString()} % of MPE: extended`;
    } else {
      result =
        o.fractionOfMpe === null
          ? 'in tolerance, no as-found data to compare with the MPE: kept'
          : `in tolerance at ${o.fractionOfMpe.times(100).toSignificantDigits(3).toString()} % of MPE: kept`;
    }
    steps.push({ recordId: o.recordId, result, months });
  }
  if (observations.length === 0) reasoning.push('no result on record: the initial interval stands');
  return finish('staircase', months, opts.legalMonths, {
    parameters: { initialMonths: opts.initialMonths, extension: a, shortening: b, reliabilityTarget: r, guard },
    steps,
    reasoning,
  });
}

export interface ReliabilityOptions {
  readonly reliabilityTarget?: Decimal;
  readonly legalMonths: number | null;
}

/** d/dλ of the exponential log-likelihood of the observations. */
function score(lambda: Decimal, obs: ReadonlyArray<{ t: Decimal; ok: boolean }>): Decimal {
  let s = ZERO;
  for (const o of obs) {
    if (o.ok) s = s.minus(o.t);
    else {
      const e = lambda.times(o.t).neg().exp();
      s = s.plus(o.t.times(e).div(ONE.minus(e)));
    }
  }
  return s;
}

export function reliabilityTarget(observations: readonly Observation[], opts: ReliabilityOptions): IntervalRecommendation {
  const target = opts.reliabilityTarget ?? new Decimal('0.90');
  checkTarget(target, '?reliability');
  const obs = observations.filter((o) => o.elapsedDays !== null && o.elapsedDays > 0).map((o) => ({ t: new Decimal(o.elapsedDays!), ok: o.inTolerance }));
  const failures = obs.filter((o) => !o.ok).length;
  const total = obs.reduce((s, o) => s.plus(o.t), ZERO);
  const parameters: Record<string, Decimal | number | string> = {
    reliabilityTarget: target,
    observations: obs.length,
    outOfTolerance: failures,
    totalDays: total,
  };
  const reasoning = [
    `model: the probability of staying in tolerance t days after a verification is exp(−λt); target R = ${target.toString()}`,
    `${obs.length} observed intervals, ${failures} ended out of tolerance, ${total.toString()} days in all`,
  ];
  if (obs.length < MIN_OBSERVATIONS) {
    return finish('reliability_target', null, opts.legalMonths, {
      parameters,
      steps: [],
      reasoning: [...reasoning, `at least ${MIN_OBSERVATIONS} observed intervals are needed for an estimate; keep the current interval`],
    });
  }
  if (failures === obs.length) {
    return finish('reliability_target', null, opts.legalMonths, {
      parameters,
      steps: [],
      reasoning: [
        ...reasoning,
        'every interval ended out of tolerance: no interval in the data meets the target; shorten it drastically and review the instrument',
      ],
    });
  }
  let lambda: Decimal;
  if (failures === 0) {
    lambda = ZERO_FAILURE_BOUND.div(total);
    reasoning.push(
      `no interval ended out of tolerance, so λ is taken at its one-sided 95 % upper bound −ln(0.05)/Σt = ${lambda.toSignificantDigits(6).toString()} per day`,
    );
  } else {
    // score(λ) decreases from +∞ to −Σ t(in tolerance): bisect on a bracket found by doubling
    let lo = ZERO_FAILURE_BOUND.div(total).div(1e6);
    let hi = lo;
    while (score(hi, obs).greaterThan(0)) hi = hi.times(2);
    while (score(lo, obs).lessThan(0)) lo = lo.div(2);
    for (let i = 0; i < 200 && hi.minus(lo).greaterThan(hi.times('1e-30')); i++) {
      const mid = lo.plus(hi).div(2);
      if (score(mid, obs).greaterThan(0)) lo = mid;
      else hi = mid;
    }
    lambda = lo.plus(hi).div(2);
    reasoning.push(`maximum-likelihood λ = ${lambda.toSignificantDigits(6).toString()} per day`);
  }
  const days = target.ln().neg().div(lambda);
  reasoning.push(`the interval with R(t) = ${target.toString()} is −ln(R)/λ = ${days.toSignificantDigits(6).toString()} days`);
  parameters['lambdaPerDay'] = lambda;
  return finish('reliability_target', days.div(DAYS_PER_MONTH), opts.legalMonths, { parameters, steps: [], reasoning });
}
