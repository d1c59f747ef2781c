/**
 * Registry use cases: take the domain values the edge read from the caller's
 * JSON (codecs/registry.ts, against the contracts), check them against the
 * domain rules and the stored rows, and write them in one transaction. A
 * rejected input leaves nothing behind.
 */
import { fail } from '../core/errors.ts';
import { identifierKey } from '../core/registry/identifier.ts';
import { checkEvent, checkEventWriter, type EquipmentEvent, equipmentAt, type EquipmentState } from '../core/registry/events.ts';
import {
  checkAuthority,
  checkCmc,
  checkCmcDeclaration,
  checkDecision,
  checkEquipment,
  checkIssuer,
  checkMandatoryVerification,
  checkNotFuture,
  checkRecord,
  checkReferences,
  checkScope,
  checkUncertaintyAgainstReferences,
  pointDecisions,
} from '../core/registry/rules.ts';
import { PERFORMING_KINDS } from '../core/registry/vocabulary.ts';
import { requireOwnOrganisation, type Caller } from '../core/access/roles.ts';
import { authorised } from '../core/traceability/chain.ts';
import type { VerificationChart } from '../core/traceability/chart.ts';
import { type Catalogue, catalogueAt, checkCategory, classifyAt } from '../core/verification/catalogue.ts';
import type { CalibrationRecord, Cmc, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { NewId } from '../codecs/registry.ts';
import {
  type AmendmentHead,
  amendCmc,
  amendScope,
  type CmcChanges,
  type CmcVersion,
  inForceAt,
  type ScopeChanges,
  type ScopeVersion,
} from '../core/registry/versions.ts';
import type { EquipmentFilter, OrganisationFilter, Page, PageRequest, RecordFilter, RegistryStore, StoredRecord, UpwardClosure } from './ports.ts';
import { MAX_EQUIPMENT, traceGraph } from './traceability.ts';

/** The reference data and the calendar the registry's rules read. */
export interface RegistryRules {
  readonly catalogues: readonly Catalogue[];
  readonly charts: readonly VerificationChart[];
  /** Today's date where the registry is: nothing that has happened is dated after it. */
  readonly today: () => CalendarDate;
}

/** An amendment of a scope or CMC as read from its contract: its head, and the fields that change. */
export interface Amendment<Changes> {
  readonly head: AmendmentHead;
  readonly changes: Changes;
}

export interface RegistryDeps extends RegistryRules {
  readonly store: RegistryStore;
  readonly newId: NewId;
}

export class RegistryService {
  constructor(private readonly deps: RegistryDeps) {}

  get store(): RegistryStore {
    return this.deps.store;
  }

  /** The ids drawn for what a caller leaves unnamed: the edge reads a resource's contract with it (codecs/registry.ts). */
  get newId(): NewId {
    return this.deps.newId;
  }

  async createOrganisation(org: Organisation): Promise<Organisation> {
    return this.deps.store.transaction(async (store) => {
      await store.insertOrganisation(org);
      return org;
    });
  }

  async getOrganisation(id: string): Promise<Organisation> {
    return (await this.deps.store.getOrganisation(id)) ?? fail('NOT_FOUND', '', `no organisation has id '${id}'`);
  }

  listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>> {
    return this.deps.store.listOrganisations(filter, page);
  }

  async createScope(scope: LabScope): Promise<LabScope> {
    return this.deps.store.transaction((store) => this.addScope(store, scope));
  }

  /**
   * Checks and adds a scope within the caller's transaction (`store` is bound
   * to it): what `POST /v1/organisations/{id}/scopes` does, and what a scope
   * register import does for each of its new rows.
   */
  async addScope(store: RegistryStore, scope: LabScope): Promise<LabScope> {
    checkScope(scope, await store.getOrganisation(scope.labId));
    if (scope.issuedBy) checkIssuer(scope.issuedBy, await store.getOrganisation(scope.issuedBy));
    await store.insertScope(scope);
    return scope;
  }

  /** A lab's scopes in force on a day: each scope's version then, unless withdrawn, valid that day. */
  async listScopes(labId: string, at: CalendarDate): Promise<LabScope[]> {
    await this.getOrganisation(labId);
    return (await this.deps.store.scopeHistories(labId)).map((h) => inForceAt(h, at)).filter((s) => s !== null);
  }

  /** Every version of one of a lab's scopes, as created first. */
  async scopeVersions(labId: string, scopeId: string): Promise<ScopeVersion[]> {
    return this.scopeHistory(this.deps.store, labId, scopeId);
  }

  private async scopeHistory(store: RegistryStore, labId: string, scopeId: string): Promise<ScopeVersion[]> {
    const history = await store.scopeHistory(scopeId);
    if (!history || history[0]!.state!.labId !== labId) fail('NOT_FOUND', '', `'${labId}' has no scope with id '${scopeId}'`);
    return history;
  }

  /**
   * Amends or withdraws a lab's scope from a date: appends a version (core/
   * registry/versions.ts), after the version before it, checked as a scope is
   * (range, validity, the issuing regulator), in one transaction with the
   * reads that checked it.
   */
  async amendScope(labId: string, scopeId: string, amendment: Amendment<ScopeChanges>): Promise<ScopeVersion> {
    return this.deps.store.transaction((store) => this.amendScopeWithin(store, labId, scopeId, amendment));
  }

  /** Amends or withdraws a scope within the caller's transaction: what `amendScope` does, for a register import's changed row. */
  async amendScopeWithin(store: RegistryStore, labId: string, scopeId: string, { head, changes }: Amendment<ScopeChanges>): Promise<ScopeVersion> {
    const version = amendScope(await this.scopeHistory(store, labId, scopeId), head, changes);
    if (changes.issuedBy) checkIssuer(changes.issuedBy, await store.getOrganisation(changes.issuedBy));
    await store.insertScopeAmendment(version);
    return version;
  }

  /** Declares a lab's calibration and measurement capability (CMC). */
  async createCmc(cmc: Cmc): Promise<Cmc> {
    checkCmcDeclaration(cmc);
    return this.deps.store.transaction((store) => this.declareCmc(store, cmc));
  }

  /**
   * Checks the lab and declares a CMC within the caller's transaction: what
   * `POST /v1/organisations/{id}/cmcs` does, and what a CMC register import
   * does for each of its new rows.
   */
  async declareCmc(store: RegistryStore, cmc: Cmc): Promise<Cmc> {
    const lab = await store.getOrganisation(cmc.labId);
    if (!lab) fail('NOT_FOUND', '', `no organisation has id '${cmc.labId}'`);
    if (!PERFORMING_KINDS.includes(lab.kind)) fail('WRONG_ORGANISATION_KIND', '', `'${lab.id}' is a ${lab.kind}; only a lab or institute declares CMCs`);
    await store.insertCmc(cmc);
    return cmc;
  }

  /** A lab's CMCs in force on a day. */
  async listCmcs(labId: string, at: CalendarDate): Promise<Cmc[]> {
    await this.getOrganisation(labId);
    return (await this.deps.store.cmcHistories(labId)).map((h) => inForceAt(h, at)).filter((c) => c !== null);
  }

  async cmcVersions(labId: string, cmcId: string): Promise<CmcVersion[]> {
    return this.cmcHistory(this.deps.store, labId, cmcId);
  }

  private async cmcHistory(store: RegistryStore, labId: string, cmcId: string): Promise<CmcVersion[]> {
    const history = await store.cmcHistory(cmcId);
    if (!history || history[0]!.state!.labId !== labId) fail('NOT_FOUND', '', `'${labId}' has no CMC with id '${cmcId}'`);
    return history;
  }

  /** Amends or withdraws a lab's CMC from a date, as a scope. */
  async amendCmc(labId: string, cmcId: string, amendment: Amendment<CmcChanges>): Promise<CmcVersion> {
    return this.deps.store.transaction((store) => this.amendCmcWithin(store, labId, cmcId, amendment));
  }

  /** Amends or withdraws a CMC within the caller's transaction, as amendScopeWithin. */
  async amendCmcWithin(store: RegistryStore, labId: string, cmcId: string, { head, changes }: Amendment<CmcChanges>): Promise<CmcVersion> {
    const version = amendCmc(await this.cmcHistory(store, labId, cmcId), head, changes);
    await store.insertCmcAmendment(version);
    return version;
  }

  /** Whether verification of an equipment is mandatory at a date (the State catalogue in force then decides). */
  mandatory(e: Equipment, at: CalendarDate): boolean {
    return classifyAt(this.deps.catalogues, e, at).mandatory;
  }

  /**
   * The legal interval (months) of a periodically verified instrument at a date,
   * from the catalogue in force: what dates a record of it that states no
   * validity (core/registry/validity.ts). A local policy may shorten it, never
   * lengthen it; a measurement standard has none, so a calibration of one
   * without a date vouches for its own day only.
   */
  intervalMonths(e: Equipment, at: CalendarDate): number | null {
    const c = classifyAt(this.deps.catalogues, e, at);
    return c.mandatory && c.entry?.form === 'periodic' ? c.entry.intervalMonths : null;
  }

  async createEquipment(e: Equipment): Promise<Equipment> {
    return this.deps.store.transaction((store) => this.registerEquipment(store, e));
  }

  /**
   * Checks and registers an equipment within the caller's transaction (`store`
   * is bound to it), with its ledger entry: what `POST /v1/equipment` does —
   * a batch of one (registrations below), as a register import writes many.
   */
  async registerEquipment(store: RegistryStore, e: Equipment): Promise<Equipment> {
    const batch = await this.equipmentRegistrations(store, [e]);
    batch.add(e);
    await batch.write();
    return e;
  }

  /**
   * Registrations of equipment checked together and written together: what
   * the rows name (owners, asset codes, ids) is read in one go, each
   * registration is then checked in memory by the rules of registerEquipment
   * (add), seeing those added before it, and those accepted are written by
   * one multi-row insert with their ledger entries in order (write).
   */
  async equipmentRegistrations(store: RegistryStore, es: readonly Equipment[]): Promise<EquipmentRegistrations> {
    const [organisations, byCode, byId] = await Promise.all([
      store.getOrganisationsMany([...new Set(es.map((e) => e.ownerId))]),
      store.equipmentByAssetCodes(es.flatMap((e) => (e.assetCode === null ? [] : [{ ownerId: e.ownerId, assetCode: e.assetCode }]))),
      store.getEquipmentMany([...new Set(es.map((e) => e.id))]),
    ]);
    return new EquipmentRegistrations(store, organisations, catalogueAt(this.deps.catalogues, this.deps.today()), [...byCode, ...byId.values()]);
  }

  async getEquipment(id: string): Promise<Equipment> {
    return (await this.deps.store.getEquipment(id)) ?? fail('NOT_FOUND', '', `no equipment has id '${id}'`);
  }

  /**
   * Records a change in an equipment's life (core/registry/events.ts): by its
   * owner on the effective date or an admin, following its history, in one
   * transaction with the reads that checked it.
   */
  async recordEvent(caller: Caller, event: EquipmentEvent): Promise<EquipmentEvent> {
    return this.appendEvent(caller, event);
  }

  /**
   * An event of a data set being loaded (the demo, `metrotrace seed`): written
   * by whoever loads the data set, so no key is its author; checked against
   * the history like any other.
   */
  async loadEvent(event: EquipmentEvent): Promise<EquipmentEvent> {
    return this.appendEvent(null, event);
  }

  private async appendEvent(caller: Caller | null, event: EquipmentEvent): Promise<EquipmentEvent> {
    const { equipmentId } = event;
    return this.deps.store.transaction(async (store) => {
      const registered = (await store.getEquipment(equipmentId)) ?? fail('NOT_FOUND', '', `no equipment has id '${equipmentId}'`);
      const history = await store.listEvents(equipmentId);
      if (caller) checkEventWriter(caller, equipmentAt(registered, history, event.effectiveOn).equipment.ownerId, event);
      const owners = event.newOwnerId ? await store.getOrganisationsMany([event.newOwnerId]) : new Map();
      checkEvent(registered, history, event, this.deps.today(), (id) => owners.has(id));
      await store.insertEvent(
        event,
        caller?.kind === 'key' ? { keyId: caller.keyId, organisationId: caller.organisationId } : { keyId: null, organisationId: null },
      );
      return event;
    });
  }

  async listEvents(equipmentId: string): Promise<EquipmentEvent[]> {
    await this.getEquipment(equipmentId);
    return this.deps.store.listEvents(equipmentId);
  }

  /** The equipment as it was on a day: its registration with the events effective by then. */
  async equipmentAt(equipmentId: string, at: CalendarDate): Promise<EquipmentState> {
    const [registered, events] = await Promise.all([this.getEquipment(equipmentId), this.deps.store.listEvents(equipmentId)]);
    return equipmentAt(registered, events, at);
  }

  listEquipment(filter: EquipmentFilter, page: PageRequest): Promise<Page<Equipment>> {
    return this.deps.store.listEquipment(filter, page);
  }

  /**
   * Appends a calibration or verification record (a correction when it names
   * `supersedes`). Record, references and points are written in one transaction.
   */
  async createRecord(
    record: CalibrationRecord,
    alongside?: (store: RegistryStore, record: CalibrationRecord) => Promise<void>,
    writer?: Caller,
  ): Promise<StoredRecord> {
    return this.deps.store.transaction((store) => this.appendRecord(store, record, alongside, writer));
  }

  /**
   * Checks and appends a record within the caller's transaction (`store` is bound to it).
   * With `writer`, first what `checkRecordWriter` checks, on the same reads as the record's
   * own checks (one read of the subject, the lab's scopes and the superseded record, not two).
   */
  async appendRecord(
    store: RegistryStore,
    record: CalibrationRecord,
    alongside?: (store: RegistryStore, record: CalibrationRecord) => Promise<void>,
    writer?: Caller,
  ): Promise<StoredRecord> {
    await this.check(store, record, writer);
    await store.insertRecord(record);
    if (alongside) await alongside(store, record);
    return { record, supersededBy: null };
  }

  private async check(store: RegistryStore, record: CalibrationRecord, writer?: Caller): Promise<void> {
    if (writer) requireOwnOrganisation(writer, record.labId, '/labId', 'append calibration or verification records');
    // the subject, the references, the lab with its scopes and CMCs, the corrected record
    // and any record with the same number: one read
    const { equipment: instruments, lab, superseded, cmcs, scopes, sameCertificate: same } = await store.recordContext(record);
    const subject = instruments.get(record.subjectId);
    const references = new Map(record.referenceIds.flatMap((id) => (instruments.has(id) ? [[id, instruments.get(id)!] as const] : [])));
    if (writer) checkWriter(writer, record, subject, scopes, superseded);
    checkRecord(record, {
      subject,
      lab,
      references,
      superseded: superseded?.record,
      supersededAlready: superseded?.supersededBy != null,
    });
    checkNotFuture(record.performedOn, this.deps.today(), '/performedOn', `the ${record.kind}`);
    if (same) {
      // Another lab's record is not the writer's to see: the refusal says only that the number is taken.
      if (same.record.labId !== record.labId) {
        fail(
          'DUPLICATE',
          '/certificateNo',
          `certificate number '${record.certificateNo}' is already recorded by another lab (numbers are compared ignoring case, spaces and full-width forms); check the number, or give this certificate its own`,
        );
      }
      fail(
        'DUPLICATE',
        '/certificateNo',
        `certificate number '${record.certificateNo}' is already recorded as '${same.record.certificateNo}' (record '${same.record.id}' of '${same.record.subjectId}'); numbers are compared ignoring case, spaces and full-width forms, and a correction supersedes with a new number`,
      );
    }
    const mandatory = this.mandatory(subject!, record.performedOn);
    checkAuthority(record, subject!, scopes, mandatory);
    checkCmc(record, subject!, cmcs);
    checkDecision(record, subject!);
    // A correction that withdraws a result as failed claims nothing: it is not held to
    // references that have since been found wanting (that is why it is withdrawn).
    const withdrawal = record.supersedes !== null && record.kind === 'verification' && record.conformity === 'fail';
    const graph =
      record.referenceIds.length === 0
        ? null
        : traceGraph(
            withWriter(await store.loadUpwardClosure(record.referenceIds, MAX_EQUIPMENT, record.performedOn, null, 'references'), lab, scopes),
            this.deps.charts,
            (e, at) => this.mandatory(e, at),
            (e, at) => this.intervalMonths(e, at),
          );
    if (graph && !withdrawal) checkReferences(record, graph);
    if (mandatory && !withdrawal) checkMandatoryVerification(record, subject!, graph);
    if (graph) checkUncertaintyAgainstReferences(record, subject!, graph);
  }

  /** The per-point conformity decisions of a verification that stated a decision rule. */
  async decisions(id: string): Promise<{ record: CalibrationRecord; decisions: ReturnType<typeof pointDecisions> }> {
    const { record } = await this.getRecord(id);
    if (!record.decisionRule) fail('NOT_APPLICABLE', '', `record '${id}' states no decision rule`);
    return { record, decisions: pointDecisions(record, await this.getEquipment(record.subjectId)) };
  }

  /**
   * May this caller append this record? A lab key writes only as its own lab,
   * only within its authorised scope on the performance date, and corrects
   * only its own records; an admin may write any (e.g. a historical import).
   */
  async checkRecordWriter(
    caller: Caller,
    input: Pick<CalibrationRecord, 'labId' | 'subjectId' | 'performedOn'> & { readonly supersedes?: string | null | undefined },
    store: RegistryStore = this.deps.store,
  ): Promise<void> {
    requireOwnOrganisation(caller, input.labId, '/labId', 'append calibration or verification records');
    if (caller.kind === 'key' && caller.role === 'admin') return;
    const [equipment, scopes, old] = await Promise.all([
      store.getEquipment(input.subjectId),
      store.listScopes(input.labId),
      input.supersedes ? store.getRecord(input.supersedes) : Promise.resolve(undefined),
    ]);
    checkWriter(caller, input, equipment, scopes, old);
  }

  /**
   * May this caller register this equipment? Only for its own organisation (an
   * admin for any); a national primary standard, or an SI realisation, only an
   * admin (the State's own standards are registered by whoever runs the registry).
   */
  checkEquipmentWriter(caller: Caller, input: Pick<Equipment, 'ownerId' | 'level' | 'realisation'>): void {
    requireOwnOrganisation(caller, input.ownerId, '/ownerId', 'register equipment');
    const admin = caller.kind === 'key' && caller.role === 'admin';
    if (!admin && input.level === 'national_primary_standard')
      fail('FORBIDDEN', '/level', 'only an admin registers a national primary standard (国家计量基准)');
    if (!admin && input.realisation) fail('FORBIDDEN', '/realisation', 'only an admin declares an SI realisation or NMI certificate');
  }

  async getRecord(id: string): Promise<StoredRecord> {
    return (await this.deps.store.getRecord(id)) ?? fail('NOT_FOUND', '', `no calibration or verification record has id '${id}'`);
  }

  listRecords(filter: RecordFilter, page: PageRequest): Promise<Page<StoredRecord>> {
    return this.deps.store.listRecords(filter, page);
  }
}

/**
 * A batch of equipment registrations (RegistryService.equipmentRegistrations):
 * the registry as far as the batch is concerned — the instruments it names
 * that are stored, and those added to it so far.
 */
export class EquipmentRegistrations {
  private readonly accepted: Equipment[] = [];
  private readonly byId = new Map<string, Equipment>();
  private readonly byAssetCode = new Map<string, Equipment>();

  constructor(
    private readonly store: RegistryStore,
    private readonly owners: ReadonlyMap<string, Organisation>,
    private readonly catalogue: Catalogue | null,
    stored: readonly Equipment[],
  ) {
    for (const e of stored) this.remember(e);
  }

  private static codeKey(ownerId: string, assetCode: string): string {
    return `${ownerId}\u0000${identifierKey(assetCode)}`;
  }

  private remember(e: Equipment): void {
    this.byId.set(e.id, e);
    if (e.assetCode !== null) this.byAssetCode.set(EquipmentRegistrations.codeKey(e.ownerId, e.assetCode), e);
  }

  /** The instrument registered (stored, or added to this batch) with this id. */
  withId(id: string): Equipment | undefined {
    return this.byId.get(id);
  }

  /** The owner's instrument registered (stored, or added to this batch) with this asset code, compared as a printed identifier. */
  withAssetCode(ownerId: string, assetCode: string): Equipment | undefined {
    return this.byAssetCode.get(EquipmentRegistrations.codeKey(ownerId, assetCode));
  }

  /** Checks a registration as the registry does (its owner, its rules, its category, its asset code free) and adds it to the batch, or refuses it with the problem. */
  add(e: Equipment): void {
    checkEquipment(e, this.owners.get(e.ownerId));
    checkCategory(this.catalogue, e);
    const same = e.assetCode === null ? undefined : this.withAssetCode(e.ownerId, e.assetCode);
    if (same)
      fail(
        'DUPLICATE',
        '/assetCode',
        `'${e.ownerId}' already has asset code '${same.assetCode}' (equipment '${same.id}'); asset codes are compared ignoring case, spaces and full-width forms`,
      );
    const taken = this.byId.get(e.id);
    if (taken) fail('DUPLICATE', '/id', `equipment '${e.id}' is already registered; give this instrument another id, or none to have one drawn`);
    this.accepted.push(e);
    this.remember(e);
  }

  /** The registrations added, in order. */
  get added(): readonly Equipment[] {
    return this.accepted;
  }

  /** Writes the registrations added, in order, each with its ledger entry (in one savepoint of the store's transaction). */
  write(): Promise<void> {
    return this.store.insertEquipmentMany(this.accepted);
  }
}

/**
 * The references' closure with the writing lab in it: the new record is resolved as the first link
 * of its own chain, and its lab's scopes decide whether that link was authorised; the references'
 * chain brings them only when the lab also owns or calibrated one of its standards.
 */
function withWriter(closure: UpwardClosure, lab: Organisation | undefined, scopes: LabScope[]): UpwardClosure {
  if (!lab || (closure.organisations.has(lab.id) && closure.scopes.has(lab.id))) return closure;
  return {
    ...closure,
    organisations: new Map([...closure.organisations, [lab.id, lab]]),
    scopes: new Map([...closure.scopes, [lab.id, scopes]]),
  };
}

/**
 * The writer's part of appending a record (after `requireOwnOrganisation`): a
 * lab writes only within its authorised scope on the performance date, and
 * corrects only its own records; an admin may write any.
 */
function checkWriter(
  caller: Caller,
  input: Pick<CalibrationRecord, 'labId' | 'subjectId' | 'performedOn'> & { readonly supersedes?: string | null | undefined },
  equipment: Equipment | undefined,
  scopes: readonly LabScope[],
  old: StoredRecord | undefined,
): void {
  if (caller.kind === 'key' && caller.role === 'admin') return;
  if (!equipment) fail('NOT_FOUND', '/subjectId', `no equipment has id '${input.subjectId}'`);
  if (!authorised(scopes, equipment, input.performedOn)) {
    fail(
      'LAB_NOT_AUTHORISED',
      '/subjectId',
      `'${input.labId}' has no authorised scope for ${equipment.quantity}${equipment.category ? ` (category ${equipment.category})` : ''} covering '${equipment.id}' on ${input.performedOn}; ask the regulator to extend the scope first`,
    );
  }
  if (input.supersedes && old && old.record.labId !== input.labId)
    fail('FORBIDDEN', '/supersedes', `record '${input.supersedes}' was issued by '${old.record.labId}'; only that lab (or an admin) may correct it`);
}
