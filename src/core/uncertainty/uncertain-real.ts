/**
 * Uncertain numbers that remember where they came from, after GTC's
 * UncertainReal (MSL, New Zealand).
 *
 * An elementary uncertain number carries one influence (an input with its own
 * standard uncertainty and degrees of freedom). Arithmetic builds intermediate
 * numbers that keep, for each operand, the first-order sensitivity to it. The
 * components of a result — uᵢ(y) = (∂y/∂xᵢ)·u(xᵢ) for each elementary influence —
 * are found by one reverse sweep over that graph, so a result labelled as a
 * calibration can be used downstream, its components stay visible, and two
 * results that share an influence (a reference standard) come out correlated.
 *
 * Building a chain of depth D costs O(D); the components of a result cost one
 * sweep over its ancestors and are memoised.
 *
 * @see GUM 5.1.3 (sensitivities), 5.2 (correlation); B. D. Hall, "Computing
 * uncertainty with uncertain numbers", Metrologia 43 (2006) L56.
 */
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';
import { Correlations } from './correlation.ts';
import { combinedVariance, covarianceOf, effectiveDof, type Term } from './propagation.ts';

const ZERO = new Decimal(0);
const ONE = new Decimal(1);

/** An elementary source of uncertainty: u(xᵢ) and νᵢ, identified by object identity. */
export interface Influence {
  readonly label: string;
  readonly u: Decimal;
  readonly dof: Decimal;
}

type Parent = readonly [UncertainReal, Decimal];

export class UncertainReal {
  /** @internal the last sweep of components() that reached this node, and its adjoint in that sweep. */
  sweep = 0;
  /** @internal */
  adjoint: Decimal | undefined = undefined;

  /** @internal use ureal(), constant(), result() and the arithmetic functions. */
  constructor(
    readonly value: Decimal,
    readonly influence: Influence | null,
    readonly parents: readonly Parent[],
    readonly label: string | null,
  ) {}

  /** Decimal-bearing: no silent conversion to a float. */
  valueOf(): never {
    throw new TypeError('an UncertainReal has no primitive value; use .value (a Decimal)');
  }

  toString(): string {
    return `${this.label ? this.label + ' = ' : ''}${this.value.toString()} ± ${standardUncertainty(this).toSignificantDigits(3).toString()}`;
  }
}

/**
 * An elementary uncertain number (GTC `ureal`).
 * @param u standard uncertainty, ≥ 0
 * @param dof degrees of freedom, > 0; Infinity by default
 */
const INFINITE = new Decimal(Infinity);

export function ureal(value: Decimal, u: Decimal, dof: Decimal = INFINITE, label = 'x'): UncertainReal {
  if (u.isNegative()) fail('NEGATIVE_UNCERTAINTY', '', `the standard uncertainty of '${label}' is negative`);
  if (!dof.greaterThan(ZERO)) fail('INVALID_DOF', '', `the degrees of freedom of '${label}' must be greater than zero`);
  return new UncertainReal(value, u.isZero() ? null : { label, u, dof }, [], label);
}

/** An exactly known number. */
export function constant(value: Decimal): UncertainReal {
  return new UncertainReal(value, null, [], null);
}

/**
 * Labels an intermediate result (GTC `result`): a calibration's outcome that
 * later calculations use, whose components remain those of its inputs.
 */
export function result(x: UncertainReal, label: string): UncertainReal {
  return new UncertainReal(x.value, null, [[x, ONE]], label);
}

/** A node from a value and its first-order sensitivities to its operands (used by the operations and by models). */
export function derived(value: Decimal, parents: readonly Parent[]): UncertainReal {
  return new UncertainReal(
    value,
    null,
    parents.filter(([, c]) => !c.isZero()),
    null,
  );
}

export function add(a: UncertainReal, b: UncertainReal): UncertainReal {
  return derived(a.value.plus(b.value), [
    [a, ONE],
    [b, ONE],
  ]);
}

export function sub(a: UncertainReal, b: UncertainReal): UncertainReal {
  return derived(a.value.minus(b.value), [
    [a, ONE],
    [b, ONE.neg()],
  ]);
}

export function mul(a: UncertainReal, b: UncertainReal): UncertainReal {
  return derived(a.value.times(b.value), [
    [a, b.value.eq(ONE) ? ONE : b.value],
    [b, a.value.eq(ONE) ? ONE : a.value],
  ]);
}

export function div(a: UncertainReal, b: UncertainReal): UncertainReal {
  if (b.value.isZero()) fail('EVALUATION_FAILED', '', 'division by an uncertain number whose value is zero');
  const q = a.value.div(b.value);
  return derived(q, [
    [a, ONE.div(b.value)],
    [b, q.div(b.value).neg()],
  ]);
}

/** aⁿ for a constant exponent n. */
export function pow(a: UncertainReal, n: Decimal): UncertainReal {
  const v = a.value.pow(n);
  return derived(v, [[a, n.times(a.value.pow(n.minus(1)))]]);
}

export function sqrt(a: UncertainReal): UncertainReal {
  const v = a.value.sqrt();
  return derived(v, [[a, ONE.div(v.times(2))]]);
}

export function exp(a: UncertainReal): UncertainReal {
  const v = a.value.exp();
  return derived(v, [[a, v]]);
}

export function ln(a: UncertainReal): UncertainReal {
  return derived(a.value.ln(), [[a, ONE.div(a.value)]]);
}

export function neg(a: UncertainReal): UncertainReal {
  return derived(a.value.neg(), [[a, ONE.neg()]]);
}

const memo = new WeakMap<UncertainReal, Map<Influence, Decimal>>();

/**
 * ∂y/∂xᵢ·u(xᵢ) for each elementary influence of y, by one reverse sweep
 * (adjoint accumulation) over y's ancestors in topological order.
 */
export function components(y: UncertainReal): ReadonlyMap<Influence, Decimal> {
  const cached = memo.get(y);
  if (cached) return cached;
  // A new sweep number: a node's mark and adjoint count only when its sweep is
  // this one (the numbers are pure bookkeeping; nothing else reads them).
  const sweep = ++sweeps;
  // Topological order by an iterative depth-first search (chains may be deep).
  const order: UncertainReal[] = [];
  const stack: Array<[UncertainReal, number]> = [[y, 0]];
  y.sweep = sweep;
  y.adjoint = undefined;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, i] = top;
    if (i < node.parents.length) {
      top[1] = i + 1;
      const parent = node.parents[i]![0];
      if (parent.sweep !== sweep) {
        parent.sweep = sweep;
        parent.adjoint = undefined;
        stack.push([parent, 0]);
      }
    } else {
      order.push(node);
      stack.pop();
    }
  }
  y.adjoint = ONE;
  const out = new Map<Influence, Decimal>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const a = node.adjoint;
    if (!a || a.isZero()) continue;
    if (node.influence) accumulate(out, node.influence, times(a, node.influence.u));
    for (const [parent, c] of node.parents) {
      const v = times(a, c);
      parent.adjoint = parent.adjoint === undefined ? v : parent.adjoint.plus(v);
    }
  }
  memo.set(y, out);
  return out;
}

let sweeps = 0;

/** a·c, skipping the multiplication by an exact one (most links of a chain). */
function times(a: Decimal, c: Decimal): Decimal {
  if (c === ONE) return a;
  if (a === ONE) return c;
  return a.times(c);
}

function accumulate<K>(map: Map<K, Decimal>, key: K, value: Decimal): void {
  const current = map.get(key);
  map.set(key, current === undefined ? value : current.plus(value));
}

function terms(y: UncertainReal): Term<Influence>[] {
  return [...components(y)].map(([influence, contribution]) => ({ key: influence, contribution, dof: influence.dof }));
}

/** u(y) (GUM 5.1.2 / 5.2.2 with correlations between influences). */
export function standardUncertainty(y: UncertainReal, correlations?: Correlations<Influence>): Decimal {
  return combinedVariance(terms(y), correlations).sqrt();
}

/** ν_eff of y by Welch–Satterthwaite (see propagation.effectiveDof for correlated influences). */
export function dof(y: UncertainReal, correlations?: Correlations<Influence>): Decimal {
  const t = terms(y);
  return effectiveDof(t, combinedVariance(t, correlations), correlations);
}

/** u(a, b), the covariance of two uncertain numbers through their shared influences. */
export function covariance(a: UncertainReal, b: UncertainReal, correlations?: Correlations<Influence>): Decimal {
  return covarianceOf(terms(a), terms(b), correlations);
}

/**
 * r(a, b) = u(a, b) / √(u²(a)·u²(b)); 0 when either is exact. One square root of
 * the product keeps exact ratios exact (11/12 stays 0.91666…67 to the last digit).
 */
export function correlation(a: UncertainReal, b: UncertainReal, correlations?: Correlations<Influence>): Decimal {
  const ta = terms(a);
  const tb = terms(b);
  const va = combinedVariance(ta, correlations);
  const vb = combinedVariance(tb, correlations);
  if (va.isZero() || vb.isZero()) return ZERO;
  return covarianceOf(ta, tb, correlations).div(va.times(vb).sqrt());
}

/** A correlation set over influences, for callers that declare correlated elementary inputs. */
export function influenceCorrelations(): Correlations<Influence> {
  return new Correlations<Influence>();
}

/** The influence of an elementary uncertain number (to declare correlations with). */
export function influenceOf(x: UncertainReal): Influence {
  return x.influence ?? fail('INVALID_FIELD', '', `'${x.label ?? 'this number'}' is not elementary; only elementary uncertain numbers have an influence`);
}
