/**
 * The operating characteristic of a variables plan (the s method, n and k;
 * variables.ts), computed in Decimal.
 *
 * Model: the errors are normal, N(μ, σ), and a fraction p lies beyond one
 * specification limit U, so (U − μ)/σ = z_p = Φ⁻¹(1 − p). The plan accepts on
 * that limit when Q_U = (U − x̄)/s ≥ k. Since √n(U − x̄)/σ ~ N(√n·z_p, 1) and
 * s/σ ~ χ_ν/√ν independently (ν = n − 1), √n·Q_U is a noncentral t variable T'
 * with ν degrees of freedom and noncentrality δ = √n·z_p, and
 *
 *   Pa(p) = P(T' ≥ k√n) = 1 − F(k√n; ν, δ).
 *
 * This is the OC of ONE limit. metrotrace controls the two limits ±MPE
 * separately (each Q against the same k, variables.ts): for a lot whose
 * nonconforming fraction p lies beyond one limit (the other far away) this is
 * its OC; with fractions beyond both limits the probability of acceptance is
 * lower (both Q must pass), so the curve is an upper bound there. It also
 * leaves out metrotrace's own rule that a sampled meter outside ±MPE rejects
 * the lot whatever Q says, which lowers Pa a little more (by at most
 * 1 − (1 − p)ⁿ). Every caller states the model.
 *
 * F(t; ν, δ) for t ≥ 0, by Guenther's series (the one of AS 243, Lenth 1989):
 *
 *   F = Φ(−δ) + ½ Σ_{j≥0} [ P_j · I_x(j + ½, ν/2) + Q_j · I_x(j + 1, ν/2) ],
 *   x = t²/(t² + ν),  λ = δ²/2,  P_j = e^{−λ} λ^j / j!,
 *   Q_j = (δ/√2) e^{−λ} λ^j / Γ(j + 3/2),
 *
 * with I the regularised incomplete beta function, stepped in its first
 * argument by I_x(a + 1, b) = I_x(a, b) − Γ(a + b)/(Γ(a + 1)Γ(b)) x^a (1 − x)^b
 * from I_x(½, ν/2) = P(|T_ν| ≤ t) (Student's t in closed form,
 * student-t.ts) and I_x(1, ν/2) = 1 − (1 − x)^{ν/2}.
 *
 * Precision. Every term is summed in Decimal at 40 digits (e^{−λ} neither
 * underflows nor needs a start at the mode, as it would in floats: AS 243 is
 * limited to |δ| ≤ 37.62 there). Since 0 ≤ I ≤ 1 and, by Gautschi's
 * inequality, |Q_j| ≤ |δ|·P_j, the terms left after J add at most
 * ½(1 + |δ|)(1 − Σ_{j≤J} P_j); summing stops when that bound is below 10⁻²⁶.
 * The rounding of a few thousand 40-digit operations adds less than 10⁻³⁰,
 * and z_p is solved to 34 digits; Pa is returned rounded to 20 decimal places,
 * all of which are right (the test checks it against an independent
 * integration over the chi distribution and figures from scipy and mpmath).
 *
 * @see R. V. Lenth (1989), Algorithm AS 243: Cumulative distribution function
 *   of the non-central t distribution, Applied Statistics 38(1), 185–189;
 *   W. C. Guenther (1978), Evaluation of probabilities for the noncentral
 *   distributions and the difference of two t-variables with a desk
 *   calculator, J. Statist. Comput. Simul. 6, 199–206.
 */
import { fail } from '../errors.ts';
import { Decimal, ONE, PI, ZERO } from '../numeric/decimal.ts';
import { normalQuantile, normalUpperTail, studentCoverage } from '../uncertainty/student-t.ts';

/** The model of the figures, in words, for whoever prints them. */
export const VARIABLES_OC_MODEL =
  'normal model, one limit: Pa = P(T′ ≥ k√n), noncentral t with ν = n − 1, δ = √n·z(p); each limit of ±MPE controlled on its own';

/** The truncation bound of the series. */
const TRUNCATION = new Decimal('1e-26');
/** Decimal places Pa is returned to. */
export const PA_DECIMAL_PLACES = 20;
const MAX_N = 10_000;
const HALF = new Decimal('0.5');
const SQRT_2_OVER_PI = new Decimal(2).div(PI).sqrt();

/** z with P(Z > z) = p for a standard normal Z, 0 < p < 1. */
export function normalUpperQuantile(p: Decimal): Decimal {
  if (p.equals(HALF)) return ZERO;
  // normalQuantile(c) solves P(|Z| ≤ z) = c
  return p.lessThan(HALF) ? normalQuantile(ONE.minus(p.times(2))) : normalQuantile(p.times(2).minus(1)).neg();
}

/** Γ(b + ½)/Γ(b) for b = ν/2, by Γ(b + 3/2)/Γ(b + 1) = Γ(b + ½)/Γ(b) · (b + ½)/b from b = ½ or 1. */
function gammaRatioHalf(nu: number): Decimal {
  let b = nu % 2 === 1 ? HALF : ONE;
  let r = nu % 2 === 1 ? ONE.div(PI.sqrt()) : PI.sqrt().div(2);
  while (b.times(2).lessThan(nu)) {
    r = r.times(b.plus(HALF)).div(b);
    b = b.plus(1);
  }
  return r;
}

/** F(t; ν, δ) = P(T' ≤ t) for the noncentral t with integer ν ≥ 1, at t ≥ 0 (see the module comment). */
export function noncentralTCdf(t: Decimal, nu: number, delta: Decimal): Decimal {
  if (!Number.isInteger(nu) || nu < 1) fail('INVALID_FIELD', '/sampleSize', `degrees of freedom are a whole number ≥ 1, got ${String(nu)}`);
  if (t.isNegative()) fail('INVALID_FIELD', '/k', `the series is used for t ≥ 0, got ${t.toString()}`);
  const phiMinusDelta = normalUpperTail(delta);
  if (t.isZero()) return phiMinusDelta;
  const t2 = t.times(t);
  const x = t2.div(t2.plus(nu));
  const y = new Decimal(nu).div(t2.plus(nu));
  const b = new Decimal(nu).div(2);
  const yb = y.pow(b);
  const lambda = delta.times(delta).div(2);
  const absDelta = delta.abs();

  let iHalf = studentCoverage(t, nu); // I_x(j + ½, b)
  let iWhole = ONE.minus(yb); // I_x(j + 1, b)
  // Γ(a + b)/(Γ(a + 1)Γ(b)) x^a (1 − x)^b at a = ½ (Γ(3/2) = √π/2) and at a = 1
  let gHalf = gammaRatioHalf(nu).times(2).div(PI.sqrt()).times(x.sqrt()).times(yb);
  let gWhole = b.times(x).times(yb);
  const e = lambda.neg().exp();
  let pj = e;
  let qj = delta.times(e).times(SQRT_2_OVER_PI);
  let sum = ZERO;
  let pSum = ZERO;
  for (let j = 0; ; j++) {
    sum = sum.plus(pj.times(iHalf)).plus(qj.times(iWhole));
    pSum = pSum.plus(pj);
    if (ONE.minus(pSum).times(absDelta.plus(1)).div(2).lessThan(TRUNCATION)) break;
    if (j > 1_000_000) fail('NOT_APPLICABLE', '/p', `the noncentral t series did not converge for δ = ${delta.toString()}`);
    const aHalf = HALF.plus(j);
    const aWhole = new Decimal(j + 1);
    iHalf = iHalf.minus(gHalf);
    gHalf = gHalf.times(x).times(aHalf.plus(b)).div(aHalf.plus(1));
    iWhole = iWhole.minus(gWhole);
    gWhole = gWhole.times(x).times(aWhole.plus(b)).div(aWhole.plus(1));
    pj = pj.times(lambda).div(j + 1);
    qj = qj.times(lambda).div(aHalf.plus(1));
  }
  return phiMinusDelta.plus(sum.div(2));
}

function checkPlan(n: number, k: Decimal): void {
  if (!Number.isInteger(n) || n < 3 || n > MAX_N) fail('INVALID_FIELD', '/sampleSize', `a variables sample measures 3 to ${MAX_N} meters, got ${String(n)}`);
  if (k.isNegative()) fail('INVALID_FIELD', '/k', `the acceptability constant k is not negative, got ${k.toString()}`);
}

/**
 * Pa of a variables plan (n, k) on one limit, at a process fraction p beyond
 * it (a fraction, 0.01 for 1 %): P(T' ≥ k√n), T' noncentral t with ν = n − 1,
 * δ = √n·Φ⁻¹(1 − p). Rounded to 20 decimal places.
 */
export function variablesAcceptance(n: number, k: Decimal, p: Decimal, path = '/p'): Decimal {
  checkPlan(n, k);
  if (p.isNegative() || p.greaterThan(ONE)) fail('INVALID_FIELD', path, `a fraction nonconforming lies from 0 to 1, got ${p.toString()}`);
  if (p.isZero()) return ONE;
  if (p.equals(ONE)) return ZERO;
  const key = `${n}|${k.toString()}|${p.toString()}`;
  const known = cache.get(key);
  if (known) return known;
  const rootN = new Decimal(n).sqrt();
  const delta = normalUpperQuantile(p).times(rootN);
  const pa = Decimal.max(ZERO, Decimal.min(ONE, ONE.minus(noncentralTCdf(k.times(rootN), n - 1, delta)))).toDecimalPlaces(
    PA_DECIMAL_PLACES,
    Decimal.ROUND_HALF_EVEN,
  );
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, pa);
  return pa;
}

/**
 * Results memoised (a pure function of n, k and p): a point costs some 20 to
 * 80 ms in Decimal, and a plan's curve is drawn again with the same points
 * each time its chart is asked for.
 */
const cache = new Map<string, Decimal>();
const CACHE_SIZE = 20_000;

/** Producer's risk 1 − Pa(AQL) and consumer's risk Pa(LQ) of a variables plan, one limit (fractions). */
export function variablesRisks(n: number, k: Decimal, aql: Decimal, lq: Decimal | null): { producersRisk: Decimal; consumersRisk: Decimal | null } {
  return { producersRisk: ONE.minus(variablesAcceptance(n, k, aql, '/aql')), consumersRisk: lq === null ? null : variablesAcceptance(n, k, lq, '/lq') };
}

/** The OC curve of a variables plan at `points` + 1 evenly spaced fractions from 0 to pMax. */
export function variablesOcCurve(n: number, k: Decimal, pMax: Decimal, points = 50): Array<{ p: Decimal; pa: Decimal }> {
  if (pMax.lessThanOrEqualTo(0) || pMax.greaterThan(ONE))
    fail('INVALID_FIELD', '/pMax', `the curve's upper end is a fraction in (0, 1], got ${pMax.toString()}`);
  const out: Array<{ p: Decimal; pa: Decimal }> = [];
  for (let i = 0; i <= points; i++) {
    const p = pMax.times(i).dividedBy(points);
    out.push({ p, pa: variablesAcceptance(n, k, p) });
  }
  return out;
}
