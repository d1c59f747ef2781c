/**
 * The operating characteristic of a single sampling plan (n, Ac): the
 * probability that a lot is accepted, computed exactly as a fraction of whole
 * numbers (BigInt) and rounded once to the working precision.
 *
 * - Binomial (a lot from a process, or a lot large beside the sample), at a
 *   fraction nonconforming p = a/b:
 *   Pa = Σ_{d=0..Ac} C(n,d) p^d (1−p)^(n−d) = Σ C(n,d) a^d (b−a)^(n−d) / b^n.
 * - Hypergeometric (a finite lot of N items of which D are nonconforming):
 *   Pa = Σ_{d=0..Ac} C(D,d) C(N−D, n−d) / C(N,n).
 *
 * Producer's risk at the AQL is 1 − Pa(AQL); consumer's risk at a limiting
 * quality LQ is Pa(LQ).
 */
import { fail } from '../errors.ts';
import { Decimal, ONE } from '../numeric/decimal.ts';

const MAX_N = 1_000_000;

function choose(n: number, k: number): bigint {
  if (k < 0 || k > n) return 0n;
  const kk = Math.min(k, n - k);
  let r = 1n;
  for (let i = 1; i <= kk; i++) r = (r * BigInt(n - kk + i)) / BigInt(i);
  return r;
}

/** A decimal in [0, 1] as a fraction a/b of whole numbers. */
function fraction(p: Decimal, path: string): [bigint, bigint] {
  if (p.isNegative() || p.greaterThan(ONE)) fail('INVALID_FIELD', path, `a fraction nonconforming lies from 0 to 1, got ${p.toString()}`);
  const [num, den] = p.toFraction();
  return [BigInt(num!.toFixed(0)), BigInt(den!.toFixed(0))];
}

function ratio(num: bigint, den: bigint): Decimal {
  return new Decimal(num.toString()).dividedBy(den.toString());
}

function checkPlan(n: number, ac: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_N) fail('INVALID_FIELD', '/sampleSize', `a sample size is a whole number from 1 to ${MAX_N}, got ${String(n)}`);
  if (!Number.isInteger(ac) || ac < 0 || ac >= n)
    fail('INVALID_FIELD', '/acceptance', `an acceptance number is a whole number from 0 to n − 1, got ${String(ac)}`);
}

/** Probability of acceptance, binomial model, at fraction nonconforming p. */
export function acceptanceBinomial(n: number, ac: number, p: Decimal, path = '/p'): Decimal {
  checkPlan(n, ac);
  const [a, b] = fraction(p, path);
  let sum = 0n;
  for (let d = 0; d <= ac; d++) sum += choose(n, d) * a ** BigInt(d) * (b - a) ** BigInt(n - d);
  return ratio(sum, b ** BigInt(n));
}

/** Probability of acceptance, hypergeometric model: a lot of N items holding D nonconforming, a sample of n without replacement. */
export function acceptanceHypergeometric(n: number, ac: number, lotSize: number, defectives: number): Decimal {
  checkPlan(n, ac);
  if (!Number.isInteger(lotSize) || lotSize < n || lotSize > MAX_N)
    fail('INVALID_FIELD', '/lotSize', `the lot must hold at least the ${n} items sampled (and at most ${MAX_N}), got ${String(lotSize)}`);
  if (!Number.isInteger(defectives) || defectives < 0 || defectives > lotSize)
    fail('INVALID_FIELD', '/defectives', `nonconforming items in the lot: a whole number from 0 to ${lotSize}, got ${String(defectives)}`);
  let sum = 0n;
  for (let d = 0; d <= ac; d++) sum += choose(defectives, d) * choose(lotSize - defectives, n - d);
  return ratio(sum, choose(lotSize, n));
}

export interface PlanRisks {
  /** 1 − Pa at the AQL: the chance that a lot exactly at the AQL is not accepted. */
  readonly producersRisk: Decimal;
  /** Pa at the limiting quality: the chance that a lot that bad is accepted; null when no LQ is given. */
  readonly consumersRisk: Decimal | null;
}

/** Producer's and consumer's risk of a plan; AQL and LQ as fractions (0.01 for 1 %). With a lot size, hypergeometric at D = round-down(p × N). */
export function planRisks(n: number, ac: number, aql: Decimal, lq: Decimal | null, lotSize?: number): PlanRisks {
  const pa = (p: Decimal, path: string): Decimal => {
    if (lotSize === undefined) return acceptanceBinomial(n, ac, p, path);
    fraction(p, path);
    return acceptanceHypergeometric(n, ac, lotSize, p.times(lotSize).floor().toNumber());
  };
  return { producersRisk: ONE.minus(pa(aql, '/aql')), consumersRisk: lq === null ? null : pa(lq, '/lq') };
}

export interface OcPoint {
  readonly p: Decimal;
  readonly pa: Decimal;
}

/** The OC curve at `points` + 1 evenly spaced fractions from 0 to pMax (binomial). */
export function ocCurve(n: number, ac: number, pMax: Decimal, points = 50): OcPoint[] {
  if (pMax.lessThanOrEqualTo(0) || pMax.greaterThan(ONE))
    fail('INVALID_FIELD', '/pMax', `the curve's upper end is a fraction in (0, 1], got ${pMax.toString()}`);
  const out: OcPoint[] = [];
  for (let i = 0; i <= points; i++) {
    const p = pMax.times(i).dividedBy(points);
    out.push({ p, pa: acceptanceBinomial(n, ac, p) });
  }
  return out;
}
