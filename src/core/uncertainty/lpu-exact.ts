/**
 * The law of propagation of uncertainty for one output and independent inputs,
 * on the exact kernel: the same steps as evaluateOutput in lpu.ts, in the same
 * order and rounded at the same places, so every digit is the same — at a
 * fraction of the cost (no Decimal objects; one BigInt square root instead of
 * decimal.js's). It is the fast path of a batch; whatever it does not cover
 * (several outputs, correlations, a value out of range, a division by zero)
 * makes it return null, and the caller takes lpu.ts, which is the reference
 * and gives the error where there is one. A test compares the two on random
 * models and inputs, text for text.
 *
 * @see lpu.ts; GUM 5.1.2, G.4.1, 7.2.6
 */
import type { ExactModel } from '../model/compile-exact.ts';
import { Decimal, PRECISION } from '../numeric/decimal.ts';
import * as X from '../numeric/exact.ts';
import { coverageFactor, coverageProbabilityOf } from './student-t.ts';

export interface ExactInput {
  readonly name: string;
  readonly value: X.Exact;
  readonly u: X.Exact;
  /** νᵢ; null when infinite. */
  readonly dof: X.Exact | null;
  readonly unit: string | null;
}

export type ExactCoverage = { readonly kind: 'probability'; readonly text: string } | { readonly kind: 'k'; readonly text: string };

export interface ExactBudgetRow {
  readonly input: ExactInput;
  readonly sensitivity: X.Exact;
  readonly contribution: X.Exact;
  readonly share: X.Exact;
}

export interface ExactOutput {
  readonly name: string;
  readonly value: X.Exact;
  readonly standardUncertainty: X.Exact;
  /** null when infinite. */
  readonly effectiveDof: X.Exact | null;
  readonly coverageFactor: X.Exact;
  readonly coverageProbability: X.Exact;
  readonly expandedUncertainty: X.Exact;
  readonly interval: readonly [X.Exact, X.Exact];
  readonly unit: string | null;
  readonly budget: readonly ExactBudgetRow[];
  readonly reported: string;
}

/** As lpu.ts: a value beyond this decimal exponent is refused (there, with an error). */
const MAX_EXPONENT = 1000;

interface Coverage {
  readonly k: X.Exact;
  readonly p: X.Exact;
  readonly kText: string;
  readonly percent: string;
}

/** Coverage factors (or probabilities) by (coverage, ⌊ν⌋): a batch meets few distinct ones. */
const coverages = new Map<string, Coverage>();

function coverageAt(coverage: ExactCoverage, truncated: X.Exact | null): Coverage {
  const nuText = truncated ? X.exactText(truncated) : 'inf';
  const key = `${coverage.kind}|${coverage.text}|${nuText}`;
  let hit = coverages.get(key);
  if (hit) return hit;
  const nu = truncated ? new Decimal(nuText) : new Decimal(Infinity);
  let k: Decimal;
  let p: Decimal;
  if (coverage.kind === 'probability') {
    p = new Decimal(coverage.text);
    k = coverageFactor(p, nu);
  } else {
    k = new Decimal(coverage.text);
    p = coverageProbabilityOf(k, nu);
  }
  // as reportedStatement writes them
  const percent = coverage.kind === 'probability' ? p.times(100) : p.times(100).toSignificantDigits(2);
  hit = { k: X.fromDecimal(k), p: X.fromDecimal(p), kText: k.toSignificantDigits(3).toString(), percent: percent.toString() };
  if (coverages.size > 10000) coverages.clear();
  coverages.set(key, hit);
  return hit;
}

/** ν_eff as effectiveDof computes it for independent inputs (null: infinite), from the squared contributions (cᵢu(xᵢ))². */
function effectiveDof(squares: readonly X.Exact[], dofs: ReadonlyArray<X.Exact | null>, variance: X.Exact): X.Exact | null {
  if (X.isZero(variance)) return null;
  let denominator = X.EXACT_ZERO;
  for (let i = 0; i < squares.length; i++) {
    const dof = dofs[i];
    if (!dof) continue;
    const v = squares[i]!;
    denominator = X.add(denominator, X.div(X.mul(v, v), dof));
  }
  return X.isZero(denominator) ? null : X.div(X.mul(variance, variance), denominator);
}

/**
 * Evaluates one output by the LPU on the exact kernel.
 * @returns null where lpu.ts must decide (a value beyond ±1e1000, a division by zero, …)
 */
export function evaluateLpuExact(
  name: string,
  model: ExactModel,
  unit: string | null,
  inputs: readonly ExactInput[],
  coverage: ExactCoverage,
): ExactOutput | null {
  try {
    return evaluate(name, model, unit, inputs, coverage);
  } catch (e) {
    if (e instanceof X.ExactUnsupported) return null;
    throw e;
  }
}

function evaluate(name: string, model: ExactModel, unit: string | null, inputs: readonly ExactInput[], coverage: ExactCoverage): ExactOutput | null {
  const x = inputs.map((q) => q.value);
  const value = model.value(x);
  if (!X.isZero(value) && Math.abs(X.magnitude(value)) > MAX_EXPONENT) return null;
  // an unrounded constant longer than the precision: the report's rounding assumes no more digits
  if (X.coefficientDigits(value) > PRECISION) return null;
  const sensitivities = model.sensitivities(x);
  // each product cᵢu(xᵢ) and its square is worked out once: the budget, u_c and
  // ν_eff use the same values lpu.ts computes for each of them
  const products: Array<X.Exact | null> = new Array(sensitivities.length).fill(null);
  const squares: Array<X.Exact | null> = new Array(sensitivities.length).fill(null);
  const contributing: X.Exact[] = [];
  const dofs: Array<X.Exact | null> = [];
  for (let i = 0; i < sensitivities.length; i++) {
    const ci = sensitivities[i];
    if (!ci) continue;
    const q = inputs[i]!;
    const c = X.mul(ci, q.u);
    const square = X.mul(c, c);
    products[i] = c;
    squares[i] = square;
    if (!X.isZero(q.u) && !X.isZero(ci)) {
      contributing.push(square);
      dofs.push(q.dof);
    }
  }
  // u_c² = Σ (cᵢu(xᵢ))², summed in order from 0 (propagation.ts combinedVariance)
  let variance = X.EXACT_ZERO;
  for (const square of contributing) variance = X.add(variance, square);
  const u = X.sqrt(variance);
  const nu = effectiveDof(contributing, dofs, variance);
  let truncated: X.Exact | null = null;
  if (nu) {
    truncated = X.floor(nu);
    if (X.cmp(truncated, X.EXACT_ONE) < 0) truncated = X.EXACT_ONE;
  }
  const cov = coverageAt(coverage, truncated);
  const expanded = X.mul(cov.k, u);
  const inverseVariance = X.isZero(variance) ? null : X.div(X.EXACT_ONE, variance);
  const budget: ExactBudgetRow[] = [];
  for (let i = 0; i < sensitivities.length; i++) {
    const ci = sensitivities[i];
    if (!ci) continue;
    // |c|·|c| is c·c: the square is the same number
    budget.push({
      input: inputs[i]!,
      sensitivity: ci,
      contribution: X.abs(products[i]!),
      share: inverseVariance ? X.mul(squares[i]!, inverseVariance) : X.EXACT_ZERO,
    });
  }
  return {
    name,
    value,
    standardUncertainty: u,
    effectiveDof: nu,
    coverageFactor: cov.k,
    coverageProbability: cov.p,
    expandedUncertainty: expanded,
    interval: [X.sub(value, expanded), X.add(value, expanded)],
    unit,
    budget,
    reported: statement(name, value, expanded, cov, unit),
  };
}

/** reportedStatement (lpu.ts) with roundForReport (rounding.ts), on the kernel. */
function statement(name: string, value: X.Exact, expanded: X.Exact, cov: Coverage, unit: string | null): string {
  let v: string;
  let uText: string;
  if (X.isZero(expanded)) {
    v = X.exactText(value);
    uText = '0';
  } else {
    const u = X.significantHalfUp(X.abs(expanded), 2);
    const decimals = 1 - X.magnitude(u);
    uText = X.fixedHalfUp(u, decimals);
    v = X.fixedHalfUp(value, decimals);
    if (/^-0(\.0*)?$/.test(v)) v = v.slice(1);
  }
  const body = unit ? `(${v} ± ${uText}) ${unit}` : `${v} ± ${uText}`;
  return `${name} = ${body}, k = ${cov.kText}, p ≈ ${cov.percent} %`;
}
