/**
 * What the use cases need from storage. persistence/ implements these over
 * drizzle; tests may implement them in memory. No SQL here.
 */
import type { NumberedRecord } from '../core/verification/asked-document.ts';
import type { CalibrationRecord, Cmc, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
import type { ToleranceFinding } from '../core/traceability/chain.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { PolicyOverride } from '../core/verification/policy.ts';
import type { LabCapacity } from '../core/verification/planning.ts';
import type { ReadScope, Role } from '../core/access/roles.ts';
import type { EquipmentEvent } from '../core/registry/events.ts';
import type { InUseInspection } from '../core/supervision/inspection.ts';
import type { IntegrityMeasure } from '../core/supervision/integrity.ts';
import type { CmcVersion, ScopeVersion } from '../core/registry/versions.ts';
import type { FiledCertificate, FiledState, NewFiledDecision } from '../core/registry/filed-certificate.ts';
import type { Anchor, LedgerRow } from '../core/ledger/chain.ts';

export type { LabCapacity };
import type { EquipmentStatus, HierarchyLevel, OrganisationKind, QuantityKind, RecordKind, Usage } from '../core/registry/vocabulary.ts';

/** Keyset pagination: items after `after` (an id), ordered by id. */
export interface PageRequest {
  readonly limit: number;
  readonly after: string | null;
}

export interface Page<T> {
  readonly items: T[];
  /** The id to continue after, or null when this page is the last. */
  readonly lastId: string | null;
}

export interface OrganisationFilter {
  readonly kind?: OrganisationKind | undefined;
  readonly regionCode?: string | undefined;
}

export interface EquipmentFilter {
  readonly ownerId?: string | undefined;
  readonly quantity?: QuantityKind | undefined;
  readonly level?: HierarchyLevel | undefined;
  readonly category?: string | undefined;
  readonly usage?: Usage | undefined;
  readonly status?: EquipmentStatus | undefined;
  /** Compared as a printed identifier (core/registry/identifier.ts). */
  readonly assetCode?: string | undefined;
  /** Only what this read scope may see. */
  readonly visibleTo?: ReadScope | undefined;
}

export interface RecordFilter {
  readonly subjectId?: string | undefined;
  readonly labId?: string | undefined;
  readonly kind?: RecordKind | undefined;
  /** Compared as a printed identifier (core/registry/identifier.ts). */
  readonly certificateNo?: string | undefined;
  readonly referenceId?: string | undefined;
  /** Only what this read scope may see. */
  readonly visibleTo?: ReadScope | undefined;
}

/** A stored record with the id of the correction that supersedes it, if any. */
export interface StoredRecord {
  readonly record: CalibrationRecord;
  readonly supersededBy: string | null;
}

export interface UpwardClosure {
  readonly equipment: Map<string, Equipment>;
  readonly records: Map<string, CalibrationRecord[]>;
  readonly organisations: Map<string, Organisation>;
  readonly scopes: Map<string, LabScope[]>;
  readonly tolerance: Map<string, ToleranceFinding[]>;
  /** Each equipment's events, in the order recorded. */
  readonly events: Map<string, EquipmentEvent[]>;
}

/**
 * What the checks of a new record read, in one go: its subject and references,
 * its lab with the lab's scopes and CMCs as in force over time (as listScopes
 * and listCmcs give them), the record it corrects and the record already
 * holding its certificate number, if any.
 */
export interface RecordContext {
  readonly equipment: Map<string, Equipment>;
  readonly lab: Organisation | undefined;
  readonly scopes: LabScope[];
  readonly cmcs: Cmc[];
  readonly superseded: StoredRecord | undefined;
  readonly sameCertificate: StoredRecord | undefined;
}

/** Calibration records with their references and points, and the DCC sidecars filed beside them. */
export interface RecordStore {
  insertRecord(record: CalibrationRecord): Promise<void>;
  getRecord(id: string): Promise<StoredRecord | undefined>;
  /** The record with this certificate number, compared as a printed identifier (core/registry/identifier.ts). */
  recordByCertificate(certificateNo: string): Promise<StoredRecord | undefined>;

  /** Which of these records a read scope may see. */
  visibleRecords(ids: readonly string[], scope: ReadScope): Promise<Set<string>>;
  listRecords(filter: RecordFilter, page: PageRequest): Promise<Page<StoredRecord>>;

  insertSidecar(recordId: string, document: unknown): Promise<void>;
  getSidecar(recordId: string): Promise<unknown | undefined>;
}

/** The traceability closure queries, and the out-of-tolerance findings whose impact they trace. */
export interface TraceabilityStore {
  /**
   * Everything a resolution at `at` reads, in one go: the equipment reachable
   * upwards through the current (not superseded) record in force at each date of
   * use, with those records (and every current record of the roots), their labs,
   * scopes and out-of-tolerance findings; the roots' owners are among the organisations.
   */
  /**
   * `asKnownAt` (an instant): only what had been written by then — the answer the registry gave at that moment.
   * `roots: 'references'`: the roots are standards used on `at` (a new record's references), not the
   * instruments asked about: each keeps only its record in force on `at`, as every other link, and the
   * closure is the chains a resolution of that use reads (a standard's whole history is not).
   */
  loadUpwardClosure(
    rootIds: readonly string[],
    maxEquipment: number,
    at: CalendarDate,
    asKnownAt?: string | null,
    roots?: ClosureRoots,
  ): Promise<UpwardClosure>;

  /** Current records naming any of the given references, performed on or after that reference's date. */
  recordsUsingSince(references: ReadonlyArray<readonly [string, string]>): Promise<CalibrationRecord[]>;

  insertToleranceFinding(finding: StoredToleranceFinding): Promise<void>;
  /** The out-of-tolerance findings against an equipment, or against any when none is named, by date found. */
  listToleranceFindings(equipmentId?: string): Promise<StoredToleranceFinding[]>;
}

/**
 * The registry: organisations, lab scopes and CMCs with their amendments,
 * equipment and its events; with the records and the traceability queries of
 * the same database, so a use case holds one port for all of them.
 */
export interface RegistryStore extends RecordStore, TraceabilityStore {
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (store: RegistryStore) => Promise<T>): Promise<T>;

  /** What the checks of this record read (every write of a record asks this first), in one statement. */
  recordContext(record: Pick<CalibrationRecord, 'subjectId' | 'referenceIds' | 'labId' | 'supersedes' | 'certificateNo'>): Promise<RecordContext>;

  insertOrganisation(org: Organisation): Promise<void>;
  getOrganisation(id: string): Promise<Organisation | undefined>;
  getOrganisationsMany(ids: readonly string[]): Promise<Map<string, Organisation>>;
  listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>>;

  insertScope(scope: LabScope): Promise<void>;
  /**
   * A lab's scopes as in force over time (core/registry/versions.ts periods):
   * each version's content with its validity clipped to the days it is in
   * force, withdrawn days left out — so a check of a day by validity reads the
   * version in force on it.
   */
  listScopes(labId: string): Promise<LabScope[]>;
  /** Every scope of a lab with its versions (as created, then amendments), in version order. */
  scopeHistories(labId: string): Promise<ScopeVersion[][]>;
  /** One scope's versions, or undefined when there is no such scope. */
  scopeHistory(scopeId: string): Promise<ScopeVersion[] | undefined>;
  /** Appends an amendment (version 2, 3, …) of a scope, with its ledger entry. */
  insertScopeAmendment(version: ScopeVersion): Promise<void>;

  insertCmc(cmc: Cmc): Promise<void>;
  /** A lab's CMCs as in force over time, as listScopes. */
  listCmcs(labId: string): Promise<Cmc[]>;
  cmcHistories(labId: string): Promise<CmcVersion[][]>;
  cmcHistory(cmcId: string): Promise<CmcVersion[] | undefined>;
  insertCmcAmendment(version: CmcVersion): Promise<void>;

  /** Registrations, in this order, in this order, each with its ledger entry, in one savepoint: one registration or a batch of an import. */
  insertEquipmentMany(equipment: readonly Equipment[]): Promise<void>;
  /** The equipment registered under these owners' asset codes, compared as printed identifiers (core/registry/identifier.ts). */
  equipmentByAssetCodes(codes: ReadonlyArray<{ readonly ownerId: string; readonly assetCode: string }>): Promise<Equipment[]>;
  getEquipment(id: string): Promise<Equipment | undefined>;
  getEquipmentMany(ids: readonly string[]): Promise<Map<string, Equipment>>;
  listEquipment(filter: EquipmentFilter, page: PageRequest): Promise<Page<Equipment>>;

  /** Which of these equipment a read scope may see (those that exist and are visible). */
  visibleEquipment(ids: readonly string[], scope: ReadScope): Promise<Set<string>>;

  /** Appends an equipment event (who recorded it: a key and its organisation). */
  insertEvent(event: EquipmentEvent, by: { readonly keyId: string | null; readonly organisationId: string | null }): Promise<void>;
  /** An equipment's events, in the order recorded. */
  listEvents(equipmentId: string): Promise<EquipmentEvent[]>;
  /** The equipment that have any event (few: their state at a date is worked out one by one). */
  equipmentWithEvents(): Promise<Set<string>>;
  /** The instruments with a catalogue category registered by an instant, as the due list filters them. */
  instrumentsKnownAt(asKnownAt: string, filter: { readonly category?: string | undefined; readonly usage?: string | undefined }): Promise<string[]>;
}

/** A mandatory instrument that may be due, with what its status needs. */
export interface DueCandidate {
  readonly equipmentId: string;
  readonly name: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly regionCode: string;
  readonly category: string;
  readonly usage: Usage;
  readonly assetCode: string | null;
  /** The latest current verification performed on or before the date, if any. */
  readonly latest: CalibrationRecord | null;
  /** The first passed verification, for service-life categories. */
  readonly firstPassOn: CalendarDate | null;
}

export interface DueQuery {
  readonly at: CalendarDate;
  /** Only instruments whose record may fall due by this date (a superset filter; the core decides). */
  readonly dueBy: CalendarDate;
  /** The (category, usage) pairs that make verification mandatory, with the shortest interval any policy gives. */
  readonly mandatory: ReadonlyArray<{
    readonly category: string;
    readonly usage: Usage;
    readonly shortestIntervalMonths: number | null;
    readonly serviceLife: boolean;
  }>;
  readonly regionPrefix?: string | undefined;
  readonly ownerId?: string | undefined;
  readonly category?: string | undefined;
  readonly usage?: Usage | undefined;
}

/** Which mandatory instruments to count, per owner (what integrity grading reads). */
export interface MandatoryCountQuery {
  readonly mandatory: DueQuery['mandatory'];
  readonly regionPrefix?: string | undefined;
  readonly ownerId?: string | undefined;
}

export interface StoredPlan {
  readonly id: string;
  readonly request: unknown;
  readonly summary: unknown;
  readonly plan: unknown;
  readonly createdAt: string;
}

/**
 * What a process keeping answers worked out from the status facts (the label
 * cache) is told by the database it reads: `changed` after a commit, by any
 * process, that may have changed them (the notifications of migration 0044),
 * `watching(true)` once it listens (again), and `watching(false)` when it
 * knows it has stopped listening (the connection seen closed). A connection
 * that hangs without closing, or a pooler that drops notifications, goes
 * unseen: the answers kept are bounded in time besides (KNOWN_VERSION_MS).
 */
/** What the roots of an upward closure are: instruments asked about (their whole history), or standards used on a day (links like any other). */
export type ClosureRoots = 'instruments' | 'references';

export interface StatusFactsListener {
  changed(): void;
  watching(up: boolean): void;
}

export interface VerificationStore {
  /** One transaction over the verification tables and the registry together. */
  transaction<T>(work: (store: VerificationStore, registry: RegistryStore) => Promise<T>): Promise<T>;
  insertPolicy(policy: PolicyOverride): Promise<void>;
  /** The local policies; with `asKnownAt` (an instant), those written by then. */
  listPolicies(category?: string, asKnownAt?: string | null): Promise<PolicyOverride[]>;
  /**
   * A text that changes whenever anything a status or a label is worked out
   * from is written, in any process: the ledger's head (every record,
   * correction, finding, event, registration) and the number of local
   * policies (append-only, not ledgered). Equal texts: the same facts.
   */
  statusFactsVersion(): Promise<string>;
  insertCapacity(capacity: LabCapacity): Promise<void>;
  listCapacities(): Promise<LabCapacity[]>;
  insertPlan(plan: Omit<StoredPlan, 'createdAt'>): Promise<void>;
  getPlan(id: string): Promise<StoredPlan | undefined>;
  /** The candidates of a due list, in no particular order (the use case sorts them). */
  dueCandidates(query: DueQuery): Promise<DueCandidate[]>;
  /**
   * The number of working instruments of each owner whose (category, usage)
   * is mandatory, not retired, with no life event (their owner and state are
   * worked out from the events one by one, as the due list does).
   */
  mandatoryCounts(query: MandatoryCountQuery): Promise<Map<string, number>>;
  /** Equipment ids with this asset code (asset codes are unique per owner). */
  equipmentByAssetCode(assetCode: string, ownerId?: string): Promise<string[]>;
  /**
   * The records carrying a certificate number, or a label number (合格证号;
   * labs may reuse one, so of several instruments), compared as printed
   * identifiers; superseded ones too, each with the certificate number of the
   * correction in force at the end of its chain of corrections; as known at
   * `asKnownAt` when given. Ordered by instrument, then performance date.
   */
  numberedRecords(by: { readonly certificateNo: string } | { readonly labelNo: string }, asKnownAt: string | null): Promise<NumberedRecord[]>;
}

export interface StoredInventory {
  readonly id: string;
  readonly organisationId: string;
  readonly version: number;
  readonly document: unknown;
  readonly createdAt: string;
}

/** An out-of-tolerance finding as recorded: its id and remarks with it. */
export type StoredToleranceFinding = ToleranceFinding & { readonly id: string; readonly remarks: string | null };

export interface StoredAudit {
  readonly id: string;
  readonly organisationId: string;
  readonly at: CalendarDate;
  readonly inventoryId: string;
  readonly rulesVersion: string;
  readonly input: unknown;
  readonly result: unknown;
  readonly createdAt: string;
}

export interface EnergyStore {
  transaction<T>(work: (store: EnergyStore, registry: RegistryStore) => Promise<T>): Promise<T>;
  insertInventory(inv: Omit<StoredInventory, 'createdAt'>): Promise<void>;
  latestInventory(organisationId: string): Promise<StoredInventory | undefined>;
  getInventory(id: string): Promise<StoredInventory | undefined>;
  insertAudit(audit: Omit<StoredAudit, 'createdAt'>): Promise<void>;
  getAudit(id: string): Promise<StoredAudit | undefined>;
  listAudits(organisationId: string): Promise<StoredAudit[]>;
}

/** Every store over one transaction: what a multi-area write (a data set load) needs. */
export interface FiledCertificateFilter {
  readonly subjectId?: string | undefined;
  readonly labId?: string | undefined;
  readonly state?: FiledState | undefined;
  /** Only what this read scope may see. */
  readonly visibleTo?: ReadScope | undefined;
}

/** Certificates owners filed on a lab's behalf, and the one decision on each (append-only). */
export interface FiledCertificateStore {
  insert(filed: Omit<FiledCertificate, 'decision' | 'filedAt'>): Promise<void>;
  get(id: string): Promise<FiledCertificate | undefined>;
  /** A filing of this certificate number (compared as a printed identifier) that is pending or confirmed. */
  standingByCertificate(certificateNo: string): Promise<FiledCertificate | undefined>;
  list(filter: FiledCertificateFilter, page: PageRequest): Promise<Page<FiledCertificate>>;
  decide(filedId: string, decision: NewFiledDecision): Promise<void>;
}

/** A spot-check plan as stored: what was published, and the draw. */
export interface PlanRow {
  readonly id: string;
  readonly regulatorId: string;
  readonly title: string;
  readonly unit: 'instrument' | 'organisation';
  readonly drawDate: CalendarDate;
  readonly seed: string;
  /** The plan's filter, weights, samples, inspectors per target and cooling-off months, as published (JSON). */
  readonly rules: unknown;
  readonly inspectors: unknown;
  readonly pastInspections: unknown;
  /** The population's digest text (core/supervision/draw.ts). */
  readonly population: string;
  readonly populationHash: string;
  readonly populationSize: number;
  /** The draw's result (JSON). */
  readonly result: unknown;
  readonly drawnByKey: string | null;
  readonly createdAt: string;
  readonly closedOn: CalendarDate | null;
}

/** One unit a draw may pick from, as registered (the caller applies the events up to the draw date). */
export interface DrawCandidate {
  readonly id: string;
  readonly organisationId: string;
  readonly region: string;
  readonly category: string | null;
  readonly usage: string | null;
  readonly status: string;
}

export interface InspectionFilter {
  readonly equipmentId?: string;
  readonly organisationIds?: readonly string[];
  readonly planId?: string;
  /** Inspected after this day. */
  readonly from?: CalendarDate;
  /** Inspected on or before this day. */
  readonly to?: CalendarDate;
  readonly asKnownAt?: string | null;
}

/** In-use inspections, spot-check plans and integrity measures (append-only, ledgered). */
export interface SupervisionStore {
  insertInspection(i: InUseInspection, keyId: string | null): Promise<void>;
  getInspection(id: string): Promise<(InUseInspection & { readonly recordedAt: string }) | undefined>;
  listInspections(f: InspectionFilter): Promise<Array<InUseInspection & { readonly recordedAt: string }>>;
  insertPlan(p: Omit<PlanRow, 'createdAt' | 'closedOn'>): Promise<void>;
  getPlan(id: string): Promise<PlanRow | undefined>;
  listPlans(regulatorId: string | null): Promise<Array<Omit<PlanRow, 'population' | 'pastInspections' | 'inspectors'>>>;
  closePlan(planId: string, closedOn: CalendarDate, keyId: string | null): Promise<void>;
  drawCandidates(f: {
    unit: 'instrument' | 'organisation';
    regionPrefix: string;
    organisationKinds?: readonly string[];
    category?: string;
    usage?: string;
  }): Promise<DrawCandidate[]>;
  failedVerifications(ownerIds: readonly string[], from: CalendarDate, to: CalendarDate): Promise<Map<string, number>>;
  insertMeasure(m: IntegrityMeasure, keyId: string | null): Promise<void>;
  listMeasures(organisationIds?: readonly string[]): Promise<IntegrityMeasure[]>;
}

export interface Stores {
  readonly supervision: SupervisionStore;
  readonly registry: RegistryStore;
  readonly filed: FiledCertificateStore;
  readonly verification: VerificationStore;
  readonly energy: EnergyStore;
}

export interface UnitOfWork {
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}

/** An API key as stored: never the secret, only its hash. */
export interface StoredKey {
  readonly id: string;
  readonly secretHash: string;
  readonly role: Role;
  readonly organisationId: string | null;
  readonly label: string;
  readonly expiresOn: CalendarDate | null;
  readonly revokedAt: string | null;
  readonly createdAt: string;
  /** null: an API key; 'calendar_feed': a read-only token that opens only its organisation's calendar feed. */
  readonly purpose: KeyPurpose;
  /** For a calendar feed: the key that asked for it (its revocation or expiry ends the feed). */
  readonly issuedByKey: string | null;
}

export type KeyPurpose = null | 'calendar_feed';

/** One line of the audit log: who (which key, or the public) did what, and how it ended. */
export interface AuditEntry {
  readonly keyId: string | null;
  readonly role: Role | 'public';
  readonly organisationId: string | null;
  readonly method: string;
  readonly route: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: number;
  readonly outcome: 'ok' | 'refused' | 'denied' | 'failed';
  readonly address: string;
  readonly requestId: string;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly seq: number;
  readonly at: string;
}

export interface AuditQuery {
  readonly keyId?: string | undefined;
  readonly organisationId?: string | undefined;
  /** Entries after this sequence number (for paging). */
  readonly afterSeq?: number | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly limit: number;
}

export interface AccessStore {
  insertKey(key: Omit<StoredKey, 'createdAt' | 'revokedAt'>): Promise<void>;
  getKey(id: string): Promise<StoredKey | undefined>;
  listKeys(): Promise<StoredKey[]>;
  /** Sets revoked_at once; false when the key was already revoked. */
  revokeKey(id: string): Promise<boolean>;
  appendAudit(entry: AuditEntry): Promise<void>;
  queryAudit(q: AuditQuery): Promise<StoredAuditEntry[]>;
}

/** The evidence ledger as the verifier reads it (hashes recomputed by the database). */
export interface LedgerStore {
  /** Entries after `afterSeq`, in order, with their content and own hash recomputed and their MAC. */
  entries(afterSeq: number, limit: number): Promise<LedgerRow[]>;
  /** Evidence rows with no ledger entry (written behind the application's back): the count and a few. */
  unledgered(limit: number): Promise<{ count: number; examples: Array<{ kind: string; id: string }> }>;
  /** The seals over entries written before MACs existed (key id and MAC null while awaiting a key). */
  seals(): Promise<LedgerSeal[]>;
  /** The newest entry: the head to anchor. */
  head(): Promise<{ seq: number; hash: string } | null>;
}

export interface LedgerSeal {
  readonly throughSeq: number;
  readonly throughHash: string;
  readonly keyId: string | null;
  readonly mac: string | null;
  readonly sealedAt: string | null;
}

/**
 * The ledger key ring, held outside the database: the newest key signs, every
 * key still verifies. HMAC-SHA256, hex.
 */
export interface LedgerKeys {
  /** The key new MACs are made with; null when no key is available (nothing is signed, nothing can be checked). */
  readonly signingKeyId: string | null;
  /** Where the keys came from (a file), for reports; null when none. */
  readonly source: string | null;
  /** The MAC of `message` under the signing key; null when there is none. */
  sign(message: string): { keyId: string; mac: string } | null;
  /** Whether `mac` is the MAC of `message` under the key `keyId`. */
  check(keyId: string, message: string, mac: string): 'ok' | 'bad' | 'unknown_key';
}

/** Signed heads kept outside the database (an append-only file a second party copies). */
export interface AnchorLog {
  /** Where the anchors are kept, for reports. */
  readonly source: string;
  /** Every anchor, in the order they were written. */
  read(): Promise<Anchor[]>;
  append(anchor: Anchor): Promise<void>;
}

/** A lot of meters in service as stored (core/sampling/lot.ts). */
export interface LotRow {
  readonly id: string;
  readonly ownerId: string;
  readonly category: string;
  readonly model: string;
  readonly patternApprovalNo: string | null;
  readonly manufacturer: string;
  readonly batch: string | null;
  readonly installedFrom: CalendarDate;
  readonly installedTo: CalendarDate;
  readonly region: string;
  readonly size: number;
  readonly registeredOn: CalendarDate;
}

/** A sampling plan drawn on a lot, as published. */
export interface LotPlanRow {
  readonly id: string;
  readonly lotId: string;
  readonly plannedOn: CalendarDate;
  readonly seed: string;
  readonly level: string;
  readonly aql: string;
  readonly severity: 'normal' | 'tightened' | 'reduced';
  readonly scheme: { readonly state: string; readonly switchingScore: number; readonly reason: string; readonly lotsInHistory: number };
  /** attributes (GB/T 2828.1, Ac and Re) or variables (ANSI/ASQ Z1.9 s method, k). */
  readonly method: 'attributes' | 'variables';
  readonly codeLetter: string;
  readonly planLetter: string;
  readonly tableSampleSize: number;
  readonly sampleSize: number;
  /** Ac and Re of an attributes plan; null for a variables plan. */
  readonly acceptance: number | null;
  readonly rejection: number | null;
  /** k of a variables plan (a decimal string as printed); null for an attributes plan. */
  readonly acceptabilityConstant: string | null;
  /**
   * The in-service MPE of a variables plan (a decimal string), fixed when it is drawn: its results are
   * judged against it. Null for an attributes plan, and for a variables plan drawn before the MPE was fixed.
   */
  readonly mpe: string | null;
  readonly hundredPercent: boolean;
  readonly populationHash: string;
  readonly sample: ReadonlyArray<{ readonly serial: string; readonly key: string }>;
  readonly regulatorId: string | null;
}

export interface LotResultRow {
  readonly planId: string;
  readonly recordedOn: CalendarDate;
  readonly meters: ReadonlyArray<Record<string, unknown> & { readonly serial: string; readonly conforming: boolean; readonly reason: string }>;
  readonly inspected: number;
  readonly nonconforming: number;
  readonly decision: 'accept' | 'reject';
  readonly rule: string;
  /** A variables plan's figures, decimals as strings; null for an attributes plan. */
  readonly statistics: VariablesStatistics | null;
}

/** The figures a variables decision rests on (decimals as strings, at the working precision). */
export interface VariablesStatistics {
  readonly mean: string;
  readonly standardDeviation: string;
  readonly qUpper: string | null;
  readonly qLower: string | null;
  readonly k: string;
  readonly lower: string;
  readonly upper: string;
  readonly outside: number;
}

/** Lots, their members, plans, results and rotations (append-only, ledgered). */
export interface LotStore {
  insertLot(lot: LotRow, members: ReadonlyArray<{ serial: string; equipmentId: string | null }>, keyId: string | null): Promise<void>;
  getLot(id: string): Promise<LotRow | undefined>;
  members(lotId: string): Promise<Array<{ serial: string; equipmentId: string | null }>>;
  equipmentInLots(ids: readonly string[]): Promise<string[]>;
  insertPlan(p: LotPlanRow, keyId: string | null): Promise<void>;
  getPlan(id: string): Promise<LotPlanRow | undefined>;
  plansOf(lotId: string): Promise<Array<LotPlanRow & { result: LotResultRow | null }>>;
  decidedHistory(ownerId: string, category: string, model: string, before: CalendarDate): Promise<Array<LotPlanRow & { result: LotResultRow }>>;
  insertResult(r: LotResultRow, keyId: string | null): Promise<void>;
  rotation(lotId: string): Promise<{ rotatedOn: CalendarDate; remarks: string | null } | undefined>;
  insertRotation(lotId: string, rotatedOn: CalendarDate, remarks: string | null, keyId: string | null): Promise<void>;
  /** The lot a registered equipment is a member of, and its serial there (as known at an instant, when given). */
  lotOfEquipment(equipmentId: string, asKnownAt?: string | null): Promise<{ lotId: string; serial: string } | undefined>;
  /**
   * Lots (of a region by prefix, an owner, or by id) with what their state is
   * worked out from: plans with their decisions, and the rotation. No member
   * is read: a lot's size is kept with it.
   */
  lotFacts(filter: {
    readonly regionPrefix?: string | undefined;
    readonly ownerId?: string | undefined;
    readonly ids?: readonly string[] | undefined;
    readonly asKnownAt?: string | null | undefined;
  }): Promise<LotFactsRow[]>;
  /** The members of the given lots that are registered equipment. */
  equipmentMembers(lotIds: readonly string[]): Promise<Array<{ lotId: string; equipmentId: string }>>;
}

/** A lot with the plans, decisions and rotation its state is worked out from. */
export interface LotFactsRow {
  readonly lot: LotRow;
  readonly plans: ReadonlyArray<{
    readonly id: string;
    readonly plannedOn: CalendarDate;
    readonly result: { readonly recordedOn: CalendarDate; readonly decision: 'accept' | 'reject' } | null;
  }>;
  readonly rotatedOn: CalendarDate | null;
}
