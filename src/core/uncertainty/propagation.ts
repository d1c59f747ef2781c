/**
 * The law of propagation of uncertainty and the effective degrees of freedom,
 * over "terms": one per input (or influence), each the signed contribution
 * cᵢ·u(xᵢ) and its degrees of freedom νᵢ. Shared by the LPU evaluation of a
 * measurement model and by uncertain numbers, so both compute alike.
 *
 * @see GUM 5.1.2 (independent), 5.2.2 (correlated), G.4.1 (Welch–Satterthwaite)
 */
import { Decimal } from '../numeric/decimal.ts';
import type { Correlations } from './correlation.ts';

export interface Term<K> {
  readonly key: K;
  /** cᵢ·u(xᵢ), signed. */
  readonly contribution: Decimal;
  /** νᵢ; Infinity for an exactly known distribution. */
  readonly dof: Decimal;
}

const ZERO = new Decimal(0);

/** u_c² = Σᵢ Σⱼ cᵢcⱼu(xᵢ)u(xⱼ)r(xᵢ,xⱼ), in time linear in the terms plus the correlated pairs. */
export function combinedVariance<K>(terms: readonly Term<K>[], correlations?: Correlations<K>): Decimal {
  if (!correlations || correlations.isEmpty) {
    // Independent inputs (GUM 5.1.2): Σ (cᵢu(xᵢ))², one term per key.
    const keys = new Set<K>();
    let sum = ZERO;
    for (const t of terms) {
      if (keys.has(t.key)) return covarianceOf(terms, terms, correlations);
      keys.add(t.key);
      sum = sum.plus(t.contribution.times(t.contribution));
    }
    return sum;
  }
  return covarianceOf(terms, terms, correlations);
}

/** u(y₁, y₂) = Σᵢ Σⱼ ∂y₁/∂xᵢ·∂y₂/∂xⱼ·u(xᵢ)u(xⱼ)r(xᵢ,xⱼ) (GUM H.2.3, F.1.2.3). */
export function covarianceOf<K>(a: readonly Term<K>[], b: readonly Term<K>[], correlations?: Correlations<K>): Decimal {
  const byKey = new Map<K, Decimal>();
  for (const t of b) byKey.set(t.key, (byKey.get(t.key) ?? ZERO).plus(t.contribution));
  let sum = ZERO;
  for (const t of a) {
    const same = byKey.get(t.key);
    if (same) sum = sum.plus(t.contribution.times(same));
    if (correlations && !correlations.isEmpty) {
      for (const [other, r] of correlations.neighbours(t.key)) {
        const c = byKey.get(other);
        if (c) sum = sum.plus(t.contribution.times(c).times(r));
      }
    }
  }
  return sum;
}

/**
 * ν_eff = u_c⁴ / Σ (u_G⁴ / ν_G) (GUM G.2b), returned untruncated; Infinity when no
 * term has finite degrees of freedom.
 *
 * With independent inputs every group G is a single input and this is the
 * Welch–Satterthwaite formula. The formula assumes independence (GUM G.4.1).
 * Correlated inputs are therefore combined into one group per connected set of
 * correlations: u_G² = Σ_{i,j∈G} cᵢcⱼu(xᵢ)u(xⱼ)r(xᵢ,xⱼ), with ν_G the smallest νᵢ
 * in the group. For inputs observed jointly (equal ν = n − 1) this is the
 * generalisation of Willink, Metrologia 44 (2007) 340–349, which treats them as
 * one component with n − 1 degrees of freedom; for unequal νᵢ taking the
 * smallest is conservative (a smaller ν gives a larger k).
 */
export function effectiveDof<K>(terms: readonly Term<K>[], variance: Decimal, correlations?: Correlations<K>): Decimal {
  if (variance.isZero()) return new Decimal(Infinity);
  let denominator = ZERO;
  if (!correlations || correlations.isEmpty) {
    // Independent inputs: the Welch–Satterthwaite formula itself.
    for (const t of terms) {
      if (!t.dof.isFinite()) continue;
      const v = t.contribution.times(t.contribution);
      denominator = denominator.plus(v.times(v).div(t.dof));
    }
    return denominator.isZero() ? new Decimal(Infinity) : variance.times(variance).div(denominator);
  }
  const byKey = new Map(terms.map((t) => [t.key, t]));
  const seen = new Set<K>();
  for (const t of terms) {
    if (seen.has(t.key)) continue;
    const group = correlations && !correlations.isEmpty ? groupOf(t.key, byKey, correlations, seen) : [t];
    seen.add(t.key);
    let dof = new Decimal(Infinity);
    for (const g of group) if (g.dof.lessThan(dof)) dof = g.dof;
    if (!dof.isFinite()) continue;
    const groupVariance = group.length === 1 ? t.contribution.times(t.contribution) : combinedVariance(group, correlations);
    denominator = denominator.plus(groupVariance.times(groupVariance).div(dof));
  }
  return denominator.isZero() ? new Decimal(Infinity) : variance.times(variance).div(denominator);
}

function groupOf<K>(start: K, byKey: ReadonlyMap<K, Term<K>>, correlations: Correlations<K>, seen: Set<K>): Term<K>[] {
  const group: Term<K>[] = [];
  const stack = [start];
  const visited = new Set<K>([start]);
  while (stack.length > 0) {
    const k = stack.pop()!;
    const term = byKey.get(k);
    if (term) group.push(term);
    seen.add(k);
    for (const other of correlations.neighbours(k).keys()) {
      if (!visited.has(other) && byKey.has(other)) {
        visited.add(other);
        stack.push(other);
      }
    }
  }
  return group;
}
