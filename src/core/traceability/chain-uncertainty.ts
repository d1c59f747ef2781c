/**
 * Uncertainty down a traceability chain, with GTC-style uncertain numbers.
 *
 * Each link is modelled as a relative scale factor: the value an equipment
 * carries is its reference's value times (1 + δ), δ the link's own relative
 * error with standard uncertainty u = (U/k)/|nominal| from the record's first
 * measured point that states one. A link whose record states none uses the
 * equipment's own stated accuracy (U/k, or MPE/√3, relative to the top of its
 * range), then the chart's typical figure for its level; failing all three it
 * contributes nothing and says so. A record with several references uses
 * their mean. Links are memoised by (equipment, date), so two instruments
 * calibrated against the same standard share that standard's uncertain number
 * and come out correlated.
 *
 * @see GUM 5.2 (correlated input quantities); GTC `result()` for intermediates
 */
import { Decimal } from '../numeric/decimal.ts';
import type { Equipment } from '../registry/types.ts';
import { add, constant, div, mul, result, ureal, type UncertainReal } from '../uncertainty/uncertain-real.ts';
import { chartFor, type VerificationChart } from './chart.ts';
import type { ChainLink } from './chain.ts';

const ONE = new Decimal(1);
const SQRT3 = new Decimal(3).sqrt();

export interface LinkUncertainty {
  /** Relative standard uncertainty this link adds, and where it comes from. */
  readonly u: Decimal;
  readonly source: 'record' | 'equipment' | 'chart' | 'none';
}

/** The relative standard uncertainty a link adds on its own (see the module note). */
export function ownUncertainty(link: ChainLink, charts: readonly VerificationChart[]): LinkUncertainty {
  const point = link.record?.points.find((p) => p.expandedUncertainty !== null && p.coverageFactor !== null && !new Decimal(p.nominal).isZero());
  if (point) {
    return { u: new Decimal(point.expandedUncertainty!).div(point.coverageFactor!).div(new Decimal(point.nominal).abs()), source: 'record' };
  }
  const e = link.equipment;
  if (e) {
    const fromEquipment = equipmentRelative(e);
    if (fromEquipment) return { u: fromEquipment, source: 'equipment' };
    const chart = chartFor(charts, e.quantity);
    const typical = chart?.levels.find((l) => l.level === e.level)?.typical;
    if (typical?.kind === 'relative-expanded') return { u: typical.relativeExpandedUncertainty.div(typical.k), source: 'chart' };
    if (typical?.kind === 'relative-mpe') return { u: typical.relativeMpe.div(SQRT3), source: 'chart' };
  }
  return { u: new Decimal(0), source: 'none' };
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

export interface ChainUncertainty {
  readonly number: UncertainReal;
  /** Per link: its label and the relative standard uncertainty it adds. */
  readonly levels: ReadonlyArray<{ readonly label: string; readonly equipmentId: string; readonly level: string | null; readonly u: Decimal; readonly source: LinkUncertainty['source'] }>;
}

/** Builds (or reuses, through `memo`) the uncertain number of a chain's top link. */
export function chainUncertainty(link: ChainLink, charts: readonly VerificationChart[], memo = new Map<string, ChainUncertainty>()): ChainUncertainty {
  // One influence per calibration, whatever the date it was used on: two instruments
  // calibrated against the same record of a standard share that record's error.
  // (A standard with no record — the national primary — is one influence.)
  const key = link.record ? `record:${link.record.id}` : `equipment:${link.equipmentId}`;
  const done = memo.get(key);
  if (done) return done;
  const own = ownUncertainty(link, charts);
  const label = link.record ? `${link.equipmentId} (${link.record.certificateNo})` : link.equipmentId;
  const delta = ureal(ONE, own.u, undefined, label);
  const refs = link.references.map((r) => chainUncertainty(r, charts, memo));
  let reference: UncertainReal = constant(ONE);
  if (refs.length === 1) reference = refs[0]!.number;
  else if (refs.length > 1) reference = div(refs.map((r) => r.number).reduce((s, x) => add(s, x)), constant(new Decimal(refs.length)));
  const number = result(mul(reference, delta), label);
  const levels: Array<ChainUncertainty['levels'][number]> = [{ label, equipmentId: link.equipmentId, level: link.equipment?.level ?? null, u: own.u, source: own.source }];
  for (const r of refs) for (const l of r.levels) if (!levels.some((x) => x.label === l.label)) levels.push(l);
  const out = { number, levels };
  memo.set(key, out);
  return out;
}
