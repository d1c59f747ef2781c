/**
 * Correlation carried by uncertainty components keyed by the influence they
 * come from (for a calibration result: each calibration of each standard in
 * its chain). Two results that share influences are correlated by
 *   r = Σ_shared c_a,i · c_b,i / (u_a · u_b)      (GUM 5.2.2 for independent influences)
 * This is what lets a result handed over in a DCC keep its correlation with
 * other results that share its standards, without the issuing registry.
 */
import { Decimal, ZERO } from '../numeric/decimal.ts';

export interface ComponentSet {
  /** The combined standard uncertainty. */
  readonly u: Decimal;
  /** Signed component of each influence, by its identity. */
  readonly components: ReadonlyMap<string, Decimal>;
}

export function correlationOfComponents(a: ComponentSet, b: ComponentSet): { r: Decimal; shared: string[] } {
  if (a.u.isZero() || b.u.isZero()) return { r: ZERO, shared: [] };
  let cov = new Decimal(0);
  const shared: string[] = [];
  for (const [influence, ca] of a.components) {
    const cb = b.components.get(influence);
    if (cb === undefined) continue;
    shared.push(influence);
    cov = cov.plus(ca.times(cb));
  }
  return { r: cov.div(a.u.times(b.u)), shared: shared.sort() };
}
