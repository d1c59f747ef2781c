/**
 * Decision rules for statements of conformity (ILAC G8:2019, JCGM 106:2012),
 * applied per measured point, with the specific risk of the decision as an
 * exact decimal.
 *
 * A point is a measured value x with standard uncertainty u (expanded U = k·u)
 * and the tolerance [TL, TU] it must lie in (either limit may be open). The
 * probability that the true value lies outside the tolerance, given the
 * measurement, is computed from a normal distribution, or Student's t with ν
 * degrees of freedom when ν is finite (JCGM 106 §7):
 *   P_out = F((TL − x)/u) + 1 − F((TU − x)/u).
 * Rules:
 * - simple: accept inside the tolerance (w = 0, ILAC G8 §4.2.1, shared risk);
 * - guard band w = U, or w = r·U: accept only inside [TL + w, TU − w] (G8
 *   §4.2.2). The non-binary statement (G8 §4.2.3) names a value in the
 *   tolerance but in the guard band a conditional pass and one outside the
 *   tolerance by less than w a conditional fail; neither is accepted, because
 *   the rule's whole point is that a value in the guard band is not;
 * - max PFA α: accept only when the specific false-accept probability ≤ α
 *   (JCGM 106 §9.5). Its acceptance limits are where that probability equals
 *   α: TU − z·u and TL + z·u, z the one-sided (1 − α) quantile, moved inwards
 *   when the far tail also counts (a tolerance only a few u wide). A value in
 *   the tolerance but outside them is a conditional pass, not accepted.
 * An accepted point carries its specific probability of false accept; any
 * other its specific probability of false reject.
 */
import { fail } from '../errors.ts';
import { type Decimal, ONE, ZERO } from '../numeric/decimal.ts';
import { coverageFactor, normalUpperTail, studentCoverage } from '../uncertainty/student-t.ts';

export type DecisionRule =
  | { readonly kind: 'simple' }
  | { readonly kind: 'guard_band'; readonly r: Decimal }
  | { readonly kind: 'max_pfa'; readonly pfa: Decimal };

export const DECISIONS = ['pass', 'conditional_pass', 'conditional_fail', 'fail'] as const;
export type Decision = (typeof DECISIONS)[number];

export interface Tolerance {
  readonly lower: Decimal | null;
  readonly upper: Decimal | null;
}

export interface PointMeasurement {
  readonly value: Decimal;
  /** Standard uncertainty u. */
  readonly u: Decimal;
  /** Coverage factor of the reported expanded uncertainty U = k·u. */
  readonly k: Decimal;
  /** Degrees of freedom; Infinity for a normal distribution. */
  readonly nu: Decimal;
}

export interface PointDecision {
  readonly decision: Decision;
  /** True only for pass: a conditional pass (in the guard band) is not accepted. */
  readonly accepted: boolean;
  /** The interval in which a value is accepted under the rule; null when no value can be. */
  readonly acceptance: Tolerance | null;
  /** Probability that the true value lies in the tolerance, given the measurement. */
  readonly probabilityConforming: Decimal;
  readonly specificRisk: { readonly kind: 'false_accept' | 'false_reject'; readonly probability: Decimal };
}

/**
 * P(E > z) for the standardised measurement error E: normal, or Student's t
 * with ν degrees of freedom. Tails are computed as tails (erfc), so a risk of
 * 1e-20 keeps its digits instead of being 1 − (1 − 1e-20).
 */
function upperTail(z: Decimal, nu: Decimal): Decimal {
  if (nu.isFinite()) {
    if (!nu.isInteger()) fail('INVALID_DOF', '/nu', 'degrees of freedom for a decision rule are a whole number or "inf"');
    const outside = ONE.minus(studentCoverage(z.abs(), nu.toNumber())).div(2);
    return z.isNegative() ? ONE.minus(outside) : outside;
  }
  return normalUpperTail(z);
}

/** The words a certificate states for a rule. */
export function ruleStatement(rule: DecisionRule): string {
  switch (rule.kind) {
    case 'simple':
      return 'simple acceptance, w = 0 (ILAC G8:2019 4.2.1): conformity is decided on the measured value; the risk of a false decision is shared';
    case 'guard_band':
      return rule.r.equals(1)
        ? 'guard band w = U (ILAC G8:2019 4.2.2): accepted inside the tolerance reduced by the expanded uncertainty on each side'
        : `guard band w = ${rule.r.toString()}·U (ILAC G8:2019 4.2.2)`;
    case 'max_pfa':
      return `accepted only when the specific probability of false accept is at most ${rule.pfa.toString()} (JCGM 106:2012 9.5)`;
  }
}

export function checkRule(rule: DecisionRule, path: string): void {
  if (rule.kind === 'guard_band' && (rule.r.isNegative() || rule.r.greaterThan(10)))
    fail('INVALID_FIELD', `${path}/r`, 'a guard-band multiplier r lies between 0 and 10');
  if (rule.kind === 'max_pfa' && (!rule.pfa.greaterThan(0) || !rule.pfa.lessThan('0.5')))
    fail('INVALID_FIELD', `${path}/pfa`, 'a maximum probability of false accept lies strictly between 0 and 0.5 (at 0.5 or more, a coin toss would do)');
}

/** P(true value outside the tolerance | measured x, u, ν). */
function probabilityOutside(tolerance: Tolerance, x: Decimal, u: Decimal, nu: Decimal): Decimal {
  const below = tolerance.lower ? upperTail(x.minus(tolerance.lower).div(u), nu) : ZERO;
  const above = tolerance.upper ? upperTail(tolerance.upper.minus(x).div(u), nu) : ZERO;
  return below.plus(above);
}

function within(t: Tolerance, x: Decimal): boolean {
  return (!t.lower || x.greaterThanOrEqualTo(t.lower)) && (!t.upper || x.lessThanOrEqualTo(t.upper));
}

/**
 * The acceptance limits of the max-PFA rule: the values at which the specific
 * probability of false accept equals α (see the module note); null when no
 * value can be accepted (even at the middle of the tolerance P_out exceeds α).
 */
export function maxPfaLimits(tolerance: Tolerance, alpha: Decimal, u: Decimal, nu: Decimal): Tolerance | null {
  // a batch of points usually shares its tolerance, rule and uncertainty: solve each once
  const key = `${tolerance.lower?.toString()}|${tolerance.upper?.toString()}|${alpha.toString()}|${u.toString()}|${nu.toString()}`;
  if (limitCache.has(key)) return limitCache.get(key)!;
  const limits = solveMaxPfaLimits(tolerance, alpha, u, nu);
  if (limitCache.size > 1000) limitCache.clear();
  limitCache.set(key, limits);
  return limits;
}

const limitCache = new Map<string, Tolerance | null>();

function solveMaxPfaLimits(tolerance: Tolerance, alpha: Decimal, u: Decimal, nu: Decimal): Tolerance | null {
  // one-sided (1 − α) quantile = the two-sided coverage factor at p = 1 − 2α
  const z = coverageFactor(ONE.minus(alpha.times(2)), nu);
  const lower = tolerance.lower?.plus(z.times(u)) ?? null;
  const upper = tolerance.upper?.minus(z.times(u)) ?? null;
  if (!lower || !upper) return { lower, upper };
  const middle = tolerance.lower!.plus(tolerance.upper!).div(2);
  const pOut = (x: Decimal) => probabilityOutside(tolerance, x, u, nu);
  if (pOut(middle).greaterThan(alpha)) return null;
  // The far tail adds to P_out; where it adds more than α·1e-9 the limit moves inwards
  // until P_out = α (bisection to 1e-9·u). Usually the far tail is negligible and the
  // one-sided limit stands.
  const slack = alpha.times('1e-9');
  const refine = (limit: Decimal): Decimal => {
    if (!pOut(limit).minus(alpha).greaterThan(slack)) return limit;
    let inner = middle;
    let outer = limit;
    const eps = u.times('1e-9');
    while (outer.minus(inner).abs().greaterThan(eps)) {
      const mid = inner.plus(outer).div(2);
      if (pOut(mid).greaterThan(alpha)) outer = mid;
      else inner = mid;
    }
    return inner;
  };
  return { lower: lower.greaterThan(middle) ? middle : refine(lower), upper: upper.lessThan(middle) ? middle : refine(upper) };
}

export function decide(rule: DecisionRule, tolerance: Tolerance, m: PointMeasurement): PointDecision {
  if (!m.u.greaterThan(0)) fail('NEGATIVE_UNCERTAINTY', '/u', 'a conformity decision with risk needs a standard uncertainty greater than zero');
  if (tolerance.lower && tolerance.upper && tolerance.lower.greaterThan(tolerance.upper))
    fail('INVALID_RANGE', '/tolerance', 'the lower tolerance limit lies above the upper one');
  const pOut = probabilityOutside(tolerance, m.value, m.u, m.nu);
  const inside = within(tolerance, m.value);
  const U = m.u.times(m.k);
  let decision: Decision;
  let acceptance: Tolerance | null = tolerance;
  switch (rule.kind) {
    case 'simple':
      decision = inside ? 'pass' : 'fail';
      break;
    case 'guard_band': {
      const w = U.times(rule.r);
      acceptance = { lower: tolerance.lower?.plus(w) ?? null, upper: tolerance.upper?.minus(w) ?? null };
      const nearOutside = within({ lower: tolerance.lower?.minus(w) ?? null, upper: tolerance.upper?.plus(w) ?? null }, m.value);
      const zone = acceptance;
      decision = within(zone, m.value) ? 'pass' : inside ? 'conditional_pass' : nearOutside && w.greaterThan(0) ? 'conditional_fail' : 'fail';
      break;
    }
    case 'max_pfa':
      acceptance = maxPfaLimits(tolerance, rule.pfa, m.u, m.nu);
      decision = pOut.lessThanOrEqualTo(rule.pfa) ? 'pass' : inside ? 'conditional_pass' : 'fail';
      break;
  }
  const accepted = decision === 'pass';
  return {
    decision,
    accepted,
    acceptance,
    probabilityConforming: ONE.minus(pOut),
    specificRisk: accepted ? { kind: 'false_accept', probability: pOut } : { kind: 'false_reject', probability: ONE.minus(pOut) },
  };
}
