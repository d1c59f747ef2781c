/**
 * Mandatory-verification use cases: classify, look up status for an
 * inspector, list what falls due, plan the work of verification institutions,
 * and advise on intervals. The decisions are the core's; this layer loads
 * what they need and stores what must be kept.
 */
import { addDays, type CalendarDate, horizonEnd } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { equipmentAt } from '../core/registry/events.ts';
import { Decimal, parsePositive } from '../core/numeric/decimal.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../core/registry/types.ts';
import { PERFORMING_KINDS, type Usage } from '../core/registry/vocabulary.ts';
import { resolveChain, scopeCovers, type TraceResult } from '../core/traceability/chain.ts';
import { type Catalogue, type CatalogueEntry, catalogueAt, classify, classifyAt, type Classification } from '../core/verification/catalogue.ts';
import {
  asFoundSeries,
  type AsFoundPoint,
  DAYS_PER_MONTH,
  type IntervalRecommendation,
  observationsOf,
  reliabilityTarget,
  staircase,
} from '../core/verification/interval.ts';
import { type Institution, type Plan, planVerifications } from '../core/verification/planning.ts';
import {
  checkNoTie,
  checkOverride,
  policyFor,
  type PolicyOverride,
  regionContains,
  regionPrefix,
  type VerificationPolicy,
} from '../core/verification/policy.ts';
import { requireOwnOrganisation, type Caller } from '../core/access/roles.ts';
import { calendarEntries, type CalendarEntry, type StandardValidity } from '../core/verification/calendar.ts';
import { type AskedDocument, askedDocument, type NumberedRecord } from '../core/verification/asked-document.ts';
import {
  isDueBy,
  isToBeReplaced,
  isUsable,
  type LotExtension,
  type LotRotation,
  statusOf,
  verificationStatus,
  type VerificationStatus,
} from '../core/verification/status.ts';
import type { NewId } from '../codecs/registry.ts';
import type { DueItem, PlanRequest, PolicyDraft, StatusView } from '../codecs/verification.ts';
import type { DueQuery, LabCapacity, RegistryStore, StatusFactsListener, VerificationStore } from './ports.ts';

/** An owner's mandatory instruments and those that may not be used, at a date. */
export interface ComplianceCounts {
  mandatory: number;
  notUsable: number;
  suspect: number;
}

export interface LookupQuery {
  readonly certificateNo?: string | undefined;
  readonly assetCode?: string | undefined;
  readonly ownerId?: string | undefined;
  /** The number printed on the label (合格证号). */
  readonly labelNo?: string | undefined;
}

/** A number printed on a document: a certificate's, or a label's (合格证号). */
type NumberKey = { readonly certificateNo: string } | { readonly labelNo: string };
type LookupKey = NumberKey | { readonly assetCode: string; readonly ownerId?: string | undefined };

/** What a lookup goes by: a certificate number, else an asset code (with its owner when given), else a label number. */
function lookupKey(q: LookupQuery): LookupKey {
  if (q.certificateNo !== undefined) return { certificateNo: q.certificateNo };
  if (q.assetCode !== undefined) return { assetCode: q.assetCode, ownerId: q.ownerId };
  if (q.labelNo !== undefined) return { labelNo: q.labelNo };
  return fail('MISSING_FIELD', '?certificateNo', 'look up by certificateNo, by assetCode (with ownerId when several owners use the code), or by labelNo');
}

/** A lookup must find exactly one equipment; says why not otherwise. */
function onlyMatch(by: LookupKey, found: number): void {
  if (found === 1) return;
  if (found > 1 && 'assetCode' in by) fail('INVALID_FIELD', '?ownerId', `several owners use asset code '${by.assetCode}'; give ownerId too`);
  if (found > 1 && 'labelNo' in by)
    fail('INVALID_FIELD', '?labelNo', `labels of several instruments are numbered '${by.labelNo}'; look up by the certificate number instead`);
  if ('certificateNo' in by) fail('NOT_FOUND', '?certificateNo', `no calibration or verification certificate is numbered '${by.certificateNo}'`);
  if ('labelNo' in by) fail('NOT_FOUND', '?labelNo', `no verification or calibration label is numbered '${by.labelNo}'`);
  fail('NOT_FOUND', '?assetCode', `no equipment has asset code '${by.assetCode}'${by.ownerId ? ` at owner '${by.ownerId}'` : ''}`);
}

/** The status as a label shows it: no chain, no owner. */
export interface LabelView {
  readonly status: VerificationStatus;
  readonly equipment: Equipment;
  readonly lab: Organisation | null;
  /** Where the instrument is at the date (its latest relocation), if known. */
  readonly location?: string | null;
  /** The document looked up by its number (certificate or label), and whether the status rests on it; null for a lookup by asset code. */
  readonly asked?: AskedDocument | null;
}
import type { TraceabilityService } from './traceability.ts';

export interface VerificationDeps {
  readonly registry: RegistryStore;
  readonly store: VerificationStore;
  readonly traceability: TraceabilityService;
  readonly catalogues: readonly Catalogue[];
  readonly newId: NewId;
  /** Lots of meters in service (app/lots.ts): a member of a lot to rotate is to rotate; omitted: no lots. */
  readonly lots?: LotRotations;
  /**
   * Milliseconds from any fixed start (performance.now): how long a facts' version read
   * while the database tells of every change may serve label lookups (KNOWN_VERSION_MS).
   * Omitted: never (every lookup reads the version).
   */
  readonly elapsedMs?: () => number;
}

/**
 * How long a facts' version read while the database tells this process of
 * every change serves the label lookups after it, at most. The notification of
 * another process's write comes within milliseconds; this bounds what a lost
 * notification could cost (a listening connection that hangs without closing,
 * a pooler that drops notifications) to a fifth of a second, for one version
 * read per fifth of a second under any load.
 */
export const KNOWN_VERSION_MS = 200;

/** What the status and the due list need of lots of meters in service. */
export interface LotRotations {
  /** The rotation (a lot to rotate or rotated) or the extension (a lot whose sample was accepted) a member is under at the date. */
  memberLot(equipmentId: string, at: CalendarDate, asKnownAt?: string | null): Promise<{ rotation: LotRotation | null; extension: LotExtension | null }>;
  /** The registered members of lots to rotate, rotated or extended at the date (worked out one by one in the due list). */
  equipmentToRotate(at: CalendarDate): Promise<string[]>;
}

export interface DueFilter {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly regionCode?: string | undefined;
  readonly ownerId?: string | undefined;
  readonly category?: string | undefined;
  readonly usage?: Usage | undefined;
  /** An instant: the list as the registry gave it then, from what had been written by that moment; null or absent: as known now. */
  readonly asKnownAt?: string | null | undefined;
}

export interface IntervalOptions {
  readonly method?: 'staircase' | 'reliability_target' | undefined;
  readonly reliability?: string | undefined;
  readonly extension?: string | undefined;
  readonly initial?: string | undefined;
}

/** How many label answers a process keeps (each a few hundred bytes). */
const LABEL_CACHE_SIZE = 10_000;

export class VerificationService {
  constructor(private readonly deps: VerificationDeps) {}

  catalogue(at: CalendarDate): Catalogue {
    return (
      catalogueAt(this.deps.catalogues, at) ?? fail('NOT_FOUND', '?at', `no catalogue of instruments under compulsory administration was in force on ${at}`)
    );
  }

  private entry(category: string, at: CalendarDate, path: string): CatalogueEntry {
    const c = this.catalogue(at);
    return (
      c.entries.find((e) => e.id === category) ??
      fail('UNKNOWN_REFERENCE', path, `category '${category}' is not in the catalogue ${c.id}; see GET /v1/catalogue`)
    );
  }

  /** The ids drawn for what a caller leaves unnamed: the edge reads a policy, capacity or plan request with it (codecs/verification.ts). */
  get newId(): NewId {
    return this.deps.newId;
  }

  /** Issues a regulator's local policy (read at the edge): in the regulator's region, checked against the catalogue entry. */
  async createPolicy(read: PolicyDraft): Promise<PolicyOverride> {
    return this.deps.store.transaction(async (store, registry) => {
      const regulator = await registry.getOrganisation(read.regulatorId);
      if (!regulator) fail('UNKNOWN_REFERENCE', '/regulatorId', `no organisation has id '${read.regulatorId}'`);
      if (regulator.kind !== 'regulator')
        fail('WRONG_ORGANISATION_KIND', '/regulatorId', `'${regulator.id}' is a ${regulator.kind}; only a market regulator issues verification policies`);
      const policy: PolicyOverride = { ...read, regionCode: regulator.regionCode };
      checkOverride(this.entry(policy.category, policy.validFrom, '/category'), policy);
      checkNoTie(await store.listPolicies(policy.category), policy);
      await store.insertPolicy(policy);
      return policy;
    });
  }

  /** A policy is issued by a regulator in its own name (and so for its own region); an admin may issue any. */
  checkPolicyWriter(caller: Caller, regulatorId: string): void {
    requireOwnOrganisation(caller, regulatorId, '/regulatorId', 'issue verification policies');
  }

  /**
   * A lab declares its own capacity; an inspector declares the capacity of an
   * institution in the inspector's region; an admin any.
   */
  async checkCapacityWriter(caller: Caller, labId: string): Promise<void> {
    if (caller.kind === 'key' && caller.role === 'lab') return requireOwnOrganisation(caller, labId, '/labId', 'declare verification capacities');
    const regulator = await this.regulatorOf(caller);
    if (!regulator) return;
    const lab = (await this.deps.registry.getOrganisation(labId)) ?? fail('UNKNOWN_REFERENCE', '/labId', `no organisation has id '${labId}'`);
    if (!regionContains(regulator.regionCode, lab.regionCode))
      fail(
        'FORBIDDEN',
        '/labId',
        `'${lab.id}' (region ${lab.regionCode}) lies outside the region of '${regulator.id}' (${regulator.regionCode}); its own regulator declares its capacity`,
      );
  }

  /** An inspector plans for its own region: the plan's region defaults to it and may not lie outside it. */
  async scopePlanRequest<T extends { readonly regionCode?: string | null | undefined }>(caller: Caller, request: T): Promise<T> {
    const regulator = await this.regulatorOf(caller);
    if (!regulator) return request;
    if (request.regionCode == null) return { ...request, regionCode: regulator.regionCode };
    if (!regionContains(regulator.regionCode, request.regionCode))
      fail('FORBIDDEN', '/regionCode', `region ${request.regionCode} lies outside the region of '${regulator.id}' (${regulator.regionCode})`);
    return request;
  }

  /** The regulator an inspector's (or auditor's) key speaks for; null for an admin. */
  private async regulatorOf(caller: Caller): Promise<Organisation | null> {
    if (caller.kind !== 'key' || caller.role === 'admin') return null;
    return (
      (await this.deps.registry.getOrganisation(caller.organisationId ?? '')) ??
      fail('FORBIDDEN', '', `the key's organisation '${caller.organisationId}' is not in the registry`)
    );
  }

  listPolicies(category?: string): Promise<PolicyOverride[]> {
    return this.deps.store.listPolicies(category);
  }

  /** Declares an institution's monthly capacity for a category (read at the edge): it needs a mandatory-verification scope for it. */
  async createCapacity(c: LabCapacity): Promise<LabCapacity> {
    return this.deps.store.transaction(async (store, registry) => {
      const lab = await registry.getOrganisation(c.labId);
      if (!lab) fail('UNKNOWN_REFERENCE', '/labId', `no organisation has id '${c.labId}'`);
      if (!PERFORMING_KINDS.includes(lab.kind))
        fail('WRONG_ORGANISATION_KIND', '/labId', `'${lab.id}' is a ${lab.kind}; only a verification institution has a verification capacity`);
      const entry = this.entry(c.category, c.validFrom, '/category');
      const scopes = await registry.listScopes(c.labId);
      const covering = scopes.some(
        (s) => s.mandatoryVerification && scopeCovers(s, entry.id, entry.quantities) && s.validFrom <= c.validUntil && c.validFrom <= s.validUntil,
      );
      if (!covering)
        fail(
          'LAB_NOT_AUTHORISED',
          '/category',
          `'${lab.id}' has no scope authorising mandatory verification of ${c.category} between ${c.validFrom} and ${c.validUntil}; add the scope first`,
        );
      await store.insertCapacity(c);
      return c;
    });
  }

  listCapacities(): Promise<LabCapacity[]> {
    return this.deps.store.listCapacities();
  }

  /** Whether verification of an equipment is mandatory at a date, and why. */
  classify(e: Equipment, at: CalendarDate): Classification {
    return classifyAt(this.deps.catalogues, e, at);
  }

  private policyOf(c: Classification, policies: readonly PolicyOverride[], region: string, at: CalendarDate): VerificationPolicy | null {
    return c.mandatory && c.entry ? policyFor(c.entry, policies, region, at) : null;
  }

  /** The policy of the day and, for the dates a record fixed earlier, the one in force on any other day (core/verification/status.ts). */
  private policiesOf(
    c: Classification,
    policies: readonly PolicyOverride[],
    region: string,
    at: CalendarDate,
  ): { readonly policy: VerificationPolicy | null; readonly policyOn: (day: CalendarDate) => VerificationPolicy | null } {
    const policyOn = (day: CalendarDate) => this.policyOf(c, policies, region, day);
    return { policy: policyOn(at), policyOn };
  }

  /**
   * The status of one equipment at a date, with the traceability verdict of
   * the chain behind the record it rests on (the verification in force; for an
   * instrument outside mandatory verification, its latest record); a
   * verification whose own chain was broken on its day is suspect
   * (core/verification/status.ts).
   */
  /** The status at a date, as known now or (`asKnownAt`, an instant) as the registry knew it then. */
  async status(equipmentId: string, at: CalendarDate, asKnownAt: string | null = null): Promise<StatusView> {
    // lot decisions too, as known at the instant when one is given
    const [graph, policies, lot] = await Promise.all([
      this.deps.traceability.loadGraph([equipmentId], at, asKnownAt),
      this.deps.store.listPolicies(undefined, asKnownAt),
      this.deps.lots ? this.deps.lots.memberLot(equipmentId, at, asKnownAt) : null,
    ]);
    const registered =
      graph.equipment(equipmentId) ??
      fail(
        'NOT_FOUND',
        '',
        asKnownAt === null ? `no equipment has id '${equipmentId}'` : `no equipment with id '${equipmentId}' had been registered by ${asKnownAt}`,
      );
    return this.statusIn(graph, policies, registered, at, lot);
  }

  /**
   * The statuses of many instruments today, each exactly as status() gives
   * it, worked out from one load of their chains (one upward closure of them
   * all) and the policies read once; only the members of lots to rotate,
   * rotated or extended read their lot's decision each. What the web pages' lists show. Ids not in the
   * registry are left out.
   */
  async statusMany(equipmentIds: readonly string[], at: CalendarDate): Promise<Map<string, StatusView>> {
    const out = new Map<string, StatusView>();
    if (equipmentIds.length === 0) return out;
    const [graph, policies, rotating] = await Promise.all([
      this.deps.traceability.loadGraph(equipmentIds, at),
      this.deps.store.listPolicies(),
      this.deps.lots ? this.deps.lots.equipmentToRotate(at).then((ids) => new Set(ids)) : new Set<string>(),
    ]);
    for (const id of equipmentIds) {
      const registered = graph.equipment(id);
      if (!registered || out.has(id)) continue;
      const lot = rotating.has(id) && this.deps.lots ? await this.deps.lots.memberLot(id, at) : null;
      out.set(id, await this.statusIn(graph, policies, registered, at, lot));
    }
    return out;
  }

  /** One instrument's status from a loaded graph (what status() and statusMany() share). */
  private async statusIn(
    graph: Awaited<ReturnType<TraceabilityService['loadGraph']>>,
    policies: readonly PolicyOverride[],
    registered: Equipment,
    at: CalendarDate,
    lot: { rotation: LotRotation | null; extension: LotExtension | null } | null,
  ): Promise<StatusView> {
    const equipmentId = registered.id;
    // the instrument as it is on the day: suspended, scrapped, repaired, transferred…
    const life = equipmentAt(registered, graph.events?.(equipmentId) ?? [], at);
    const e = life.equipment;
    const owner = graph.organisation(e.ownerId) ?? (await this.deps.registry.getOrganisation(e.ownerId));
    const classification = this.classify(e, at);
    const chains = new Map<string, TraceResult>();
    const chainOf = (record: CalibrationRecord): TraceResult => {
      let t = chains.get(record.id);
      if (!t) chains.set(record.id, (t = resolveChain(graph, equipmentId, at, record)));
      return t;
    };
    const status = verificationStatus({
      equipmentId,
      classification,
      ...this.policiesOf(classification, policies, owner?.regionCode ?? '', at),
      records: graph.records(equipmentId),
      at,
      chainOf: (record) => chainOf(record).findings,
      life: {
        status: e.status,
        scrappedOn: life.scrappedOn,
        reverifyAfter: life.reverifyAfter,
        prohibitedOn: life.prohibitedOn,
        lotRotation: lot?.rotation ?? null,
        lotExtension: lot?.extension ?? null,
      },
    });
    const trace = status.record ? chainOf(status.record) : resolveChain(graph, equipmentId, at);
    return { ...view(status, e, owner, status.record ? (graph.organisation(status.record.labId) ?? null) : null, trace), location: life.location };
  }

  /** The inspector's lookup: by certificate number, or by the owner's asset code. */
  async lookup(q: LookupQuery, at: CalendarDate, asKnownAt: string | null = null): Promise<StatusView> {
    return this.status(await this.equipmentOf(q), at, asKnownAt);
  }

  /**
   * What a verification label shows, for the public: the status (the chain's
   * verdict included, so a suspect verification is never shown as usable)
   * without the chain itself or the owner.
   */
  async label(q: LookupQuery, at: CalendarDate, asKnownAt: string | null = null): Promise<LabelView> {
    // The public lookup is the hottest read: an answer as known now is kept
    // until anything it is worked out from is written, by this process or
    // another, so that a failure, a suspension or a finding shows on the next
    // scan. The facts' version is read from the database on every lookup;
    // where the database tells this process of changes (statusFacts), a read
    // serves until a change is told or KNOWN_VERSION_MS pass, whichever comes
    // first: this process's own write shows on its next lookup, another's once
    // its notification arrives (milliseconds), and never later than that.
    const key = asKnownAt === null ? JSON.stringify([q.certificateNo ?? null, q.assetCode ?? null, q.ownerId ?? null, q.labelNo ?? null, at]) : null;
    const version = key === null ? null : await this.currentFactsVersion();
    if (key !== null) {
      const hit = this.labels.get(key);
      if (hit && hit.version === version) return hit.view;
    }
    // looked up by the number on a document: the records carrying it find the instrument (as known
    // then: a number written only later finds none) and say whether the status rests on that document
    const by = lookupKey(q);
    let v: StatusView;
    let asked: AskedDocument | null = null;
    if ('assetCode' in by) v = await this.lookup(q, at, asKnownAt);
    else {
      const { equipmentId, carrying } = await this.numbered(by, asKnownAt);
      v = await this.status(equipmentId, at, asKnownAt);
      asked = askedDocument(
        'certificateNo' in by ? { number: by.certificateNo, by: 'certificateNo' } : { number: by.labelNo, by: 'labelNo' },
        carrying,
        v.status.record,
      );
    }
    const view: LabelView = { status: v.status, equipment: v.equipment, lab: v.lab, location: v.location ?? null, asked };
    if (key !== null && version !== null) {
      if (this.labels.size >= LABEL_CACHE_SIZE) this.labels.delete(this.labels.keys().next().value!);
      this.labels.set(key, { version, view });
    }
    return view;
  }

  /** Labels as known now, by lookup and date, with the facts' version they were worked out at. */
  private readonly labels = new Map<string, { readonly version: string; readonly view: LabelView }>();

  /**
   * Where the database tells this process of changes to the status facts
   * (main/server.ts, persistence/status-facts-watch.ts): each change told,
   * each start or loss of listening, and each transaction of this process
   * ends a generation. The version read in a generation serves the lookups
   * of that generation without a round trip while the watch is up, for
   * KNOWN_VERSION_MS at most.
   */
  readonly statusFacts: StatusFactsListener = {
    changed: () => {
      this.factsGeneration++;
    },
    watching: (up) => {
      this.factsGeneration++;
      this.watched = up;
    },
  };

  private factsGeneration = 0;
  private watched = false;
  private known: { readonly generation: number; readonly version: string; readonly readAt: number } | undefined;

  /** The facts' version now: the one read lately in this generation when the watch is up, else read from the database. */
  private async currentFactsVersion(): Promise<string> {
    const clock = this.deps.elapsedMs;
    const known = this.known;
    if (clock && this.watched && known?.generation === this.factsGeneration && clock() - known.readAt < KNOWN_VERSION_MS) return known.version;
    const generation = this.factsGeneration;
    const readAt = clock?.() ?? 0;
    const version = await this.freshFactsVersion();
    // a change told while the read ran may have committed before it or after: keep it only if none was
    if (clock && this.watched && generation === this.factsGeneration) this.known = { generation, version, readAt };
    return version;
  }

  /** The version read from the database now, and the one that starts when it ends (shared by the lookups that come meanwhile). */
  private versionInFlight: Promise<string> | undefined;
  private versionQueued: Promise<string> | undefined;

  /**
   * The facts' version as read by a statement that starts after this call: a lookup never takes
   * a version read before it arrived (that read may have missed a write committed just before),
   * but the lookups that arrive while one read is running share the next one, so under load
   * one round trip serves many lookups instead of one each.
   */
  private freshFactsVersion(): Promise<string> {
    if (this.versionQueued) return this.versionQueued;
    const running = this.versionInFlight;
    if (!running) return this.readFactsVersion();
    const queued = running.then(
      () => undefined,
      () => undefined,
    );
    this.versionQueued = queued.then(() => {
      this.versionQueued = undefined;
      return this.readFactsVersion();
    });
    return this.versionQueued;
  }

  private readFactsVersion(): Promise<string> {
    const read = this.deps.store.statusFactsVersion();
    this.versionInFlight = read;
    const done = () => {
      if (this.versionInFlight === read) this.versionInFlight = undefined;
    };
    read.then(done, done);
    return read;
  }

  private async equipmentOf(q: LookupQuery): Promise<string> {
    const by = lookupKey(q);
    if (!('assetCode' in by)) return (await this.numbered(by, null)).equipmentId;
    const ids = await this.deps.store.equipmentByAssetCode(by.assetCode, by.ownerId);
    onlyMatch(by, ids.length);
    return ids[0]!;
  }

  /** The records carrying a certificate or label number (as known at `asKnownAt`), and the one instrument they are of. */
  private async numbered(by: NumberKey, asKnownAt: string | null): Promise<{ equipmentId: string; carrying: NumberedRecord[] }> {
    const carrying = await this.deps.store.numberedRecords(by, asKnownAt);
    const ids = [...new Set(carrying.map((r) => r.subjectId))];
    onlyMatch(by, ids.length);
    return { equipmentId: ids[0]!, carrying };
  }

  /**
   * Mandatory instruments due on or before `to`, as seen on `from`: already
   * overdue or lapsed, never verified, failed, past their service life,
   * suspect, or due within the horizon. Ordered by due date (the ones without
   * one first), then id.
   *
   * The bulk of the list comes from one query and the core's status; an
   * instrument whose verification an out-of-tolerance finding may have put in
   * doubt (the impact of every finding, a short list) gets its full status,
   * chain included, so that a suspect one is listed as suspect — due now —
   * wherever its certificate's due date lies.
   */
  async due(f: DueFilter): Promise<DueItem[]> {
    return this.dueWith(f, (id) => this.status(id, f.from));
  }

  /** The due list, taking the statuses worked out one by one from `statusAt` (so that a caller who needs them too works each out once). */
  private async dueWith(f: DueFilter, statusAt: (id: string) => Promise<StatusView>): Promise<DueItem[]> {
    if (f.to < f.from) fail('INVALID_RANGE', '?to', `the horizon ends (${f.to}) before it starts (${f.from})`);
    const catalogue = this.catalogue(f.from);
    if (f.asKnownAt != null) return this.dueAsKnownAt(f, f.asKnownAt);
    const policies = await this.deps.store.listPolicies();
    const mandatory = mandatoryPairs(catalogue, policies, f.from, f);
    const candidates = await this.deps.store.dueCandidates({
      at: f.from,
      dueBy: f.to,
      mandatory,
      regionPrefix: f.regionCode === undefined ? undefined : regionPrefix(f.regionCode),
      ownerId: f.ownerId,
      category: f.category,
      usage: f.usage,
    });
    // instruments whose verification may be in doubt, or whose life changed (suspended, scrapped,
    // transferred, repaired…), are worked out one by one as the status does; the rest in bulk
    // so are the registered members of lots to rotate or rotated, whose status is their lot's
    const doubtful = new Set([
      ...(await this.deps.traceability.possiblySuspect()),
      ...(await this.deps.registry.equipmentWithEvents()),
      ...((await this.deps.lots?.equipmentToRotate(f.from)) ?? []),
    ]);
    const items = await this.dueOneByOne(f, doubtful, statusAt);
    // classification and policy depend only on category, usage and region: decide each once
    const decided = new Map<
      string,
      { classification: Classification; policy: VerificationPolicy | null; policyOn: (day: CalendarDate) => VerificationPolicy | null }
    >();
    for (const c of candidates) {
      if (doubtful.has(c.equipmentId)) continue;
      const key = `${c.category}|${c.usage}|${c.regionCode}`;
      let d = decided.get(key);
      if (!d) {
        const classification = classify(catalogue, { category: c.category, usage: c.usage, level: 'working_instrument' }, f.from);
        decided.set(key, (d = { classification, ...this.policiesOf(classification, policies, c.regionCode, f.from) }));
      }
      const status = statusOf({
        equipmentId: c.equipmentId,
        ...d,
        at: f.from,
        latest: c.latest,
        firstPassOn: c.firstPassOn,
      });
      if (isDueBy(status, f.to))
        items.push({
          status,
          name: c.name,
          ownerId: c.ownerId,
          ownerName: c.ownerName,
          regionCode: c.regionCode,
          category: c.category,
          usage: c.usage,
          assetCode: c.assetCode,
        });
    }
    return byDueDate(items);
  }

  /**
   * Each owner's mandatory instruments at a date and how many of them may not
   * be used (of those, how many are suspect): what integrity grading reads.
   * Every mandatory working instrument in use counts, verified once for life
   * or periodically; one withdrawn from use by its owner (suspended, scrapped)
   * counts in neither. The instruments that may not be used are the due list
   * of the day itself whose status says so: the count and the list cannot
   * disagree. One grouped count does the instruments without life events; an
   * instrument with events (its owner may have changed) is worked out one by
   * one, as the due list does.
   */
  async complianceCounts(f: {
    readonly at: CalendarDate;
    readonly ownerId?: string | undefined;
    readonly regionCode?: string | undefined;
  }): Promise<Map<string, ComplianceCounts>> {
    const catalogue = this.catalogue(f.at);
    const mandatory = mandatoryPairs(catalogue, await this.deps.store.listPolicies(), f.at, {});
    const prefix = f.regionCode === undefined ? undefined : regionPrefix(f.regionCode);
    const out = new Map<string, ComplianceCounts>();
    const of = (owner: string) => {
      let c = out.get(owner);
      if (!c) out.set(owner, (c = { mandatory: 0, notUsable: 0, suspect: 0 }));
      return c;
    };
    for (const [owner, n] of await this.deps.store.mandatoryCounts({ mandatory, regionPrefix: prefix, ownerId: f.ownerId })) of(owner).mandatory += n;
    // an instrument with events is worked out once, here and for the due list of the day below
    const worked = new Map<string, Promise<StatusView>>();
    const statusAt = (id: string) => {
      let v = worked.get(id);
      if (!v) worked.set(id, (v = this.status(id, f.at)));
      return v;
    };
    for (const id of await this.deps.registry.equipmentWithEvents()) {
      const v = await statusAt(id);
      const e = v.equipment;
      if (!v.status.classification.mandatory || e.level !== 'working_instrument' || v.status.state === 'withdrawn') continue;
      if ((f.ownerId !== undefined && e.ownerId !== f.ownerId) || (prefix !== undefined && !(v.ownerRegionCode ?? '').startsWith(prefix))) continue;
      of(e.ownerId).mandatory++;
    }
    for (const item of await this.dueWith({ from: f.at, to: f.at, ownerId: f.ownerId, regionCode: f.regionCode }, statusAt)) {
      if (isUsable(item.status) || item.status.state === 'withdrawn') continue;
      const c = of(item.ownerId);
      c.notUsable++;
      if (item.status.state === 'suspect') c.suspect++;
    }
    return out;
  }

  /**
   * An organisation's calendar read on `at`: its mandatory instruments' due
   * dates (and, on the day, those that may already not be used) and its
   * measurement standards' certificate and 考核证书 ends, `horizonDays` ahead.
   * A standard's certificate counts when it states its last valid day; one
   * retired or scrapped by then is left out.
   */
  async calendar(organisationId: string, at: CalendarDate, horizonDays = 365): Promise<CalendarEntry[]> {
    const due = await this.due({ from: at, to: addDays(at, horizonDays), ownerId: organisationId });
    const standards: StandardValidity[] = [];
    for (let after: string | null = null; ; ) {
      // what the organisation owns now, transferred-in standards included (the read scope follows transfers)
      const page = await this.deps.registry.listEquipment({ visibleTo: { kind: 'organisation', organisationId } }, { limit: 500, after });
      for (const registered of page.items) {
        if (registered.level === 'working_instrument') continue;
        const { equipment: e } = equipmentAt(registered, await this.deps.registry.listEvents(registered.id), at);
        if (e.status === 'retired' || e.ownerId !== organisationId) continue;
        const record = (await this.deps.traceability.trace(e.id, at)).chain.record;
        standards.push({ equipment: e, certificateNo: record?.certificateNo ?? null, validUntil: record?.validUntil ?? null, assessment: e.assessment });
      }
      if (page.lastId === null) break;
      after = page.lastId;
    }
    return calendarEntries({ at, horizonDays, due, standards });
  }

  /**
   * The due list as the registry gave it at an instant: every instrument
   * registered by then worked out one by one from what had been written by
   * that moment (records, corrections, findings, events, policies). Slower
   * than the list as known now, which a bulk query answers: for reproducing
   * an answer, not for the daily list.
   */
  private async dueAsKnownAt(f: DueFilter, asKnownAt: string): Promise<DueItem[]> {
    const ids = await this.deps.registry.instrumentsKnownAt(asKnownAt, { category: f.category, usage: f.usage });
    return byDueDate(await this.dueOneByOne(f, ids, (id) => this.status(id, f.from, asKnownAt)));
  }

  /** The instruments among `ids` due by the end of the horizon, each from its status at its start. */
  private async dueOneByOne(f: DueFilter, ids: Iterable<string>, statusAt: (id: string) => Promise<StatusView>): Promise<DueItem[]> {
    const items: DueItem[] = [];
    for (const id of ids) {
      const v = await statusAt(id);
      const e = v.equipment;
      if (!v.status.classification.mandatory || e.category === null) continue;
      if (
        (f.category !== undefined && e.category !== f.category) ||
        (f.usage !== undefined && e.usage !== f.usage) ||
        (f.ownerId !== undefined && e.ownerId !== f.ownerId)
      )
        continue;
      if (f.regionCode !== undefined && !(v.ownerRegionCode ?? '').startsWith(regionPrefix(f.regionCode))) continue;
      if (isDueBy(v.status, f.to))
        items.push({
          status: v.status,
          name: e.name,
          ownerId: e.ownerId,
          ownerName: v.ownerName ?? e.ownerId,
          regionCode: v.ownerRegionCode ?? '',
          category: e.category,
          usage: e.usage,
          assetCode: e.assetCode,
        });
    }
    return items;
  }

  /** Plans the due verifications of a horizon over the institutions' capacities, and keeps the plan. */
  async plan(req: PlanRequest): Promise<{ id: string; plan: Plan }> {
    const to = horizonEnd(req.from, req.months);
    const due = await this.due({ from: req.from, to, regionCode: req.regionCode ?? undefined, category: req.category ?? undefined });
    const capacities = await this.deps.store.listCapacities();
    const labs = await this.deps.registry.getOrganisationsMany([...new Set(capacities.map((c) => c.labId))]);
    const institutions = new Map<string, Institution & { capacities: LabCapacity[] }>();
    for (const c of capacities) {
      const lab = labs.get(c.labId);
      if (!lab) continue;
      const inst = institutions.get(c.labId) ?? { labId: c.labId, regionCode: lab.regionCode, capacities: [] };
      inst.capacities.push(c);
      institutions.set(c.labId, inst);
    }
    const plan = planVerifications({
      from: req.from,
      months: req.months,
      // a meter to be replaced is work for its owner, not for a verification lab (GET /v1/rotation-plan plans it)
      items: due
        .filter((d) => !isToBeReplaced(d.status))
        .map((d) => ({ equipmentId: d.status.equipmentId, category: d.category, regionCode: d.regionCode, dueOn: isUsable(d.status) ? d.status.dueOn : null })),
      institutions: [...institutions.values()],
    });
    await this.deps.store.insertPlan({ id: req.id, request: req, summary: plan.summary, plan });
    return { id: req.id, plan };
  }

  async getPlan(id: string): Promise<{ id: string; plan: Plan }> {
    const stored = (await this.deps.store.getPlan(id)) ?? fail('NOT_FOUND', '', `no verification plan has id '${id}'`);
    return { id, plan: stored.plan as Plan };
  }

  /** Interval recommendations from an equipment's history, by each method asked for. */
  async intervalRecommendation(
    equipmentId: string,
    at: CalendarDate,
    opts: IntervalOptions,
  ): Promise<{ equipment: Equipment; status: VerificationStatus; recommendations: IntervalRecommendation[] }> {
    const e = (await this.deps.registry.getEquipment(equipmentId)) ?? fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    const [owner, page, policies] = await Promise.all([
      this.deps.registry.getOrganisation(e.ownerId),
      this.deps.registry.listRecords({ subjectId: equipmentId }, { limit: 10_000, after: null }),
      this.deps.store.listPolicies(),
    ]);
    const records = page.items.filter((s) => s.supersededBy === null && s.record.performedOn <= at).map((s) => s.record);
    const classification = this.classify(e, at);
    const { policy, policyOn } = this.policiesOf(classification, policies, owner?.regionCode ?? '', at);
    const status = verificationStatus({ equipmentId, classification, policy, policyOn, records, at });
    if (policy && policy.form !== 'periodic')
      fail('NOT_APPLICABLE', '', `${classification.entry!.id} is verified once (${policy.form}); there is no periodic interval to adjust`);
    const legal = policy?.intervalMonths ?? null;
    const observations = observationsOf(e, records);
    const reliability = opts.reliability === undefined ? undefined : parsePositive(opts.reliability, '?reliability');
    const extension = opts.extension === undefined ? undefined : parsePositive(opts.extension, '?extension');
    const gaps = observations.filter((o) => o.elapsedDays !== null).map((o) => o.elapsedDays!);
    const initial =
      opts.initial !== undefined
        ? parsePositive(opts.initial, '?initial')
        : legal !== null
          ? new Decimal(legal)
          : gaps.length > 0
            ? new Decimal(gaps[0]!).div(DAYS_PER_MONTH).toDecimalPlaces(0)
            : new Decimal(12);
    const out: IntervalRecommendation[] = [];
    if (opts.method !== 'reliability_target')
      out.push(
        staircase(observations, {
          initialMonths: initial,
          legalMonths: legal,
          ...(extension ? { extension } : {}),
          ...(reliability ? { reliabilityTarget: reliability } : {}),
        }),
      );
    if (opts.method !== 'staircase')
      out.push(reliabilityTarget(observations, { legalMonths: legal, ...(reliability ? { reliabilityTarget: reliability } : {}) }));
    return { equipment: e, status, recommendations: out };
  }

  /** The as-found errors of an equipment's records, for its control chart. */
  async asFound(equipmentId: string): Promise<{ equipment: Equipment; points: AsFoundPoint[] }> {
    const e = (await this.deps.registry.getEquipment(equipmentId)) ?? fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
    const page = await this.deps.registry.listRecords({ subjectId: equipmentId }, { limit: 10_000, after: null });
    return {
      equipment: e,
      points: asFoundSeries(
        e,
        page.items.filter((s) => s.supersededBy === null).map((s) => s.record),
      ),
    };
  }
}

function view(status: VerificationStatus, equipment: Equipment, owner: Organisation | undefined, lab: Organisation | null, trace: TraceResult): StatusView {
  return { status, equipment, ownerName: owner?.name ?? null, ownerRegionCode: owner?.regionCode ?? null, lab, trace };
}

/** Earliest due first (never verified, with no due date, before all), then by id. */
/**
 * The (category, usage) pairs under mandatory verification at a date, each
 * with the shortest interval the catalogue or any local policy gives it (the
 * due-list query's superset filter) and whether it is verified once for a
 * limited life.
 */
function mandatoryPairs(
  catalogue: Catalogue,
  policies: readonly PolicyOverride[],
  at: CalendarDate,
  f: { readonly category?: string | undefined; readonly usage?: Usage | undefined },
): DueQuery['mandatory'] {
  return catalogue.entries
    .filter((e) => e.mandatoryVerification && (!e.mandatoryFrom || e.mandatoryFrom <= at) && (f.category === undefined || e.id === f.category))
    .flatMap((e) =>
      e.usages
        .filter((u) => f.usage === undefined || u === f.usage)
        .map((usage) => {
          const intervals = [e.intervalMonths, ...policies.filter((p) => p.category === e.id).map((p) => p.intervalMonths)].filter(
            (x): x is number => x !== null,
          );
          return {
            category: e.id,
            usage,
            shortestIntervalMonths: e.form === 'periodic' && intervals.length > 0 ? Math.min(...intervals) : null,
            serviceLife: e.form === 'initial_then_replace',
          };
        }),
    );
}

function byDueDate(items: DueItem[]): DueItem[] {
  return items.sort((a, b) => {
    const x = a.status.dueOn ?? '';
    const y = b.status.dueOn ?? '';
    return x < y ? -1 : x > y ? 1 : a.status.equipmentId < b.status.equipmentId ? -1 : 1;
  });
}
