/**
 * Uncertainty down a traceability chain, with GTC-style uncertain numbers.
 *
 * A certificate's stated uncertainty is the total uncertainty of its result:
 * the reference standard's contribution is already inside it. So each link is
 * modelled as the reference's value times (1 + ε), ε the link's *own* relative
 * error, whose standard uncertainty is what the record states beyond its
 * reference:
 *
 *     u_own = √(u_rec² − u_ref²)       (relative standard uncertainties)
 *
 * u_rec from the record's first measured point that states U and k (U/k over
 * |nominal|); u_ref the relative standard uncertainty of the reference's own
 * chain on the date it was used (several references: their mean, with the
 * correlation of what they share). The equipment's chain uncertainty is then
 * exactly its own record's u_rec (to first order, where the chain is
 * evaluated), and two results calibrated against the same calibration of a
 * standard share that calibration's variance: r = u_shared² / (u_a·u_b).
 *
 * A link whose record states no uncertainty takes the equipment's stated
 * accuracy (U/k, or MPE/√3, relative to the top of its range), then the
 * chart's typical figure for its level, as its total; failing all three it
 * adds nothing and says so (`source: 'none'`). A total below the reference's
 * (possible only for these fallbacks: a record claiming it is refused, see
 * registry/rules.ts) adds nothing and says so (`belowReference`).
 *
 * Only a traceable chain has a chain uncertainty; the use cases ask the chain
 * resolution first and answer null with its findings otherwise.
 *
 * @see GUM 5.2 (correlated input quantities); GTC `result()` for intermediates;
 *      EA-4/02 M:2022 §4 (the reference standard's uncertainty inside a calibration's budget)
 */
import { Decimal } from '../numeric/decimal.ts';
import type { CalibrationRecord, Equipment } from '../registry/types.ts';
import { add, constant, div, mul, result, standardUncertainty, ureal, type UncertainReal } from '../uncertainty/uncertain-real.ts';
import { chartFor, type VerificationChart } from './chart.ts';
import type { ChainLink } from './chain.ts';

const ONE = new Decimal(1);
const ZERO = new Decimal(0);
const SQRT3 = new Decimal(3).sqrt();

export interface LinkUncertainty {
  /** The link's total relative standard uncertainty, and where it comes from. */
  readonly u: Decimal;
  readonly source: 'record' | 'equipment' | 'chart' | 'none';
}

/** The relative standard uncertainty a record states for its result: U/k over |nominal| at its first point that gives both. */
export function recordUncertainty(record: CalibrationRecord): { u: Decimal; point: number } | null {
  const i = record.points.findIndex((p) => p.expandedUncertainty !== null && p.coverageFactor !== null && !new Decimal(p.nominal).isZero());
  if (i < 0) return null;
  const p = record.points[i]!;
  return { u: new Decimal(p.expandedUncertainty!).div(p.coverageFactor!).div(new Decimal(p.nominal).abs()), point: i };
}

/** The total relative standard uncertainty of a link (see the module note). */
export function linkUncertainty(link: ChainLink, charts: readonly VerificationChart[]): LinkUncertainty {
  const stated = link.record ? recordUncertainty(link.record) : null;
  if (stated) return { u: stated.u, source: 'record' };
  const e = link.equipment;
  if (e) {
    const fromEquipment = equipmentRelative(e);
    if (fromEquipment) return { u: fromEquipment, source: 'equipment' };
    const chart = chartFor(charts, e.quantity);
    const typical = chart?.levels.find((l) => l.level === e.level)?.typical;
    if (typical?.kind === 'relative-expanded') return { u: typical.relativeExpandedUncertainty.div(typical.k), source: 'chart' };
    if (typical?.kind === 'relative-mpe') return { u: typical.relativeMpe.div(SQRT3), source: 'chart' };
  }
  return { u: ZERO, source: 'none' };
}

function equipmentRelative(e: Equipment): Decimal | null {
  const top = e.range.max === null ? null : new Decimal(e.range.max).abs();
  if (!top || top.isZero()) return null;
  const a = e.accuracy;
  if (a.kind === 'expanded' && a.unit === e.range.unit) return new Decimal(a.expandedUncertainty).div(a.coverageFactor).div(top);
  if (a.kind === 'expanded' && a.unit === '1') return new Decimal(a.expandedUncertainty).div(a.coverageFactor);
  if (a.kind === 'mpe' && a.unit === e.range.unit) return new Decimal(a.mpe).div(SQRT3).div(top);
  return null;
}

export interface ChainLevel {
  readonly label: string;
  readonly equipmentId: string;
  readonly level: string | null;
  /** The link's total relative standard uncertainty (what its record states). */
  readonly u: Decimal;
  /** What the link adds beyond its reference: √(u² − u_ref²). */
  readonly own: Decimal;
  readonly source: LinkUncertainty['source'];
  /** True when the link's total lies below its reference's, so it adds nothing. */
  readonly belowReference: boolean;
}

export interface ChainUncertainty {
  readonly number: UncertainReal;
  /** Per link, top-down: its label, total and own relative standard uncertainty. */
  readonly levels: readonly ChainLevel[];
}

/** The uncertain number a set of references hands down: one reference's, or their mean. */
function referenceNumber(refs: readonly ChainUncertainty[]): UncertainReal {
  if (refs.length === 0) return constant(ONE);
  if (refs.length === 1) return refs[0]!.number;
  return div(
    refs.map((r) => r.number).reduce((s, x) => add(s, x)),
    constant(new Decimal(refs.length)),
  );
}

/** The relative standard uncertainty that a link's references carry (zero without references). */
export function referenceUncertainty(refs: readonly ChainUncertainty[]): Decimal {
  return standardUncertainty(referenceNumber(refs));
}

/** Builds (or reuses, through `memo`) the uncertain number of a chain's top link. */
export function chainUncertainty(link: ChainLink, charts: readonly VerificationChart[], memo = new Map<string, ChainUncertainty>()): ChainUncertainty {
  // One influence per calibration, whatever the date it was used on: two instruments
  // calibrated against the same record of a standard share that record's error.
  // (A standard with no record — the national primary — is one influence.)
  const key = link.record ? `record:${link.record.id}` : `equipment:${link.equipmentId}`;
  const done = memo.get(key);
  if (done) return done;
  const total = linkUncertainty(link, charts);
  const label = link.record ? `${link.equipmentId} (${link.record.certificateNo})` : link.equipmentId;
  const refs = link.references.map((r) => chainUncertainty(r, charts, memo));
  const reference = referenceNumber(refs);
  const uRef = standardUncertainty(reference);
  const excess = total.u.times(total.u).minus(uRef.times(uRef));
  const belowReference = excess.isNegative() && !excess.isZero();
  const own = belowReference ? ZERO : excess.sqrt();
  const number = result(mul(reference, ureal(ONE, own, undefined, label)), label);
  const levels: ChainLevel[] = [
    { label, equipmentId: link.equipmentId, level: link.equipment?.level ?? null, u: total.u, own, source: total.source, belowReference },
  ];
  for (const r of refs) for (const l of r.levels) if (!levels.some((x) => x.label === l.label)) levels.push(l);
  const out = { number, levels };
  memo.set(key, out);
  return out;
}
