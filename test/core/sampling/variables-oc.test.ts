/**
 * The OC of a variables plan (core/sampling/variables-oc.ts: Guenther's
 * series for the noncentral t, in Decimal) against two independent
 * computations:
 *
 * (1) here, in floats: Pa = P(Z + δ ≥ c·U) = ∫₀^∞ Φ(δ − c·u) f_U(u) du with
 *     U = √(χ²_ν/ν), by composite Simpson over the chi density — a different
 *     algorithm (integration, not a series), with its own Φ (erfc by series
 *     and continued fraction in doubles) and its own normal quantile;
 * (2) figures computed when this test was written with mpmath 1.3.0 (the same
 *     integral by mpmath.quad at 40 digits, Φ⁻¹ from mpmath.erfinv) and
 *     scipy 1.17.1 (scipy.stats.nct.sf, Boost's noncentral t):
 *
 *     from scipy.stats import nct, norm; import math, mpmath; mpmath.mp.dps = 40
 *     def pa(n, k, p):
 *         nu = n - 1; d = mpmath.sqrt(n) * -mpmath.sqrt(2) * mpmath.erfinv(2 * mpmath.mpf(p) - 1); c = mpmath.mpf(k) * mpmath.sqrt(n)
 *         lc = mpmath.log(2) + nu / mpmath.mpf(2) * mpmath.log(nu / mpmath.mpf(2)) - mpmath.loggamma(nu / mpmath.mpf(2))
 *         f = lambda u: mpmath.ncdf(d - c * u) * mpmath.exp(lc + (nu - 1) * mpmath.log(u) - nu * u * u / 2)
 *         return mpmath.quad(f, [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4, mpmath.inf])
 *     nct.sf(float(k) * math.sqrt(n), n - 1, math.sqrt(n) * norm.isf(float(p)))
 *
 * The model, Pa = F'(k√n; n − 1, √n·Φ⁻¹(1 − p)) for the acceptance of Q ≥ k,
 * is the one of Resnikoff & Lieberman's tables behind MIL-STD-414 (as stated
 * at web.ist.utl.pt/~mcasquilho/compute/qc/F.414samplan.php: "F(t0; f, δ) …
 * t0 = k√n and δ = −Φ⁻¹(ω)√n"). No printed table of Pa for a Z1.9 plan was
 * found to compare with.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Decimal } from '../../../src/core/numeric/decimal.ts';
import { noncentralTCdf, normalUpperQuantile, variablesAcceptance, variablesOcCurve, variablesRisks } from '../../../src/core/sampling/variables-oc.ts';
import { Z19_SAMPLE_SIZES, Z19_TABLE_B1 } from '../../../src/core/sampling/z19-tables.ts';

// ---- method (1): floats, integration over the chi distribution ----

/** erfc in doubles: the Taylor series of erf below 3, Laplace's continued fraction (Lentz) above. */
function erfc(x: number): number {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const t = term / (2 * n + 1);
      sum += t;
      if (Math.abs(t) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = 1 / (x + a * d);
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
const upperTail = (z: number): number => erfc(z / Math.SQRT2) / 2;
/** z with P(Z > z) = p, by bisection on the upper tail (no shared code with core's Newton on erf). */
function zOf(p: number): number {
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (upperTail(mid) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
/** ln Γ(x) by Stirling's series after shifting x above 20. */
function lnGamma(x: number): number {
  let shift = 0;
  while (x < 20) {
    shift -= Math.log(x);
    x += 1;
  }
  const x2 = x * x;
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x2 * x2 * x);
}
function integratedPa(n: number, k: number, p: number): number {
  const nu = n - 1;
  const delta = Math.sqrt(n) * zOf(p);
  const c = k * Math.sqrt(n);
  const lc = Math.log(2) + (nu / 2) * Math.log(nu / 2) - lnGamma(nu / 2);
  const density = (u: number): number => (u <= 0 ? 0 : Math.exp(lc + (nu - 1) * Math.log(u) - (nu * u * u) / 2));
  // U has mean ≈ 1 and sd ≈ 1/√(2ν): integrate to 1 + 40 sd (and at least 12), 20,000 Simpson panels
  const top = Math.max(12, 1 + 40 / Math.sqrt(2 * nu));
  const m = 20_000;
  const h = top / m;
  let sum = 0;
  for (let i = 0; i <= m; i++) {
    const u = i * h;
    const w = i === 0 || i === m ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * upperTail(c * u - delta) * density(u);
  }
  return (sum * h) / 3;
}

// ---- the figures of method (2): n, k, p, mpmath (40 digits, 22 shown), scipy nct.sf ----
const REFERENCE: ReadonlyArray<readonly [number, string, string, string, number]> = [
  [3, '0.958', '0.05', '0.8618998916655944813311', 0.8618998916655944],
  [5, '1.24', '0.02', '0.9221283105414956584936', 0.9221283105414958],
  [10, '1.72', '0.01', '0.8978085166036649770781', 0.897808516603665],
  [15, '1.79', '0.01', '0.9081513821326882380139', 0.9081513821326884],
  [15, '1.79', '0.05', '0.4003134982875469780145', 0.400313498287547],
  [25, '1.85', '0.01', '0.9299387225663253239566', 0.9299387225663248],
  [25, '1.85', '0.05', '0.2910875058688764113508', 0.29108750586887727],
  [50, '2.00', '0.004', '0.9958103304815319093672', 0.9958103304815319],
  [100, '2.00', '0.015', '0.8433619794910462615971', 0.8433619794910465],
  [200, '2.42', '0.001', '0.9999986291746014660084', 0.9999986291746015],
  [200, '2.42', '0.03', '0.00004809116855073421263809', 4.8091168550734226e-5],
  // p > ½: δ < 0
  [35, '2.54', '0.6', '9.625906584717001868176e-21', 9.625906677822544e-21],
];

test('Pa agrees with mpmath to all 20 decimal places returned, and with scipy to its double precision', () => {
  for (const [n, k, p, mp, sp] of REFERENCE) {
    const pa = variablesAcceptance(n, new Decimal(k), new Decimal(p));
    const diff = pa.minus(mp).abs();
    assert.ok(diff.lessThanOrEqualTo('5e-21'), `n = ${n}, k = ${k}, p = ${p}: ${pa.toString()} against mpmath ${mp} (difference ${diff.toString()})`);
    assert.ok(Math.abs(pa.toNumber() - sp) < 2e-15, `n = ${n}, k = ${k}, p = ${p}: ${pa.toString()} against scipy ${sp}`);
  }
});

test('Pa agrees with the integration over the chi distribution (floats, method 1) to 1e-9 at plans of Table B-1', () => {
  let compared = 0;
  for (const letter of ['B', 'D', 'F', 'H', 'K', 'M', 'P'] as const) {
    const n = Z19_SAMPLE_SIZES[letter];
    for (const k of Z19_TABLE_B1[letter]!.filter((c) => c !== '↓').slice(0, 3)) {
      for (const p of ['0.001', '0.01', '0.04', '0.15', '0.5', '0.7']) {
        const pa = variablesAcceptance(n, new Decimal(k), new Decimal(p)).toNumber();
        const other = integratedPa(n, Number(k), Number(p));
        assert.ok(Math.abs(pa - other) < 1e-9, `n = ${n}, k = ${k}, p = ${p}: series ${pa}, integral ${other}`);
        compared++;
      }
    }
  }
  assert.ok(compared >= 100, `${compared} points compared`);
});

test('the noncentral t cdf: δ = 0 is Student t; t = 0 is Φ(−δ)', () => {
  // P(T ≤ 2) for ν = 4 (central): ½ + ½·P(|T| ≤ 2) = 0.9419417382415922… (scipy.stats.t.cdf(2, 4) = 0.9419417382415922)
  const f = noncentralTCdf(new Decimal(2), 4, new Decimal(0));
  assert.ok(f.minus('0.9419417382415922').abs().lessThan('1e-15'), f.toString());
  // ν = 2 has a closed form: P(T ≤ t) = ½ + t / (2√(t² + 2))
  const t = new Decimal(3);
  const exact = new Decimal('0.5').plus(t.div(t.times(t).plus(2).sqrt().times(2)));
  assert.ok(noncentralTCdf(t, 2, new Decimal(0)).minus(exact).abs().lessThan('1e-30'));
  // t = 0: Φ(−δ)
  assert.ok(noncentralTCdf(new Decimal(0), 9, new Decimal(1)).minus('0.1586552539314570514147674').abs().lessThan('1e-24'));
});

test('the normal upper quantile', () => {
  assert.ok(normalUpperQuantile(new Decimal('0.025')).minus('1.959963984540054').abs().lessThan('1e-15'));
  assert.ok(normalUpperQuantile(new Decimal('0.975')).plus('1.959963984540054').abs().lessThan('1e-15'));
  assert.is(normalUpperQuantile(new Decimal('0.5')).toString(), '0');
});

test('the curve runs from 1 at p = 0 and falls; the risks are 1 − Pa(AQL) and Pa(LQ)', () => {
  const k = new Decimal('1.85');
  const curve = variablesOcCurve(25, k, new Decimal('0.1'), 10);
  assert.is(curve.length, 11);
  assert.is(curve[0]!.pa.toString(), '1');
  for (let i = 1; i < curve.length; i++) assert.ok(curve[i]!.pa.lessThan(curve[i - 1]!.pa), `falls at ${curve[i]!.p.toString()}`);
  const r = variablesRisks(25, k, new Decimal('0.01'), new Decimal('0.05'));
  assert.ok(r.producersRisk.minus(new Decimal(1).minus('0.9299387225663253239566')).abs().lessThan('1e-20'));
  assert.ok(r.consumersRisk!.minus('0.2910875058688764113508').abs().lessThan('1e-20'));
  assert.is(variablesAcceptance(25, k, new Decimal(1)).toString(), '0');
});

test('bad input is refused with the field at fault', () => {
  for (const [f, path] of [
    [() => variablesAcceptance(2, new Decimal(1), new Decimal('0.1')), '/sampleSize'],
    [() => variablesAcceptance(10, new Decimal(-1), new Decimal('0.1')), '/k'],
    [() => variablesAcceptance(10, new Decimal(1), new Decimal('1.1')), '/p'],
    [() => variablesOcCurve(10, new Decimal(1), new Decimal(0)), '/pMax'],
  ] as const) {
    try {
      f();
      assert.unreachable();
    } catch (e) {
      assert.is((e as { path?: string }).path, path);
    }
  }
});

test.run();
