/**
 * Correlation coefficients between input quantities (or influences), stored
 * sparsely: unlisted pairs are uncorrelated. Checked for symmetry by
 * construction, |r| ≤ 1 and positive semi-definiteness of the implied matrix.
 *
 * @see GUM 5.2.2 (r(xᵢ, xⱼ)), C.3.6
 */
import { fail } from '../errors.ts';
import { Decimal } from '../numeric/decimal.ts';

const ONE = new Decimal(1);

export class Correlations<K> {
  private readonly pairs = new Map<K, Map<K, Decimal>>();

  /** True when no pair is correlated. */
  get isEmpty(): boolean {
    return this.pairs.size === 0;
  }

  /** Sets r(a, b) = r(b, a). Zero removes nothing and stores nothing. */
  set(a: K, b: K, r: Decimal): void {
    if (r.isZero()) return;
    this.row(a).set(b, r);
    this.row(b).set(a, r);
  }

  /** r(a, b): 1 on the diagonal, 0 for an unlisted pair. */
  get(a: K, b: K): Decimal {
    if (a === b) return ONE;
    return this.pairs.get(a)?.get(b) ?? new Decimal(0);
  }

  /** The keys correlated with `a` and their coefficients. */
  neighbours(a: K): ReadonlyMap<K, Decimal> {
    return this.pairs.get(a) ?? (EMPTY as ReadonlyMap<K, Decimal>);
  }

  keys(): K[] {
    return [...this.pairs.keys()];
  }

  private row(a: K): Map<K, Decimal> {
    let row = this.pairs.get(a);
    if (!row) this.pairs.set(a, (row = new Map()));
    return row;
  }
}

const EMPTY: ReadonlyMap<unknown, Decimal> = new Map<unknown, Decimal>();

/**
 * Checks that the correlation matrix over the correlated keys is positive
 * semi-definite, by an LDLᵀ factorisation in decimal arithmetic: every pivot
 * must be ≥ 0 (to within 1e-30), and a zero pivot must have a zero column.
 * @throws NOT_POSITIVE_SEMIDEFINITE naming the quantities involved
 */
export function checkPositiveSemidefinite<K>(correlations: Correlations<K>, path: string, name: (k: K) => string = String): void {
  const keys = correlations.keys();
  const n = keys.length;
  if (n < 2) return;
  const tolerance = new Decimal('1e-30');
  const a: Decimal[][] = keys.map((ki) => keys.map((kj) => correlations.get(ki, kj)));
  const l: Decimal[][] = keys.map(() => keys.map(() => new Decimal(0)));
  const d: Decimal[] = [];
  for (let j = 0; j < n; j++) {
    let dj = a[j]![j]!;
    for (let k = 0; k < j; k++) dj = dj.minus(l[j]![k]!.pow(2).times(d[k]!));
    if (dj.lessThan(tolerance.neg())) {
      fail(
        'NOT_POSITIVE_SEMIDEFINITE',
        path,
        `the correlation matrix is not positive semi-definite (the correlations involving ${keys
          .slice(0, j + 1)
          .map(name)
          .join(', ')} cannot hold together); check the coefficients`,
      );
    }
    d[j] = dj.abs().lessThan(tolerance) ? new Decimal(0) : dj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s = s.minus(l[i]![k]!.times(l[j]![k]!).times(d[k]!));
      if (d[j]!.isZero()) {
        if (s.abs().greaterThan(new Decimal('1e-20'))) {
          fail(
            'NOT_POSITIVE_SEMIDEFINITE',
            path,
            `the correlation matrix is not positive semi-definite (${name(keys[j]!)} and ${name(keys[i]!)} are inconsistent with the other correlations)`,
          );
        }
        l[i]![j] = new Decimal(0);
      } else {
        l[i]![j] = s.div(d[j]!);
      }
    }
  }
}
