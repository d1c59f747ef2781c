/**
 * Traceability use cases: load the part of the registry above an equipment,
 * then let the core resolve the chain at a date.
 */
import type { CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
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
const MAX_RECORDS_PER_EQUIPMENT = 500;

export class TraceabilityService {
  constructor(
    private readonly store: RegistryStore,
    private readonly charts: readonly VerificationChart[],
    private readonly newId: () => string = () => fail('INVALID_FIELD', '/id', 'give the finding an id'),
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
    const using = new Map<string, CalibrationRecord[]>();
    const equipment = new Map<string, Equipment>();
    const organisations = new Map<string, Organisation>();
    let frontier = [standardId];
    while (frontier.length > 0 && equipment.size < MAX_EQUIPMENT * 10) {
      const next: string[] = [];
      for (const id of frontier) {
        if (using.has(id)) continue;
        const records: CalibrationRecord[] = [];
        let after: string | null = null;
        do {
          const page = await this.store.listRecords({ referenceId: id }, { limit: 500, after });
          records.push(...page.items.filter((s) => s.supersededBy === null && s.record.performedOn >= from).map((s) => s.record));
          after = page.lastId;
        } while (after !== null);
        using.set(id, records);
        const subjects = [...new Set(records.map((r) => r.subjectId))].filter((s) => !equipment.has(s));
        for (const [sid, e] of await this.store.getEquipmentMany(subjects)) {
          equipment.set(sid, e);
          if (!organisations.has(e.ownerId)) {
            const o = await this.store.getOrganisation(e.ownerId);
            if (o) organisations.set(o.id, o);
          }
          next.push(sid);
        }
      }
      frontier = next;
    }
    return dependents({ recordsUsing: (id) => using.get(id) ?? [], equipment: (id) => equipment.get(id), organisation: (id) => organisations.get(id) }, standardId, from);
  }

  async trace(equipmentId: string, at: CalendarDate): Promise<TraceResult> {
    const graph = await this.loadGraph([equipmentId]);
    if (!graph.equipment(equipmentId)) fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    return resolveChain(graph, equipmentId, at);
  }

  /**
   * The relative standard uncertainty an equipment carries from its whole chain
   * at a date, with each level's contribution.
   */
  async uncertainty(equipmentId: string, at: CalendarDate): Promise<{ trace: TraceResult; u: Decimal; budget: Array<{ label: string; equipmentId: string; level: string | null; u: Decimal; contribution: Decimal; source: string }> }> {
    const trace = await this.trace(equipmentId, at);
    const chain = chainUncertainty(trace.chain, this.charts);
    return { trace, u: standardUncertainty(chain.number), budget: budgetOf(chain) };
  }

  /** r between two equipment's values through the standards their chains share (GUM 5.2). */
  async correlation(a: string, b: string, at: CalendarDate): Promise<{ r: Decimal; a: TraceResult; b: TraceResult; shared: string[] }> {
    const graph = await this.loadGraph([a, b]);
    for (const id of [a, b]) if (!graph.equipment(id)) fail('NOT_FOUND', '', `no equipment has id '${id}'`);
    const ta = resolveChain(graph, a, at);
    const tb = resolveChain(graph, b, at);
    const memo = new Map<string, ChainUncertainty>();
    const ua = chainUncertainty(ta.chain, this.charts, memo);
    const ub = chainUncertainty(tb.chain, this.charts, memo);
    const shared = ua.levels.filter((l) => ub.levels.some((m) => m.label === l.label)).map((l) => l.equipmentId);
    return { r: correlation(ua.number, ub.number), a: ta, b: tb, shared };
  }

  /** Loads every equipment reachable upwards through records, with their records, labs and scopes. */
  async loadGraph(roots: readonly string[]): Promise<TraceGraph> {
    const equipment = new Map<string, Equipment>();
    const records = new Map<string, CalibrationRecord[]>();
    const organisations = new Map<string, Organisation>();
    const scopes = new Map<string, LabScope[]>();
    let frontier = [...new Set(roots)];
    while (frontier.length > 0 && equipment.size < MAX_EQUIPMENT) {
      const found = await this.store.getEquipmentMany(frontier);
      const next = new Set<string>();
      for (const id of frontier) {
        const e = found.get(id);
        if (!e) continue;
        equipment.set(id, e);
        const page = await this.store.listRecords({ subjectId: id }, { limit: MAX_RECORDS_PER_EQUIPMENT, after: null });
        const current = page.items.filter((s) => s.supersededBy === null).map((s) => s.record);
        records.set(id, current);
        for (const r of current) {
          for (const ref of r.referenceIds) if (!equipment.has(ref) && !frontier.includes(ref)) next.add(ref);
          if (!organisations.has(r.labId)) {
            const lab = await this.store.getOrganisation(r.labId);
            if (lab) organisations.set(lab.id, lab);
            scopes.set(r.labId, await this.store.listScopes(r.labId));
          }
        }
      }
      frontier = [...next];
    }
    const tolerance = new Map<string, ToleranceFinding[]>();
    for (const id of equipment.keys()) tolerance.set(id, await this.store.listToleranceFindings(id));
    const charts = this.charts;
    return {
      equipment: (id) => equipment.get(id),
      records: (id) => records.get(id) ?? [],
      organisation: (id) => organisations.get(id),
      scopes: (id) => scopes.get(id) ?? [],
      toleranceFindings: (id) => tolerance.get(id) ?? [],
      charts,
    };
  }
}

function budgetOf(chain: ChainUncertainty) {
  const parts = components(chain.number);
  return chain.levels.map((l) => {
    let contribution: Decimal | undefined;
    for (const [influence, c] of parts) if (influence.label === l.label) contribution = c.abs();
    return { label: l.label, equipmentId: l.equipmentId, level: l.level, u: l.u, contribution: contribution ?? l.u.times(0), source: l.source };
  });
}
