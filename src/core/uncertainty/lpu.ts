/**
 * The GUM law of propagation of uncertainty (first order), in decimal
 * arithmetic from end to end: estimates, sensitivities by symbolic
 * differentiation, combined standard uncertainty, Welch–Satterthwaite degrees of
 * freedom, Student-t coverage factor, expanded uncertainty, budget and the
 * rounded statement; for several outputs also their covariances.
 *
 * @see GUM 5.1.2, 5.2.2, 6.2, 7.2.6, G.4, H.2
 */
import { fail } from '../errors.ts';
import { compileModel, type CompiledModel } from '../model/measurement-model.ts';
import { inferUnit } from '../model/units.ts';
import { Decimal } from '../numeric/decimal.ts';
import type { Correlations } from './correlation.ts';
import { combinedVariance, covarianceOf, effectiveDof, type Term } from './propagation.ts';
import { roundForReport } from './rounding.ts';
import type { Coverage, EvaluationSpec, InputQuantity, OutputModel } from './spec.ts';
import { coverageFactor, coverageProbabilityOf } from './student-t.ts';

export interface BudgetRow {
  readonly quantity: string;
  readonly value: Decimal;
  readonly u: Decimal;
  readonly unit: string | null;
  readonly dof: Decimal;
  /** cᵢ = ∂f/∂xᵢ at the estimates. */
  readonly sensitivity: Decimal;
  /** |cᵢ|·u(xᵢ). */
  readonly contribution: Decimal;
  /** (cᵢu(xᵢ))² / u_c². */
  readonly share: Decimal;
}

export interface OutputResult {
  readonly name: string;
  readonly value: Decimal;
  readonly standardUncertainty: Decimal;
  /** ν_eff, untruncated; Infinity when every input is exactly known in distribution. */
  readonly effectiveDof: Decimal;
  readonly coverageFactor: Decimal;
  readonly coverageProbability: Decimal;
  /** True when the probability was requested (and is exact), false when it follows from a given k. */
  readonly probabilityRequested: boolean;
  readonly expandedUncertainty: Decimal;
  readonly interval: readonly [Decimal, Decimal];
  readonly unit: string | null;
  readonly budget: readonly BudgetRow[];
  readonly reported: string;
  /** Signed contributions cᵢu(xᵢ) by input name, for covariances and Monte Carlo validation. */
  readonly terms: readonly Term<string>[];
}

export interface LpuResult {
  readonly outputs: readonly OutputResult[];
  /** u(yₐ, y_b) for each ordered pair of distinct outputs. */
  readonly covariance: ReadonlyMap<string, ReadonlyMap<string, Decimal>>;
  readonly correlation: ReadonlyMap<string, ReadonlyMap<string, Decimal>>;
}

export interface CompiledOutput {
  readonly model: OutputModel;
  readonly compiled: CompiledModel;
  readonly unit: string | null;
}

/** Compiles each output model once; reuse the result for a batch of evaluations of the same models. */
export function compileOutputs(outputs: readonly OutputModel[], quantities: readonly InputQuantity[]): CompiledOutput[] {
  const names = quantities.map((q) => q.name);
  const units = new Map(quantities.map((q) => [q.name, q.unit]));
  return outputs.map((model) => {
    const compiled = compileModel(model.expression, names, model.path);
    return { model, compiled, unit: inferUnit(compiled.node, units) };
  });
}

/**
 * Evaluates a spec by the law of propagation of uncertainty.
 * @param compiled from compileOutputs, when evaluating many specs of one model
 * @throws EVALUATION_FAILED when the model or a sensitivity is not finite at the estimates
 */
export function evaluateLpu(spec: EvaluationSpec, compiled: readonly CompiledOutput[] = compileOutputs(spec.outputs, spec.quantities)): LpuResult {
  const x = spec.quantities.map((q) => q.value);
  const outputs = compiled.map((c) => evaluateOutput(c, spec.quantities, x, spec.correlations, spec.coverage));
  const covariance = new Map<string, Map<string, Decimal>>();
  const correlation = new Map<string, Map<string, Decimal>>();
  if (outputs.length > 1) {
    for (const o of outputs) {
      covariance.set(o.name, new Map());
      correlation.set(o.name, new Map());
    }
    // Each pair once, mirrored, so the matrices are exactly symmetric.
    outputs.forEach((a, i) => {
      for (const b of outputs.slice(i + 1)) {
        const c = covarianceOf(a.terms, b.terms, spec.correlations);
        const product = a.standardUncertainty.pow(2).times(b.standardUncertainty.pow(2));
        const r = product.isZero() ? new Decimal(0) : c.div(product.sqrt());
        covariance.get(a.name)!.set(b.name, c);
        covariance.get(b.name)!.set(a.name, c);
        correlation.get(a.name)!.set(b.name, r);
        correlation.get(b.name)!.set(a.name, r);
      }
    });
  }
  return { outputs, covariance, correlation };
}

/**
 * Beyond this decimal exponent a value is no measurement, and writing it out
 * in full (as a report does) would take gigabytes: 10^1e9 is refused here.
 */
const MAX_EXPONENT = 1000;

function finite(d: Decimal, path: string, what: string): Decimal {
  if (!d.isFinite())
    fail('EVALUATION_FAILED', path, `${what} is not a finite number at the input estimates (a division by zero or a value outside a function's domain)`);
  if (!d.isZero() && Math.abs(d.e) > MAX_EXPONENT)
    fail(
      'EVALUATION_FAILED',
      path,
      `${what} is of the order of 1e${d.e} at the input estimates, beyond ±1e${MAX_EXPONENT}: not a physical value; check the model`,
    );
  return d;
}

function evaluateOutput(
  c: CompiledOutput,
  quantities: readonly InputQuantity[],
  x: readonly Decimal[],
  correlations: Correlations<string>,
  coverage: Coverage,
): OutputResult {
  const { compiled, model } = c;
  const value = finite(compiled.value(x), model.path, `the model for '${model.name}'`);
  const terms: Term<string>[] = [];
  const sensitivities = compiled.sensitivities(x);
  sensitivities.forEach((ci, i) => {
    if (!ci) return;
    const q = quantities[i]!;
    if (!ci.isFinite()) finite(ci, model.path, `the sensitivity of '${model.name}' to '${q.name}'`);
    if (!q.u.isZero() && !ci.isZero()) terms.push({ key: q.name, contribution: ci.times(q.u), dof: q.dof });
  });
  const variance = combinedVariance(terms, correlations);
  if (variance.isNegative()) fail('NOT_POSITIVE_SEMIDEFINITE', '/correlations', `the correlations make the variance of '${model.name}' negative`);
  const u = variance.sqrt();
  const nu = effectiveDof(terms, variance, correlations);
  const truncated = nu.isFinite() ? Decimal.max(1, nu.floor()) : nu;
  let k: Decimal;
  let p: Decimal;
  if (coverage.kind === 'probability') {
    p = coverage.probability;
    k = coverageFactor(p, truncated);
  } else {
    k = coverage.k;
    p = coverageProbabilityOf(k, truncated);
  }
  const expanded = k.times(u);
  const inverseVariance = variance.isZero() ? null : new Decimal(1).div(variance);
  const budget: BudgetRow[] = [];
  sensitivities.forEach((ci, i) => {
    if (ci === null) return;
    const q = quantities[i]!;
    const contribution = ci.times(q.u).abs();
    budget.push({
      quantity: q.name,
      value: q.value,
      u: q.u,
      unit: q.unit,
      dof: q.dof,
      sensitivity: ci,
      contribution,
      share: inverseVariance ? contribution.times(contribution).times(inverseVariance) : new Decimal(0),
    });
  });
  return {
    name: model.name,
    value,
    standardUncertainty: u,
    effectiveDof: nu,
    coverageFactor: k,
    coverageProbability: p,
    probabilityRequested: coverage.kind === 'probability',
    expandedUncertainty: expanded,
    interval: [value.minus(expanded), value.plus(expanded)],
    unit: c.unit,
    budget,
    reported: reportedStatement(model.name, value, expanded, k, p, coverage.kind === 'probability', c.unit),
    terms,
  };
}

/**
 * "l = (50.000838 ± 0.000093) mm, k = 2.92, p ≈ 99 %": U to two significant
 * digits, the value to the same decimal place (GUM 7.2.6), k to three significant
 * digits, p as requested (or, when k was given, to two significant digits).
 */
export function reportedStatement(
  name: string,
  value: Decimal,
  expanded: Decimal,
  k: Decimal,
  p: Decimal,
  probabilityRequested: boolean,
  unit: string | null,
): string {
  const r = roundForReport(value, expanded);
  const percent = probabilityRequested ? p.times(100) : p.times(100).toSignificantDigits(2);
  const kText = k.toSignificantDigits(3).toString();
  const body = unit ? `(${r.value} ± ${r.uncertainty}) ${unit}` : `${r.value} ± ${r.uncertainty}`;
  return `${name} = ${body}, k = ${kText}, p ≈ ${percent.toString()} %`;
}
