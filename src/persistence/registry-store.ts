/**
 * The registry over drizzle-orm: organisations, lab scopes and CMCs with their
 * amendments, equipment and its events. Takes the db (or a transaction) as a
 * parameter; every multi-row write happens inside one transaction. The
 * records (record-store.ts) and the traceability queries
 * (traceability-store.ts) are stores of their own; this one hands their
 * methods on, so a use case holds one registry port.
 *
 * @impure talks to the database.
 */
import { and, asc, eq, getTableColumns, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type {
  ClosureRoots,
  EquipmentFilter,
  LedgerKeys,
  OrganisationFilter,
  Page,
  PageRequest,
  RecordContext,
  RecordFilter,
  RegistryStore,
  StoredRecord,
  StoredToleranceFinding,
  UpwardClosure,
} from '../app/ports.ts';
import type { CalibrationRecord, Cmc, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
import { rowsOf, type Db } from './db.ts';
import { conditions, equipmentVisible, guarded, inChunks, page, parentsAndVersions, sameIdentifier, textArray } from './sql-helpers.ts';
import {
  cmcFromRow,
  cmcHistoriesOf,
  cmcVersionToRow,
  equipmentFromRow,
  equipmentToRow,
  organisationFromRow,
  organisationToRow,
  scopeFromRow,
  scopeHistoriesOf,
  scopeToRow,
  scopeVersionToRow,
} from './mappers.ts';
import { type CmcVersion, periods, type ScopeVersion } from '../core/registry/versions.ts';
import { equipment, equipmentEvents, labCmcs, labCmcVersions, labScopes, labScopeVersions, organisations } from './schema/registry.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { LedgerKind } from '../core/ledger/chain.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import { appendManyToLedger, appendToLedger, writeEntered } from './ledger-store.ts';
import type { ReadScope } from '../core/access/roles.ts';
import type { EquipmentEvent } from '../core/registry/events.ts';
import {
  cmcPeriodsFromJson,
  type EventJson,
  equipmentFromJson,
  eventFromJson,
  JSON_TEXT,
  type JsonRecord,
  organisationFromJson,
  recordFromJson,
  scopePeriodsFromJson,
} from './row-json.ts';
import { runStatement } from './statement.ts';
import { DrizzleRecordStore } from './record-store.ts';
import { DrizzleTraceabilityStore } from './traceability-store.ts';

export { equipmentVisible, guarded, sameIdentifier } from './sql-helpers.ts';

/** The equipment table's columns that a registration writes (all but the insertion time), by their names in the database. */
const EQUIPMENT_FIELDS = Object.entries(getTableColumns(equipment)).filter(([key]) => key !== 'createdAt');
const EQUIPMENT_COLUMNS = sql.raw(EQUIPMENT_FIELDS.map(([, c]) => `"${c.name}"`).join(', '));

/** An equipment as the mapper writes it, keyed by column name. */
function equipmentDbRow(e: Equipment): Record<string, unknown> {
  const row = equipmentToRow(e) as Record<string, unknown>;
  return Object.fromEntries(EQUIPMENT_FIELDS.map(([key, c]) => [c.name, row[key] ?? null]));
}

export class DrizzleRegistryStore implements RegistryStore {
  /** The calibration records, over the same db (or transaction). */
  readonly records: DrizzleRecordStore;
  /** The closure queries and out-of-tolerance findings, over the same db (or transaction). */
  readonly traceability: DrizzleTraceabilityStore;

  constructor(
    private readonly db: Db,
    /** The ledger key ring every entry this store appends is signed with. */
    readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {
    this.records = new DrizzleRecordStore(db, ledgerKeys);
    this.traceability = new DrizzleTraceabilityStore(db, ledgerKeys);
  }

  transaction<T>(work: (store: RegistryStore) => Promise<T>): Promise<T> {
    return guarded(() => this.db.transaction((tx) => work(new DrizzleRegistryStore(tx as unknown as Db, this.ledgerKeys))));
  }

  /** Writes an entity and its ledger entry together (a savepoint inside a caller's transaction). */
  private entered(kind: LedgerKind, id: string, write: (db: Db) => Promise<unknown>): Promise<void> {
    return writeEntered(this.db, this.ledgerKeys, kind, id, write);
  }

  // ---- organisations ----
  async insertOrganisation(org: Organisation): Promise<void> {
    await this.entered('organisation', org.id, (db) => db.insert(organisations).values(organisationToRow(org)));
  }

  async recordContext(record: Pick<CalibrationRecord, 'subjectId' | 'referenceIds' | 'labId' | 'supersedes' | 'certificateNo'>): Promise<RecordContext> {
    // One statement, one round trip (RECORD_CONTEXT, below).
    const result = await runStatement(this.db, RECORD_CONTEXT, [
      textArray([record.subjectId, ...record.referenceIds]),
      record.labId,
      record.supersedes,
      record.certificateNo,
    ]);
    const doc = JSON.parse(rowsOf<{ doc: string }>(result)[0]!.doc) as RecordContextDocument;
    const stored = (s: { record: JsonRecord; supersededBy: string | null } | null): StoredRecord | undefined =>
      s ? { record: recordFromJson(s.record), supersededBy: s.supersededBy } : undefined;
    return {
      equipment: new Map(doc.equipment.map((r) => [r.id as string, equipmentFromJson(r)])),
      lab: doc.lab ? organisationFromJson(doc.lab) : undefined,
      scopes: scopePeriodsFromJson(doc.scopes, doc.scopeVersions),
      cmcs: cmcPeriodsFromJson(doc.cmcs, doc.cmcVersions),
      superseded: stored(doc.superseded),
      sameCertificate: stored(doc.sameCertificate),
    };
  }

  async getOrganisation(id: string): Promise<Organisation | undefined> {
    const rows = await this.db.select().from(organisations).where(eq(organisations.id, id));
    return rows[0] && organisationFromRow(rows[0]);
  }

  async listOrganisations(filter: OrganisationFilter, req: PageRequest): Promise<Page<Organisation>> {
    const where = conditions([
      filter.kind === undefined ? undefined : eq(organisations.kind, filter.kind),
      filter.regionCode === undefined ? undefined : eq(organisations.regionCode, filter.regionCode),
      req.after === null ? undefined : gt(organisations.id, req.after),
    ]);
    const rows = await this.db
      .select()
      .from(organisations)
      .where(where)
      .orderBy(asc(organisations.id))
      .limit(req.limit + 1);
    return page(rows.map(organisationFromRow), req.limit);
  }

  // ---- scopes ----
  async insertScope(scope: LabScope): Promise<void> {
    await this.entered('scope', scope.id, (db) => db.insert(labScopes).values(scopeToRow(scope)));
  }

  async listScopes(labId: string): Promise<LabScope[]> {
    return (await this.scopeHistories(labId)).flatMap((h) => periods(h));
  }

  async scopeHistories(labId: string): Promise<ScopeVersion[][]> {
    // one statement, not one for the scopes and one for their amendments: every write checks its lab's scopes
    const { parents, versions } = parentsAndVersions(
      await this.db
        .select({ parent: labScopes, version: labScopeVersions })
        .from(labScopes)
        .leftJoin(labScopeVersions, eq(labScopeVersions.scopeId, labScopes.id))
        .where(eq(labScopes.labId, labId))
        .orderBy(asc(labScopes.validFrom), asc(labScopes.id), asc(labScopeVersions.version)),
    );
    return scopeHistoriesOf(parents.map(scopeFromRow), versions);
  }

  async scopeHistory(scopeId: string): Promise<ScopeVersion[] | undefined> {
    const rows = await this.db.select().from(labScopes).where(eq(labScopes.id, scopeId));
    if (!rows[0]) return undefined;
    const amendments = await this.db.select().from(labScopeVersions).where(eq(labScopeVersions.scopeId, scopeId)).orderBy(asc(labScopeVersions.version));
    return scopeHistoriesOf([scopeFromRow(rows[0])], amendments)[0];
  }

  async insertScopeAmendment(v: ScopeVersion): Promise<void> {
    await this.entered('scope_amendment', v.id, (db) => db.insert(labScopeVersions).values(scopeVersionToRow(v)));
  }

  // ---- CMCs ----
  async insertCmc(c: Cmc): Promise<void> {
    await this.entered('cmc', c.id, (db) =>
      db.insert(labCmcs).values({
        id: c.id,
        labId: c.labId,
        quantity: c.quantity,
        rangeMin: c.range.min,
        rangeMax: c.range.max,
        rangeUnit: c.range.unit,
        expandedUncertainty: c.expandedUncertainty,
        relativeExpandedUncertainty: c.relativeExpandedUncertainty,
        coverageFactor: c.coverageFactor,
        validFrom: c.validFrom,
        validUntil: c.validUntil,
      }),
    );
  }

  async listCmcs(labId: string): Promise<Cmc[]> {
    return (await this.cmcHistories(labId)).flatMap((h) => periods(h));
  }

  async cmcHistories(labId: string): Promise<CmcVersion[][]> {
    const { parents, versions } = parentsAndVersions(
      await this.db
        .select({ parent: labCmcs, version: labCmcVersions })
        .from(labCmcs)
        .leftJoin(labCmcVersions, eq(labCmcVersions.cmcId, labCmcs.id))
        .where(eq(labCmcs.labId, labId))
        .orderBy(asc(labCmcs.id), asc(labCmcVersions.version)),
    );
    return cmcHistoriesOf(parents.map(cmcFromRow), versions);
  }

  async cmcHistory(cmcId: string): Promise<CmcVersion[] | undefined> {
    const rows = await this.db.select().from(labCmcs).where(eq(labCmcs.id, cmcId));
    if (!rows[0]) return undefined;
    const amendments = await this.db.select().from(labCmcVersions).where(eq(labCmcVersions.cmcId, cmcId)).orderBy(asc(labCmcVersions.version));
    return cmcHistoriesOf([cmcFromRow(rows[0])], amendments)[0];
  }

  async insertCmcAmendment(v: CmcVersion): Promise<void> {
    await this.entered('cmc_amendment', v.id, (db) => db.insert(labCmcVersions).values(cmcVersionToRow(v)));
  }

  // ---- equipment ----
  async insertEquipmentMany(es: readonly Equipment[]): Promise<void> {
    if (es.length === 0) return;
    // a savepoint: the rows and their entries land together, or nothing of them does
    await guarded(() =>
      this.db.transaction(async (tx0) => {
        const tx = tx0 as unknown as Db;
        // one parameter, the rows as JSON (every value a string or null, as the row mapper gives it): building
        // a statement of 27 parameters a row cost more than the database spent inserting them
        await tx.execute(
          sql`insert into equipment (${EQUIPMENT_COLUMNS}) select ${EQUIPMENT_COLUMNS} from json_populate_recordset(null::equipment, ${JSON.stringify(es.map(equipmentDbRow))}::json)`,
        );
        await appendManyToLedger(
          tx,
          this.ledgerKeys,
          'equipment',
          es.map((e) => e.id),
        );
        // A table never analysed, or analysed when it held fewer rows than this batch alone (a first
        // import into a new registry), has statistics the planner misreads: it would look an asset code
        // up by its owner and compare the key of every instrument of that owner (quadratic over an
        // import's batches; measured: 20 ms a code at 1,000 rows). Analysed once, it keeps to the
        // index of the key as the table grows, until autovacuum takes over.
        const stats = rowsOf<{ n: number }>(await tx.execute(sql`select reltuples::float8 as n from pg_class where oid = 'equipment'::regclass`))[0];
        if (stats && Number(stats.n) < es.length) await tx.execute(sql`analyze equipment`);
      }),
    );
  }

  async equipmentByAssetCodes(codes: ReadonlyArray<{ readonly ownerId: string; readonly assetCode: string }>): Promise<Equipment[]> {
    if (codes.length === 0) return [];
    // each pair probes the unique index on (owner_id, metrotrace_identifier_key(asset_code)) (migration 0038)
    const result = await this.db.execute(
      sql`select id from metrotrace_equipment_by_asset_codes(${textArray(codes.map((c) => c.ownerId))}::text[], ${textArray(codes.map((c) => c.assetCode))}::text[]) as id`,
    );
    const ids = [...new Set(rowsOf<{ id: string }>(result).map((r) => r.id))];
    return [...(await this.getEquipmentMany(ids)).values()];
  }

  async getEquipment(id: string): Promise<Equipment | undefined> {
    const rows = await this.db.select().from(equipment).where(eq(equipment.id, id));
    return rows[0] && equipmentFromRow(rows[0]);
  }

  async getEquipmentMany(ids: readonly string[]): Promise<Map<string, Equipment>> {
    const rows = await inChunks(ids, (chunk) => this.db.select().from(equipment).where(inArray(equipment.id, chunk)));
    return new Map(rows.map((r) => [r.id, equipmentFromRow(r)]));
  }

  async getOrganisationsMany(ids: readonly string[]): Promise<Map<string, Organisation>> {
    const rows = await inChunks(ids, (chunk) => this.db.select().from(organisations).where(inArray(organisations.id, chunk)));
    return new Map(rows.map((r) => [r.id, organisationFromRow(r)]));
  }

  async listEquipment(filter: EquipmentFilter, req: PageRequest): Promise<Page<Equipment>> {
    const where = conditions([
      filter.ownerId === undefined ? undefined : eq(equipment.ownerId, filter.ownerId),
      filter.quantity === undefined ? undefined : eq(equipment.quantity, filter.quantity),
      filter.level === undefined ? undefined : eq(equipment.level, filter.level),
      filter.category === undefined ? undefined : eq(equipment.category, filter.category),
      filter.usage === undefined ? undefined : eq(equipment.usage, filter.usage),
      filter.status === undefined ? undefined : eq(equipment.status, filter.status),
      filter.assetCode === undefined ? undefined : sameIdentifier(equipment.assetCode, filter.assetCode),
      filter.visibleTo === undefined ? undefined : equipmentVisible(filter.visibleTo, equipment.id, equipment.ownerId),
      req.after === null ? undefined : gt(equipment.id, req.after),
    ]);
    const rows = await this.db
      .select()
      .from(equipment)
      .where(where)
      .orderBy(asc(equipment.id))
      .limit(req.limit + 1);
    return page(rows.map(equipmentFromRow), req.limit);
  }

  async visibleEquipment(ids: readonly string[], scope: ReadScope): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ id: equipment.id })
      .from(equipment)
      .where(and(inArray(equipment.id, [...ids]), equipmentVisible(scope, equipment.id, equipment.ownerId)));
    return new Set(rows.map((r) => r.id));
  }

  // ---- equipment events ----
  async insertEvent(e: EquipmentEvent, by: { readonly keyId: string | null; readonly organisationId: string | null }): Promise<void> {
    await this.entered('equipment_event', e.id, (db) =>
      db.insert(equipmentEvents).values({
        id: e.id,
        equipmentId: e.equipmentId,
        kind: e.kind,
        effectiveOn: e.effectiveOn,
        reason: e.reason,
        assessmentNo: e.assessment?.certificateNo ?? null,
        assessmentValidFrom: e.assessment?.validFrom ?? null,
        assessmentValidUntil: e.assessment?.validUntil ?? null,
        newOwnerId: e.newOwnerId,
        location: e.location,
        recordedByKey: by.keyId,
        recordedByOrganisation: by.organisationId,
      }),
    );
  }

  async equipmentWithEvents(): Promise<Set<string>> {
    const rows = await this.db.selectDistinct({ id: equipmentEvents.equipmentId }).from(equipmentEvents);
    return new Set(rows.map((r) => r.id));
  }

  async instrumentsKnownAt(asKnownAt: string, filter: { readonly category?: string | undefined; readonly usage?: string | undefined }): Promise<string[]> {
    const rows = await this.db
      .select({ id: equipment.id })
      .from(equipment)
      .where(
        and(
          isNotNull(equipment.category),
          sql`${equipment.createdAt} <= ${asKnownAt}::timestamptz`,
          filter.category === undefined ? undefined : eq(equipment.category, filter.category),
          filter.usage === undefined ? undefined : eq(equipment.usage, filter.usage),
        ),
      )
      .orderBy(asc(equipment.id));
    // the owner may have changed by transfer: it is filtered on the status, at the date
    return rows.map((r) => r.id);
  }

  async listEvents(equipmentId: string): Promise<EquipmentEvent[]> {
    const rows = await this.db.execute(
      sql`select ${sql.raw(JSON_TEXT.event)}::text as e from equipment_events ev where ev.equipment_id = ${equipmentId} order by ev.seq`,
    );
    return rowsOf<{ e: string }>(rows).map((r) => eventFromJson(JSON.parse(r.e) as EventJson));
  }

  // ---- records (record-store.ts) ----
  insertRecord(record: CalibrationRecord): Promise<void> {
    return this.records.insertRecord(record);
  }

  getRecord(id: string): Promise<StoredRecord | undefined> {
    return this.records.getRecord(id);
  }

  recordByCertificate(certificateNo: string): Promise<StoredRecord | undefined> {
    return this.records.recordByCertificate(certificateNo);
  }

  visibleRecords(ids: readonly string[], scope: ReadScope): Promise<Set<string>> {
    return this.records.visibleRecords(ids, scope);
  }

  listRecords(filter: RecordFilter, req: PageRequest): Promise<Page<StoredRecord>> {
    return this.records.listRecords(filter, req);
  }

  insertSidecar(recordId: string, document: unknown): Promise<void> {
    return this.records.insertSidecar(recordId, document);
  }

  getSidecar(recordId: string): Promise<unknown | undefined> {
    return this.records.getSidecar(recordId);
  }

  // ---- traceability (traceability-store.ts) ----
  loadUpwardClosure(
    rootIds: readonly string[],
    maxEquipment: number,
    at: CalendarDate,
    asKnownAt: string | null = null,
    roots: ClosureRoots = 'instruments',
  ): Promise<UpwardClosure> {
    return this.traceability.loadUpwardClosure(rootIds, maxEquipment, at, asKnownAt, roots);
  }

  recordsUsingSince(references: ReadonlyArray<readonly [string, string]>): Promise<CalibrationRecord[]> {
    return this.traceability.recordsUsingSince(references);
  }

  insertToleranceFinding(finding: StoredToleranceFinding): Promise<void> {
    return this.traceability.insertToleranceFinding(finding);
  }

  listToleranceFindings(equipmentId?: string): Promise<StoredToleranceFinding[]> {
    return this.traceability.listToleranceFindings(equipmentId);
  }
}

export { appendToLedger };

type JsonRow = Record<string, unknown>;

interface RecordContextDocument {
  equipment: JsonRow[];
  lab: JsonRow | null;
  scopes: JsonRow[];
  scopeVersions: JsonRow[];
  cmcs: JsonRow[];
  cmcVersions: JsonRow[];
  superseded: { record: JsonRecord; supersededBy: string | null } | null;
  sameCertificate: { record: JsonRecord; supersededBy: string | null } | null;
}

/**
 * What a new record's checks read ($1 the subject and references as an array,
 * $2 the lab, $3 the corrected record's id or null, $4 the certificate number),
 * as one JSON document: the same rows in the same order as getEquipmentMany,
 * getOrganisation, listScopes and listCmcs (before their periods are worked
 * out), getRecord and recordByCertificate read. Those were six statements,
 * each built by drizzle column by column on every write (about 0.4 ms of CPU
 * and 400 KB of garbage a write); this text is written once.
 */
const RECORD_CONTEXT = (() => {
  const stored = (where: string) => `(select json_build_object('record', ${JSON_TEXT.record},
        'supersededBy', (select x.id from calibration_records x where x.supersedes = r.id order by x.id limit 1))
      from calibration_records r where ${where} order by r.id limit 1)`;
  return `select json_build_object(
      'equipment', coalesce((select json_agg(${JSON_TEXT.equipment}) from equipment e where e.id = any($1::text[])), '[]'::json),
      'lab', (select ${JSON_TEXT.organisation} from organisations o where o.id = $2::text),
      'scopes', coalesce((select json_agg(${JSON_TEXT.scope} order by s.valid_from, s.id) from lab_scopes s where s.lab_id = $2::text), '[]'::json),
      'scopeVersions', coalesce((select json_agg(${JSON_TEXT.scopeVersion} order by v.scope_id, v.version)
        from lab_scope_versions v join lab_scopes s on s.id = v.scope_id where s.lab_id = $2::text), '[]'::json),
      'cmcs', coalesce((select json_agg(${JSON_TEXT.cmc} order by c.id) from lab_cmcs c where c.lab_id = $2::text), '[]'::json),
      'cmcVersions', coalesce((select json_agg(${JSON_TEXT.cmcVersion} order by cv.cmc_id, cv.version)
        from lab_cmc_versions cv join lab_cmcs c on c.id = cv.cmc_id where c.lab_id = $2::text), '[]'::json),
      'superseded', ${stored('r.id = $3::text')},
      'sameCertificate', ${stored('metrotrace_identifier_key(r.certificate_no) = metrotrace_identifier_key($4::text)')}
    )::text as doc`;
})();
