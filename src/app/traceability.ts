/**
 * Traceability use cases: load the part of the registry above an equipment,
 * then let the core resolve the chain at a date.
 */
import type { CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../core/registry/types.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';
import { resolveChain, type ToleranceFinding, type TraceGraph, type TraceResult } from '../core/traceability/chain.ts';
import { dependents, type Dependent } from '../core/traceability/impact.ts';
import { parseDate } from '../core/dates.ts';
import { ObjectReader } from '../codecs/reader.ts';
import { ID_HINT, ID_PATTERN } from '../codecs/registry.ts';
import { chainUncertainty, type ChainUncertainty } from '../core/traceability/chain-uncertainty.ts';
import type { Decimal } from '../core/numeric/decimal.ts';
import { components, correlation, standardUncertainty } from '../core/uncertainty/uncertain-real.ts';
import type { RegistryStore } from './ports.ts';

/** Upper bounds on a walk up the hierarchy (a real chain has fewer than ten levels). */
const MAX_EQUIPMENT = 10_000;

export class TraceabilityService {
  constructor(
    private readonly store: RegistryStore,
    private readonly charts: readonly VerificationChart[],
    private readonly newId: () => string = () => fail('INVALID_FIELD', '/id', 'give the finding an id'),
    /** Whether an equipment is under mandatory verification at a date; impact lists those first. */
    private readonly mandatory: (e: Equipment, at: CalendarDate) => boolean = () => false,
  ) {}

  /** Records that a standard was found out of tolerance (append-only). */
  async recordOutOfTolerance(equipmentId: string, raw: unknown): Promise<ToleranceFinding & { id: string; remarks: string | null }> {
    const r = ObjectReader.of(raw, '');
    const finding = {
      id: r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? this.newId(),
      equipmentId,
      foundOn: r.date('foundOn'),
      lastKnownGood: r.date('lastKnownGood'),
      remarks: r.optionalString('remarks', { max: 2000 }),
    };
    r.done();
    if (finding.lastKnownGood > finding.foundOn) fail('INVALID_RANGE', '/lastKnownGood', `the last known good date ${finding.lastKnownGood} is after the finding on ${finding.foundOn}`);
    return this.store.transaction(async (tx) => {
      if (!(await tx.getEquipment(equipmentId))) fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
      await tx.insertToleranceFinding(finding);
      return finding;
    });
  }

  /** Everything whose result depended on a standard on or after `since`, transitively. */
  async impact(standardId: string, since: string): Promise<Dependent[]> {
    const from = parseDate(since, '?since');
    if (!(await this.store.getEquipment(standardId))) fail('NOT_FOUND', '', `no equipment has id '${standardId}'`);
    // Level by level: one query for all records that used any standard of the frontier
    // on or after the date from which that standard is suspect.
    const using = new Map<string, CalibrationRecord[]>();
    const equipment = new Map<string, Equipment>();
    const organisations = new Map<string, Organisation>();
    let frontier = new Map<string, string>([[standardId, from]]);
    const visited = new Set<string>([standardId]);
    for (let depth = 0; depth < 32 && frontier.size > 0; depth++) {
      const records = await this.store.recordsUsingSince([...frontier]);
      const next = new Map<string, string>();
      for (const r of records) {
        for (const ref of r.referenceIds) {
          if (!frontier.has(ref)) continue;
          const list = using.get(ref);
          if (list) list.push(r);
          else using.set(ref, [r]);
        }
        if (visited.has(r.subjectId)) continue;
        const earliest = next.get(r.subjectId);
        if (earliest === undefined || r.performedOn < earliest) next.set(r.subjectId, r.performedOn);
      }
      for (const id of next.keys()) visited.add(id);
      const found = await this.store.getEquipmentMany([...next.keys()]);
      for (const [id, e] of found) equipment.set(id, e);
      const owners = [...new Set([...found.values()].map((e) => e.ownerId))].filter((o) => !organisations.has(o));
      for (const [o, org] of await this.store.getOrganisationsMany(owners)) organisations.set(o, org);
      frontier = new Map([...next].filter(([id]) => found.get(id)?.level !== 'working_instrument'));
    }
    return dependents({ recordsUsing: (id) => using.get(id) ?? [], equipment: (id) => equipment.get(id), organisation: (id) => organisations.get(id), mandatory: this.mandatory }, standardId, from);
  }

  async trace(equipmentId: string, at: CalendarDate): Promise<TraceResult> {
    const graph = await this.loadGraph([equipmentId], at);
    if (!graph.equipment(equipmentId)) fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    return resolveChain(graph, equipmentId, at);
  }

  /**
   * The relative standard uncertainty an equipment carries from its whole chain
   * at a date, with each level's signed component (∂y/∂x·u, keyed by the level's
   * calibration): the budget shows its magnitude, a DCC sidecar hands it over.
   */
  async uncertainty(equipmentId: string, at: CalendarDate): Promise<{ trace: TraceResult; u: Decimal; budget: Array<{ label: string; equipmentId: string; level: string | null; u: Decimal; component: Decimal; source: string }> }> {
    const trace = await this.trace(equipmentId, at);
    const chain = chainUncertainty(trace.chain, this.charts);
    const byLabel = new Map([...components(chain.number)].map(([influence, c]) => [influence.label, c]));
    return {
      trace,
      u: standardUncertainty(chain.number),
      budget: chain.levels.map((l) => ({ label: l.label, equipmentId: l.equipmentId, level: l.level, u: l.u, component: byLabel.get(l.label) ?? l.u.times(0), source: l.source })),
    };
  }

  /** r between two equipment's values through the standards their chains share (GUM 5.2). */
  async correlation(a: string, b: string, at: CalendarDate): Promise<{ r: Decimal; a: TraceResult; b: TraceResult; shared: string[] }> {
    const graph = await this.loadGraph([a, b], at);
    for (const id of [a, b]) if (!graph.equipment(id)) fail('NOT_FOUND', '', `no equipment has id '${id}'`);
    const ta = resolveChain(graph, a, at);
    const tb = resolveChain(graph, b, at);
    const memo = new Map<string, ChainUncertainty>();
    const ua = chainUncertainty(ta.chain, this.charts, memo);
    const ub = chainUncertainty(tb.chain, this.charts, memo);
    const shared = ua.levels.filter((l) => ub.levels.some((m) => m.label === l.label)).map((l) => l.equipmentId);
    return { r: correlation(ua.number, ub.number), a: ta, b: tb, shared };
  }

  /** Loads what resolving the chains of `roots` at `at` reads: the links in force, their records, labs, scopes and findings. */
  async loadGraph(roots: readonly string[], at: CalendarDate): Promise<TraceGraph> {
    const c = await this.store.loadUpwardClosure(roots, MAX_EQUIPMENT, at);
    const charts = this.charts;
    return {
      equipment: (id) => c.equipment.get(id),
      records: (id) => c.records.get(id) ?? [],
      organisation: (id) => c.organisations.get(id),
      scopes: (id) => c.scopes.get(id) ?? [],
      toleranceFindings: (id) => c.tolerance.get(id) ?? [],
      charts,
    };
  }
}
