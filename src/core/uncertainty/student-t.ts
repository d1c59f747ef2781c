/**
 * Coverage factors from Student's t and the normal distribution, computed in
 * decimal arithmetic (not looked up), so that GUM Table G.2 is reproduced.
 *
 * For an integer ν the probability A(t|ν) = P(−t ≤ T ≤ t) has a finite closed
 * form in θ = atan(t/√ν) (Abramowitz & Stegun 26.7.3–26.7.4); the quantile is
 * found by Newton's method on it, safeguarded by bisection, with the exact
 * density as derivative. For ν > 2000 the Cornish–Fisher expansion of the
 * quantile about the normal one (A&S 26.7.5, four terms) is used; its error is
 * of order ν⁻⁵, far below any printed digit. ν = ∞ gives the normal quantile,
 * from erf by its everywhere-positive series.
 *
 * @see GUM G.3 and Table G.2; JCGM 101 6.4.9
 */
import { fail } from '../errors.ts';
import { Decimal, ONE, PI, PRECISION } from '../numeric/decimal.ts';

const TWO = new Decimal(2);
const SQRT2 = TWO.sqrt();
const SQRT_PI = PI.sqrt();
const TOLERANCE = new Decimal(10).pow(-(PRECISION - 6));
const ASYMPTOTIC_DOF = 2000;

/** Infinite degrees of freedom. */
export const INFINITE_DOF = new Decimal(Infinity);

/** erf(z) = (2/√π)·e^(−z²)·Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)), all terms positive. */
export function erf(z: Decimal): Decimal {
  if (z.isNegative()) return erf(z.neg()).neg();
  if (z.isZero()) return new Decimal(0);
  if (z.greaterThan(9)) return ONE; // 1 − erf(9) < 1e-36
  const z2 = z.times(z);
  let term = z;
  let sum = z;
  for (let n = 1; n < 10000; n++) {
    term = term
      .times(z2)
      .times(2)
      .div(2 * n + 1);
    sum = sum.plus(term);
    if (term.lessThan(sum.times(TOLERANCE).div(1e6))) break;
  }
  return sum.times(2).times(z2.neg().exp()).div(SQRT_PI);
}

/**
 * erfc(z) = 1 − erf(z), without the cancellation of computing it so: for
 * z ≤ 2 from the series above, beyond from Laplace's continued fraction
 *   erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + …)))))
 * evaluated by the modified Lentz method, which converges in a few dozen steps
 * where the series would need hundreds of terms (and whose result keeps its
 * relative precision however small it is: erfc(10) ≈ 2.1e-45).
 * @see A&S 7.1.14; W. H. Press et al., Numerical Recipes, 5.2 (Lentz)
 */
export function erfc(z: Decimal): Decimal {
  if (!z.greaterThan(2)) return ONE.minus(erf(z));
  const tiny = new Decimal('1e-300');
  // f = z + a1/(z + a2/(z + …)) with a_n = n/2
  let f = z;
  let c = z;
  let d = new Decimal(0);
  for (let n = 1; n < 2000; n++) {
    const a = new Decimal(n).div(2);
    d = z.plus(a.times(d));
    if (d.isZero()) d = tiny;
    c = z.plus(a.div(c));
    if (c.isZero()) c = tiny;
    d = ONE.div(d);
    const delta = c.times(d);
    f = f.times(delta);
    if (delta.minus(1).abs().lessThan(TOLERANCE)) break;
  }
  return z.times(z).neg().exp().div(SQRT_PI).div(f);
}

/** P(Z > z) for a standard normal Z, to full relative precision in either tail. */
export function normalUpperTail(z: Decimal): Decimal {
  const half = erfc(z.abs().div(SQRT2)).div(2);
  return z.isNegative() ? ONE.minus(half) : half;
}

/** P(−z ≤ Z ≤ z) for a standard normal Z: the coverage probability of k = z at ν = ∞. */
export function normalCoverage(z: Decimal): Decimal {
  return erf(z.div(SQRT2));
}

/** P(−t ≤ T ≤ t) for Student's t with integer ν (A&S 26.7.3 odd ν, 26.7.4 even ν). */
export function studentCoverage(t: Decimal, nu: number): Decimal {
  if (t.isZero()) return new Decimal(0);
  if (t.isNegative()) t = t.neg();
  const theta = Decimal.atan(t.div(new Decimal(nu).sqrt()));
  const s = theta.sin();
  const c = theta.cos();
  const c2 = c.times(c);
  if (nu % 2 === 1) {
    if (nu === 1) return theta.times(2).div(PI);
    // θ + sinθ·(cosθ + (2/3)cos³θ + … + (2·4…(ν−3))/(1·3…(ν−2))·cos^(ν−2)θ)
    let term = c;
    let sum = c;
    for (let j = 1; j <= (nu - 3) / 2; j++) {
      term = term
        .times(c2)
        .times(2 * j)
        .div(2 * j + 1);
      sum = sum.plus(term);
    }
    return theta.plus(s.times(sum)).times(2).div(PI);
  }
  // sinθ·(1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … + (1·3…(ν−3))/(2·4…(ν−2))·cos^(ν−2)θ)
  let term = ONE;
  let sum = ONE;
  for (let j = 1; j <= (nu - 2) / 2; j++) {
    term = term
      .times(c2)
      .times(2 * j - 1)
      .div(2 * j);
    sum = sum.plus(term);
  }
  return s.times(sum);
}

const densityConstants = new Map<number, Decimal>();

/** Γ((ν+1)/2) / (√(νπ)·Γ(ν/2)) for integer ν, by the recurrence R(ν+2) = R(ν)·(ν+1)/ν. */
function densityConstant(nu: number): Decimal {
  let c = densityConstants.get(nu);
  if (c) return c;
  let r = nu % 2 === 1 ? ONE.div(SQRT_PI) : SQRT_PI.div(2);
  for (let m = nu % 2 === 1 ? 1 : 2; m < nu; m += 2) r = r.times(m + 1).div(m);
  c = r.div(new Decimal(nu).times(PI).sqrt());
  densityConstants.set(nu, c);
  return c;
}

function studentDensity(t: Decimal, nu: number): Decimal {
  const base = ONE.plus(t.times(t).div(nu));
  return densityConstant(nu).div(base.pow(new Decimal(nu + 1).div(2)));
}

function normalDensity(z: Decimal): Decimal {
  return z.times(z).div(-2).exp().div(TWO.times(PI).sqrt());
}

/** Solves coverage(x) = p for x > 0 by Newton's method kept inside a bisection bracket. */
function solve(p: Decimal, coverage: (x: Decimal) => Decimal, slope: (x: Decimal) => Decimal, start: Decimal, upper: Decimal): Decimal {
  let lo = new Decimal(0);
  let hi = upper;
  while (coverage(hi).lessThan(p)) hi = hi.times(4);
  let x = start.greaterThan(lo) && start.lessThan(hi) ? start : lo.plus(hi).div(2);
  for (let i = 0; i < 400; i++) {
    const g = coverage(x).minus(p);
    if (g.isNegative()) lo = x;
    else hi = x;
    let next = x.minus(g.div(slope(x)));
    if (!next.greaterThan(lo) || !next.lessThan(hi)) next = lo.plus(hi).div(2);
    const step = next.minus(x).abs();
    x = next;
    if (step.lessThanOrEqualTo(x.times(TOLERANCE)) || hi.minus(lo).lessThanOrEqualTo(x.times(TOLERANCE))) break;
  }
  return x;
}

function checkProbability(p: Decimal): void {
  if (!p.greaterThan(0) || !p.lessThan(1)) fail('INVALID_COVERAGE', '/coverage/probability', 'a coverage probability lies strictly between 0 and 1');
}

/** The k with P(|Z| ≤ k) = p for a standard normal Z (k = 1.95996… for p = 0.95). */
export function normalQuantile(p: Decimal): Decimal {
  checkProbability(p);
  return solve(p, normalCoverage, (z) => normalDensity(z).times(2), TWO, new Decimal(8));
}

const cache = new Map<string, Decimal>();

/**
 * The coverage factor k = t_p(ν): P(|T_ν| ≤ k) = p. ν is truncated to an integer
 * by the caller (GUM G.4.1); ν = Infinity gives the normal quantile. Results are
 * memoised: a batch of evaluations at one p meets few distinct ν.
 */
export function coverageFactor(p: Decimal, nu: Decimal): Decimal {
  const key = `${p.toString()}|${nu.toString()}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const k = computeCoverageFactor(p, nu);
  if (cache.size > 10000) cache.clear();
  cache.set(key, k);
  return k;
}

function computeCoverageFactor(p: Decimal, nu: Decimal): Decimal {
  checkProbability(p);
  if (!nu.isFinite()) return normalQuantile(p);
  if (!nu.isInteger() || nu.lessThan(1)) fail('INVALID_DOF', '/coverage', `the coverage factor needs whole degrees of freedom ≥ 1, got ${nu.toString()}`);
  const n = nu.toNumber();
  if (n === 1) return PI.times(p).div(2).tan();
  if (n === 2) return p.times(SQRT2).div(ONE.minus(p.times(p)).sqrt());
  const z = normalQuantile(p);
  const approx = cornishFisher(z, nu);
  if (n > ASYMPTOTIC_DOF) return approx;
  return solve(
    p,
    (t) => studentCoverage(t, n),
    (t) => studentDensity(t, n).times(2),
    approx,
    approx.times(2).plus(10),
  );
}

/** t quantile from the normal one: z + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴ (A&S 26.7.5). */
function cornishFisher(z: Decimal, nu: Decimal): Decimal {
  const z2 = z.times(z);
  const z3 = z2.times(z);
  const z5 = z3.times(z2);
  const z7 = z5.times(z2);
  const z9 = z7.times(z2);
  const g1 = z3.plus(z).div(4);
  const g2 = z5.times(5).plus(z3.times(16)).plus(z.times(3)).div(96);
  const g3 = z7.times(3).plus(z5.times(19)).plus(z3.times(17)).minus(z.times(15)).div(384);
  const g4 = z9.times(79).plus(z7.times(776)).plus(z5.times(1482)).minus(z3.times(1920)).minus(z.times(945)).div(92160);
  return z
    .plus(g1.div(nu))
    .plus(g2.div(nu.pow(2)))
    .plus(g3.div(nu.pow(3)))
    .plus(g4.div(nu.pow(4)));
}

/** The coverage probability that a given k gives at ν (ν = ∞: normal). */
export function coverageProbabilityOf(k: Decimal, nu: Decimal): Decimal {
  if (!nu.isFinite()) return normalCoverage(k);
  // Beyond 10⁵ degrees of freedom the t and normal probabilities differ by less than 1e-6.
  if (nu.greaterThan(100000)) return normalCoverage(k);
  return studentCoverage(k, nu.floor().toNumber());
}
