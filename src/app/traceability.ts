/**
 * Traceability use cases: load the part of the registry above an equipment,
 * then let the core resolve the chain at a date.
 */
import type { CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';
import { resolveChain, type TraceGraph, type TraceResult } from '../core/traceability/chain.ts';
import type { RegistryStore } from './ports.ts';

/** Upper bounds on a walk up the hierarchy (a real chain has fewer than ten levels). */
const MAX_EQUIPMENT = 10_000;
const MAX_RECORDS_PER_EQUIPMENT = 500;

export class TraceabilityService {
  constructor(
    private readonly store: RegistryStore,
    private readonly charts: readonly VerificationChart[],
  ) {}

  async trace(equipmentId: string, at: CalendarDate): Promise<TraceResult> {
    const graph = await this.loadGraph([equipmentId]);
    if (!graph.equipment(equipmentId)) fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    return resolveChain(graph, equipmentId, at);
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
    const charts = this.charts;
    return {
      equipment: (id) => equipment.get(id),
      records: (id) => records.get(id) ?? [],
      organisation: (id) => organisations.get(id),
      scopes: (id) => scopes.get(id) ?? [],
      toleranceFindings: () => [],
      charts,
    };
  }
}
