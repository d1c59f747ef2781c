/**
 * Traceability use cases: load the part of the registry above an equipment,
 * then let the core resolve the chain at a date.
 */
import type { CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../core/registry/types.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';
import { lapsedLinks, resolveChain, type TraceGraph, type TraceResult } from '../core/traceability/chain.ts';
import { dependents, type Dependent } from '../core/traceability/impact.ts';
import { parseDate } from '../core/dates.ts';
import type { RecordedFinding } from '../codecs/traceability.ts';
import { chainUncertainty, type ChainLevel, type ChainUncertainty } from '../core/traceability/chain-uncertainty.ts';
import type { Decimal } from '../core/numeric/decimal.ts';
import { components, correlation, standardUncertainty } from '../core/uncertainty/uncertain-real.ts';
import type { FiledCertificateStore, RegistryStore, StoredToleranceFinding, UpwardClosure } from './ports.ts';
import { requireOwnOrganisation, type Caller } from '../core/access/roles.ts';
import { checkNotFuture } from '../core/registry/rules.ts';

/** Upper bounds on a walk up the hierarchy (a real chain has fewer than ten levels). */
export const MAX_EQUIPMENT = 10_000;

/** The trace graph over a loaded closure: what the core's chain resolution reads. */
export function traceGraph(
  c: UpwardClosure,
  charts: readonly VerificationChart[],
  mandatory?: (e: Equipment, at: CalendarDate) => boolean,
  intervalMonths?: (e: Equipment, at: CalendarDate) => number | null,
): TraceGraph {
  return {
    equipment: (id) => c.equipment.get(id),
    records: (id) => c.records.get(id) ?? [],
    organisation: (id) => c.organisations.get(id),
    scopes: (id) => c.scopes.get(id) ?? [],
    toleranceFindings: (id) => c.tolerance.get(id) ?? [],
    events: (id) => c.events.get(id) ?? [],
    charts,
    ...(mandatory ? { mandatory } : {}),
    ...(intervalMonths ? { intervalMonths } : {}),
  };
}

export interface TraceabilityDeps {
  readonly store: RegistryStore;
  readonly charts: readonly VerificationChart[];
  readonly newId?: () => string;
  /** Whether an equipment is under mandatory verification at a date; impact lists those first, chains check the lab's authority for it. */
  readonly mandatory?: (e: Equipment, at: CalendarDate) => boolean;
  /** The interval policy for an equipment at a date, which dates a record that states no validity; absent: none. */
  readonly intervalMonths?: (e: Equipment, at: CalendarDate) => number | null;
  /** Today's date where the registry is: a finding is not dated after it. */
  readonly today: () => CalendarDate;
  /** Certificates owners filed, to say where one awaits confirmation behind a lapsed link. */
  readonly filed?: FiledCertificateStore;
}

export interface ChainUncertaintyView {
  readonly trace: TraceResult;
  /** The relative standard uncertainty of the equipment's value; null when the chain is broken. */
  readonly u: Decimal | null;
  /** Why there is none, when u is null. */
  readonly reason: string | null;
  readonly budget: ReadonlyArray<ChainLevel & { readonly component: Decimal }>;
}

/** Why there is no uncertainty although the chain is traceable: these levels state none anywhere. */
function unstated(levels: readonly ChainLevel[]): string | null {
  const missing = levels.filter((l) => l.source === 'none').map((l) => l.label);
  return missing.length === 0
    ? null
    : `no uncertainty is stated for ${missing.join(', ')} (not by its record, its accuracy or its chart level), so the chain carries none that could be given`;
}

/** A broken chain's findings in a sentence. */
export function brokenBecause(t: TraceResult): string {
  return `the chain is broken at ${t.at}, so it carries no chain uncertainty (${t.findings.map((f) => `${f.code} at ${f.equipmentId}`).join(', ')})`;
}

export class TraceabilityService {
  private readonly store: RegistryStore;
  private readonly charts: readonly VerificationChart[];
  private readonly drawId: () => string;
  private readonly mandatory: (e: Equipment, at: CalendarDate) => boolean;
  private readonly intervalMonths: ((e: Equipment, at: CalendarDate) => number | null) | undefined;
  private readonly today: () => CalendarDate;
  private readonly filed: FiledCertificateStore | undefined;

  constructor(deps: TraceabilityDeps) {
    this.filed = deps.filed;
    this.store = deps.store;
    this.charts = deps.charts;
    this.drawId = deps.newId ?? (() => fail('INVALID_FIELD', '/id', 'give the finding an id'));
    this.mandatory = deps.mandatory ?? (() => false);
    this.intervalMonths = deps.intervalMonths;
    this.today = deps.today;
  }

  /**
   * May this caller record an out-of-tolerance finding on this equipment? An
   * inspector (or admin) on any standard; a lab only on its own standards
   * (its 期间核查, intermediate checks, found them out).
   */
  async checkFindingWriter(caller: Caller, equipmentId: string): Promise<void> {
    if (caller.kind !== 'key' || caller.role !== 'lab') return;
    const e = (await this.store.getEquipment(equipmentId)) ?? fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    requireOwnOrganisation(caller, e.ownerId, '', `record an out-of-tolerance finding on '${equipmentId}' (a lab records findings on its own standards)`);
  }

  /** The ids drawn for what a caller leaves unnamed (a finding's id): the edge reads the finding's contract with it (codecs/traceability.ts). */
  get newId(): () => string {
    return this.drawId;
  }

  /** Records that a standard was found out of tolerance (append-only), as read at the edge (codecs/traceability.ts). */
  async recordOutOfTolerance(finding: RecordedFinding): Promise<RecordedFinding> {
    const { equipmentId } = finding;
    checkNotFuture(finding.foundOn, this.today(), '/foundOn', 'the finding');
    return this.store.transaction(async (tx) => {
      if (!(await tx.getEquipment(equipmentId))) fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
      await tx.insertToleranceFinding(finding);
      return finding;
    });
  }

  /** The out-of-tolerance findings recorded, against one equipment or all, by date found (what the findings page lists). */
  findings(equipmentId?: string): Promise<StoredToleranceFinding[]> {
    return this.store.listToleranceFindings(equipmentId);
  }

  /** One out-of-tolerance finding by its id. */
  async finding(id: string): Promise<StoredToleranceFinding> {
    return (await this.store.listToleranceFindings()).find((f) => f.id === id) ?? fail('NOT_FOUND', '', `no out-of-tolerance finding has id '${id}'`);
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
    return dependents(
      {
        recordsUsing: (id) => using.get(id) ?? [],
        equipment: (id) => equipment.get(id),
        organisation: (id) => organisations.get(id),
        mandatory: this.mandatory,
      },
      standardId,
      from,
    );
  }

  /**
   * Every equipment a result of which may be suspect because of an
   * out-of-tolerance finding: what depended on a standard after its last known
   * good date, transitively (impact analysis). A superset: a status decides
   * exactly (a standard calibrated again after the finding clears later uses).
   */
  async possiblySuspect(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const f of await this.store.listToleranceFindings()) {
      for (const d of await this.impact(f.equipmentId, f.lastKnownGood)) out.add(d.equipment.id);
    }
    return out;
  }

  /** The chain at a date, as known now or (`asKnownAt`, an instant) as the registry knew it then. */
  async trace(equipmentId: string, at: CalendarDate, asKnownAt: string | null = null): Promise<TraceResult> {
    const graph = await this.loadGraph([equipmentId], at, asKnownAt);
    if (!graph.equipment(equipmentId)) fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    const trace = resolveChain(graph, equipmentId, at);
    return this.explainFiled(trace);
  }

  /** Names, behind each lapsed link, the certificates its owner filed that await the lab's confirmation (they count for nothing until then). */
  private async explainFiled(trace: TraceResult): Promise<TraceResult> {
    const filed = this.filed;
    const lapsed = filed ? lapsedLinks(trace) : [];
    if (lapsed.length === 0) return trace;
    const pending = (await Promise.all(lapsed.map((id) => filed!.list({ subjectId: id, state: 'pending' }, { limit: 20, after: null })))).flatMap(
      (p) => p.items,
    );
    const notes = pending
      .filter((f) => f.performedOn <= trace.at)
      .map((f) => ({
        code: 'FILED_UNCONFIRMED' as const,
        equipmentId: f.subjectId,
        recordId: null,
        date: trace.at,
        message: `certificate ${f.certificateNo} of '${f.subjectId}' (performed ${f.performedOn}) was filed by '${f.filedBy}' as issued by '${f.labId}' and awaits that lab's confirmation (filing '${f.id}'); until then it counts for nothing`,
      }));
    return notes.length === 0 ? trace : { ...trace, notes: [...trace.notes, ...notes] };
  }

  /**
   * The relative standard uncertainty an equipment carries from its whole chain
   * at a date (core/traceability/chain-uncertainty.ts), with each level's total,
   * its own part and its signed component (∂y/∂ε·u_own, keyed by the level's
   * calibration): the budget shows its magnitude, a DCC sidecar hands it over.
   * A broken chain has none, and neither has an equipment that states no
   * uncertainty anywhere (record, accuracy, chart): u is null and `reason` says
   * why, never a number that would claim more than the evidence. (A level
   * above that states none only leaves the level below it looking larger.)
   */
  async uncertainty(equipmentId: string, at: CalendarDate): Promise<ChainUncertaintyView> {
    const trace = await this.trace(equipmentId, at);
    if (!trace.traceable) return { trace, u: null, reason: brokenBecause(trace), budget: [] };
    const chain = chainUncertainty(trace.chain, this.charts);
    const unknown = unstated(chain.levels.slice(0, 1));
    if (unknown) return { trace, u: null, reason: unknown, budget: [] };
    const byLabel = new Map([...components(chain.number)].map(([influence, c]) => [influence.label, c]));
    return {
      trace,
      u: standardUncertainty(chain.number),
      reason: null,
      budget: chain.levels.map((l) => ({ ...l, component: byLabel.get(l.label) ?? l.u.times(0) })),
    };
  }

  /**
   * r between two equipment's values through the standards their chains share
   * (GUM 5.2): the shared variance over u_a·u_b. Null, with the reason, when
   * either chain is broken (neither has a chain uncertainty then).
   */
  async correlation(
    a: string,
    b: string,
    at: CalendarDate,
  ): Promise<{ r: Decimal | null; reason: string | null; a: TraceResult; b: TraceResult; shared: string[] }> {
    const graph = await this.loadGraph([a, b], at);
    for (const id of [a, b]) if (!graph.equipment(id)) fail('NOT_FOUND', '', `no equipment has id '${id}'`);
    const ta = resolveChain(graph, a, at);
    const tb = resolveChain(graph, b, at);
    const broken = [ta, tb].filter((t) => !t.traceable);
    if (broken.length > 0) return { r: null, reason: broken.map((t) => `${t.equipmentId}: ${brokenBecause(t)}`).join('; '), a: ta, b: tb, shared: [] };
    const memo = new Map<string, ChainUncertainty>();
    const ua = chainUncertainty(ta.chain, this.charts, memo);
    const ub = chainUncertainty(tb.chain, this.charts, memo);
    // what the two share is only known when every level of both states its uncertainty
    const unknown = [unstated(ua.levels), unstated(ub.levels)].filter((x) => x !== null);
    if (unknown.length > 0) return { r: null, reason: unknown.join('; '), a: ta, b: tb, shared: [] };
    const shared = ua.levels.filter((l) => ub.levels.some((m) => m.label === l.label)).map((l) => l.equipmentId);
    return { r: correlation(ua.number, ub.number), reason: null, a: ta, b: tb, shared };
  }

  /** Loads what resolving the chains of `roots` at `at` reads: the links in force, their records, labs, scopes and findings. */
  async loadGraph(roots: readonly string[], at: CalendarDate, asKnownAt: string | null = null): Promise<TraceGraph> {
    return traceGraph(await this.store.loadUpwardClosure(roots, MAX_EQUIPMENT, at, asKnownAt), this.charts, this.mandatory, this.intervalMonths);
  }
}
