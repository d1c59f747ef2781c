/**
 * The registry over drizzle-orm. Takes the db (or a transaction) as a
 * parameter; every multi-row write happens inside one transaction.
 *
 * @impure talks to the database.
 */
import { and, asc, eq, getTableColumns, gt, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { UpwardClosure, EquipmentFilter, OrganisationFilter, Page, PageRequest, RecordFilter, RegistryStore, StoredRecord } from '../app/ports.ts';
import type { CalibrationRecord, Cmc, Equipment, LabScope, MeasuredPoint, Organisation } from '../core/registry/types.ts';
import { rowsOf, type Db } from './db.ts';
import { conditions, equipmentVisible, guarded, page, sameIdentifier, textArray } from './sql-helpers.ts';
import {
  equipmentFromRow,
  equipmentToRow,
  organisationFromRow,
  organisationToRow,
  pointFromRow,
  pointToRow,
  recordFromRow,
  recordToRow,
  scopeFromRow,
  scopeToRow,
  scopeVersionFromRow,
  scopeVersionToRow,
  cmcFromRow,
  cmcVersionFromRow,
  cmcVersionToRow,
} from './mappers.ts';
import { type CmcVersion, originalVersion, periods, type ScopeVersion } from '../core/registry/versions.ts';
import {
  recordSidecars,
  calibrationRecords,
  equipment,
  equipmentEvents,
  labCmcs,
  labCmcVersions,
  labScopes,
  labScopeVersions,
  measuredPoints,
  organisations,
  recordReferences,
  toleranceFindings,
} from './schema/registry.ts';
import type { ToleranceFinding } from '../core/traceability/chain.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { LedgerKind } from '../core/ledger/chain.ts';
import type { LedgerKeys, StoredToleranceFinding } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import { appendManyToLedger, appendToLedger, writeEntered } from './ledger-store.ts';
import type { ReadScope } from '../core/access/roles.ts';
import type { EquipmentEvent, EventKind } from '../core/registry/events.ts';

const correction = alias(calibrationRecords, 'correction');
const CHUNK = 10_000;

export { equipmentVisible, guarded, sameIdentifier } from './sql-helpers.ts';

/** The equipment table's columns that a registration writes (all but the insertion time), by their names in the database. */
const EQUIPMENT_FIELDS = Object.entries(getTableColumns(equipment)).filter(([key]) => key !== 'createdAt');
const EQUIPMENT_COLUMNS = sql.raw(EQUIPMENT_FIELDS.map(([, c]) => `"${c.name}"`).join(', '));

/** An equipment as the mapper writes it, keyed by column name. */
function equipmentDbRow(e: Equipment): Record<string, unknown> {
  const row = equipmentToRow(e) as Record<string, unknown>;
  return Object.fromEntries(EQUIPMENT_FIELDS.map(([key, c]) => [c.name, row[key] ?? null]));
}

/** An equipment event as JSON built in SQL (dates as text). */
const EVENT_JSON = sql.raw(`json_build_object('id', ev.id, 'equipmentId', ev.equipment_id, 'kind', ev.kind, 'effectiveOn', ev.effective_on::text,
  'reason', ev.reason, 'assessmentNo', ev.assessment_no, 'assessmentValidFrom', ev.assessment_valid_from::text,
  'assessmentValidUntil', ev.assessment_valid_until::text, 'newOwnerId', ev.new_owner_id, 'location', ev.location)`);

interface EventJson {
  id: string;
  equipmentId: string;
  kind: EventKind;
  effectiveOn: string;
  reason: string | null;
  assessmentNo: string | null;
  assessmentValidFrom: string | null;
  assessmentValidUntil: string | null;
  newOwnerId: string | null;
  location: string | null;
}

function eventFromJson(j: EventJson): EquipmentEvent {
  return {
    id: j.id,
    equipmentId: j.equipmentId,
    kind: j.kind,
    effectiveOn: j.effectiveOn as CalendarDate,
    reason: j.reason,
    assessment:
      j.assessmentNo === null
        ? null
        : { certificateNo: j.assessmentNo, validFrom: j.assessmentValidFrom as CalendarDate, validUntil: j.assessmentValidUntil as CalendarDate },
    newOwnerId: j.newOwnerId,
    location: j.location,
  };
}

export class DrizzleRegistryStore implements RegistryStore {
  constructor(
    private readonly db: Db,
    /** The ledger key ring every entry this store appends is signed with. */
    readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

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
    const [scopes, amendments] = await Promise.all([
      this.db.select().from(labScopes).where(eq(labScopes.labId, labId)).orderBy(asc(labScopes.validFrom), asc(labScopes.id)),
      this.db
        .select({ v: labScopeVersions })
        .from(labScopeVersions)
        .innerJoin(labScopes, eq(labScopes.id, labScopeVersions.scopeId))
        .where(eq(labScopes.labId, labId))
        .orderBy(asc(labScopeVersions.version)),
    ]);
    return scopeHistoriesOf(
      scopes.map(scopeFromRow),
      amendments.map((a) => a.v),
    );
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

  // ---- DCC sidecars ----
  async insertSidecar(recordId: string, document: unknown): Promise<void> {
    await guarded(async () => {
      await this.db.insert(recordSidecars).values({ recordId, document });
      await appendToLedger(this.db, this.ledgerKeys, 'record_sidecar', recordId);
    });
  }

  async getSidecar(recordId: string): Promise<unknown | undefined> {
    const rows = await this.db.select().from(recordSidecars).where(eq(recordSidecars.recordId, recordId));
    return rows[0]?.document;
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
    const [cmcs, amendments] = await Promise.all([
      this.db.select().from(labCmcs).where(eq(labCmcs.labId, labId)).orderBy(asc(labCmcs.id)),
      this.db
        .select({ v: labCmcVersions })
        .from(labCmcVersions)
        .innerJoin(labCmcs, eq(labCmcs.id, labCmcVersions.cmcId))
        .where(eq(labCmcs.labId, labId))
        .orderBy(asc(labCmcVersions.version)),
    ]);
    return cmcHistoriesOf(
      cmcs.map(cmcFromRow),
      amendments.map((a) => a.v),
    );
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

  // ---- records ----
  async insertRecord(record: CalibrationRecord): Promise<void> {
    // The caller's transaction makes record, references and points land together.
    await guarded(async () => {
      await this.db.insert(calibrationRecords).values(recordToRow(record));
      if (record.referenceIds.length > 0) {
        await this.db.insert(recordReferences).values(record.referenceIds.map((referenceId, position) => ({ recordId: record.id, referenceId, position })));
      }
      if (record.points.length > 0) {
        await this.db.insert(measuredPoints).values(record.points.map((p, i) => pointToRow(record.id, i, p)));
      }
      await appendToLedger(this.db, this.ledgerKeys, 'record', record.id);
    });
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    const found = await this.loadRecords([eq(calibrationRecords.id, id)], 1);
    return found[0];
  }

  async visibleEquipment(ids: readonly string[], scope: ReadScope): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ id: equipment.id })
      .from(equipment)
      .where(and(inArray(equipment.id, [...ids]), equipmentVisible(scope, equipment.id, equipment.ownerId)));
    return new Set(rows.map((r) => r.id));
  }

  async visibleRecords(ids: readonly string[], scope: ReadScope): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .select({ id: calibrationRecords.id })
      .from(calibrationRecords)
      .where(and(inArray(calibrationRecords.id, [...ids]), recordVisible(scope)));
    return new Set(rows.map((r) => r.id));
  }

  async recordByCertificate(certificateNo: string): Promise<StoredRecord | undefined> {
    const found = await this.loadRecords([sameIdentifier(calibrationRecords.certificateNo, certificateNo)], 1);
    return found[0];
  }

  async listRecords(filter: RecordFilter, req: PageRequest): Promise<Page<StoredRecord>> {
    const refFilter = filter.referenceId
      ? inArray(
          calibrationRecords.id,
          this.db.select({ id: recordReferences.recordId }).from(recordReferences).where(eq(recordReferences.referenceId, filter.referenceId)),
        )
      : undefined;
    const rows = await this.loadRecords(
      [
        filter.subjectId ? eq(calibrationRecords.subjectId, filter.subjectId) : undefined,
        filter.labId ? eq(calibrationRecords.labId, filter.labId) : undefined,
        filter.kind ? eq(calibrationRecords.kind, filter.kind) : undefined,
        filter.certificateNo ? sameIdentifier(calibrationRecords.certificateNo, filter.certificateNo) : undefined,
        refFilter,
        filter.visibleTo === undefined ? undefined : recordVisible(filter.visibleTo),
        req.after === null ? undefined : gt(calibrationRecords.id, req.after),
      ],
      req.limit + 1,
    );
    const more = rows.length > req.limit;
    const items = more ? rows.slice(0, req.limit) : rows;
    return { items, lastId: more ? items[items.length - 1]!.record.id : null };
  }

  async loadUpwardClosure(rootIds: readonly string[], maxEquipment: number, at: CalendarDate, asKnownAt: string | null = null): Promise<UpwardClosure> {
    // As known at a moment: only what had been written by then (every table read here is
    // append-only, so this is a filter, not a copy); a correction written later supersedes nothing yet.
    const known = (alias: string) => (asKnownAt === null ? sql`true` : sql`${sql.raw(alias)}.created_at <= ${asKnownAt}::timestamptz`);
    // One statement, one round trip. The recursion walks only the links a resolution at
    // `at` can use: from each (equipment, date of use) the current record in force then
    // (the latest performed on or before it, ties by id as the core breaks them), and on
    // to its references at that record's date. The roots keep all their current records
    // (a status needs the first verification too) and the references of each, so the
    // chain behind any of them (the verification in force, when a later calibration
    // exists) can be resolved. Everything a resolution reads comes back as one JSON
    // document; numerics and dates are cast to text inside, so no value passes through
    // a JSON number.
    const roots = sql.raw(pgArray(rootIds.length > 0 ? [...rootIds] : ['']));
    const result = await this.db.execute(sql`
      with recursive up(id, at) as (
        select unnest(${roots}::text[]), ${at}::date
        union
        select rr.reference_id, cr.performed_on from calibration_records cr
        join record_references rr on rr.record_id = cr.id
        where cr.subject_id in (select unnest(${roots}::text[])) and cr.performed_on <= ${at}::date and ${known('cr')}
          and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id and ${known('c2')})
        union
        select rr.reference_id, lr.performed_on from up
        cross join lateral (
          select cr.id, cr.performed_on from calibration_records cr
          where cr.subject_id = up.id and cr.performed_on <= up.at and ${known('cr')}
            and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id and ${known('c2')})
          order by cr.performed_on desc, cr.id collate "C" desc limit 1
        ) lr
        join record_references rr on rr.record_id = lr.id
      ),
      ids as (select distinct id from up limit ${maxEquipment}),
      recs as (
        select cr.* from calibration_records cr
        where cr.subject_id in (select unnest(${roots}::text[])) and ${known('cr')}
          and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id and ${known('c2')})
        union
        select lr.* from up
        cross join lateral (
          select cr.* from calibration_records cr
          where cr.subject_id = up.id and cr.performed_on <= up.at and ${known('cr')}
            and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id and ${known('c2')})
          order by cr.performed_on desc, cr.id collate "C" desc limit 1
        ) lr
      ),
      labs as (select lab_id from recs union select owner_id from equipment where id in (select unnest(${roots}::text[])))
      select json_build_object(
        'equipment', coalesce((select json_agg(${EQUIPMENT_JSON})
          from equipment e where e.id in (select id from ids) and ${known('e')}), '[]'::json),
        'records', coalesce((select json_agg(${RECORD_JSON})
          from recs r), '[]'::json),
        'labs', coalesce((select json_agg(${ORGANISATION_JSON})
          from organisations o where o.id in (select lab_id from labs) and ${known('o')}), '[]'::json),
        'scopes', coalesce((select json_agg(json_build_object('id', s.id, 'labId', s.lab_id, 'quantity', s.quantity, 'category', s.category,
          'rangeMin', s.range_min::text, 'rangeMax', s.range_max::text, 'rangeUnit', s.range_unit, 'mandatoryVerification', s.mandatory_verification,
          'validFrom', s.valid_from::text, 'validUntil', s.valid_until::text, 'authorisationNo', s.authorisation_no, 'issuedBy', s.issued_by))
          from lab_scopes s where s.lab_id in (select lab_id from labs) and ${known('s')}), '[]'::json),
        'scopeVersions', coalesce((select json_agg(json_build_object('id', v.id, 'scopeId', v.scope_id, 'version', v.version, 'kind', v.kind,
          'effectiveFrom', v.effective_from::text, 'reason', v.reason, 'category', v.category, 'rangeMin', v.range_min::text, 'rangeMax', v.range_max::text,
          'rangeUnit', v.range_unit, 'mandatoryVerification', v.mandatory_verification, 'validUntil', v.valid_until::text,
          'authorisationNo', v.authorisation_no, 'issuedBy', v.issued_by) order by v.version)
          from lab_scope_versions v join lab_scopes s on s.id = v.scope_id where s.lab_id in (select lab_id from labs) and ${known('v')}), '[]'::json),
        'tolerance', coalesce((select json_agg(json_build_object('equipmentId', t.equipment_id, 'foundOn', t.found_on::text, 'lastKnownGood', t.last_known_good::text))
          from tolerance_findings t where t.equipment_id in (select id from ids) and ${known('t')}), '[]'::json),
        'events', coalesce((select json_agg(${EVENT_JSON} order by ev.seq)
          from equipment_events ev where ev.equipment_id in (select id from ids) and ${known('ev')}), '[]'::json)
      )::text as doc`);
    const doc = JSON.parse(rowsOf<{ doc: string }>(result)[0]!.doc) as ClosureDocument;
    const equipmentMap = new Map(doc.equipment.map((r) => [r.id, equipmentFromJson(r)]));
    const records = new Map<string, CalibrationRecord[]>([...equipmentMap.keys()].map((id) => [id, []]));
    for (const r of doc.records) records.get(r.subjectId)?.push(recordFromJson(r));
    const organisationsMap = new Map(doc.labs.map((o) => [o.id, organisationFromJson(o)]));
    // each lab's scopes as in force over time: the version in force on a record's day is what its checks read
    const histories = scopeHistoriesOf(
      doc.scopes.map((r) => scopeFromRow(r as unknown as typeof labScopes.$inferSelect)),
      doc.scopeVersions as unknown as Array<typeof labScopeVersions.$inferSelect>,
    );
    const scopes = groupBy(
      histories.flatMap((h) => periods(h)),
      (p) => p.labId,
      (p) => p,
    );
    const tolerance = groupBy(
      doc.tolerance,
      (f) => f.equipmentId,
      (f) => f,
    );
    const events = groupBy(doc.events, (e) => e.equipmentId, eventFromJson);
    return { equipment: equipmentMap, records, organisations: organisationsMap, scopes, tolerance, events };
  }

  async recordsUsingSince(references: ReadonlyArray<readonly [string, string]>): Promise<CalibrationRecord[]> {
    if (references.length === 0) return [];
    const ids = references.map(([id]) => id);
    const dates = references.map(([, d]) => d);
    // The references and their dates as a relation (unnest of two arrays), joined to the
    // reference index; superseded records are left out.
    const result = await this.db.execute(sql`
      select cr.id, cr.kind, cr.subject_id as "subjectId", cr.lab_id as "labId", cr.certificate_no as "certificateNo",
             cr.performed_on::text as "performedOn", cr.valid_until::text as "validUntil", cr.conformity, cr.supersedes, cr.remarks,
             rr.reference_id as "referenceId"
      from unnest(${sql.raw(pgArray(ids))}::text[], ${sql.raw(pgArray(dates))}::date[]) as f(id, since)
      join record_references rr on rr.reference_id = f.id
      join calibration_records cr on cr.id = rr.record_id and cr.performed_on >= f.since
      where not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id)`);
    const rows = rowsOf<typeof calibrationRecords.$inferSelect & { referenceId: string }>(result);
    const byId = new Map<string, CalibrationRecord>();
    for (const r of rows) {
      const existing = byId.get(r.id);
      if (existing) (existing.referenceIds as string[]).push(r.referenceId);
      else byId.set(r.id, recordFromRow(r, [r.referenceId], []));
    }
    return [...byId.values()];
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
    const rows = await this.db.execute(sql`select ${EVENT_JSON}::text as e from equipment_events ev where ev.equipment_id = ${equipmentId} order by ev.seq`);
    return rowsOf<{ e: string }>(rows).map((r) => eventFromJson(JSON.parse(r.e) as EventJson));
  }

  async insertToleranceFinding(f: ToleranceFinding & { readonly id: string; readonly remarks: string | null }): Promise<void> {
    await guarded(async () => {
      await this.db
        .insert(toleranceFindings)
        .values({ id: f.id, equipmentId: f.equipmentId, foundOn: f.foundOn, lastKnownGood: f.lastKnownGood, remarks: f.remarks });
      await appendToLedger(this.db, this.ledgerKeys, 'tolerance_finding', f.id);
    });
  }

  async listToleranceFindings(equipmentId?: string): Promise<StoredToleranceFinding[]> {
    const rows = await this.db
      .select()
      .from(toleranceFindings)
      .where(equipmentId === undefined ? undefined : eq(toleranceFindings.equipmentId, equipmentId))
      .orderBy(asc(toleranceFindings.foundOn), asc(toleranceFindings.id));
    return rows.map((r) => ({
      id: r.id,
      equipmentId: r.equipmentId,
      foundOn: r.foundOn as CalendarDate,
      lastKnownGood: r.lastKnownGood as CalendarDate,
      remarks: r.remarks ?? null,
    }));
  }

  private async loadRecords(where: Array<SQL | undefined>, limit: number): Promise<StoredRecord[]> {
    const rows = await this.db
      .select({ record: calibrationRecords, supersededBy: correction.id })
      .from(calibrationRecords)
      .leftJoin(correction, eq(correction.supersedes, calibrationRecords.id))
      .where(conditions(where))
      .orderBy(asc(calibrationRecords.id))
      .limit(limit);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.record.id);
    const [refs, points] = await Promise.all([
      this.db
        .select()
        .from(recordReferences)
        .where(inArray(recordReferences.recordId, ids))
        .orderBy(asc(recordReferences.recordId), asc(recordReferences.position)),
      this.db.select().from(measuredPoints).where(inArray(measuredPoints.recordId, ids)).orderBy(asc(measuredPoints.recordId), asc(measuredPoints.seq)),
    ]);
    const refsBy = groupBy(
      refs,
      (r) => r.recordId,
      (r) => r.referenceId,
    );
    const pointsBy = groupBy(points, (p) => p.recordId, pointFromRow);
    return rows.map((r) => ({
      record: recordFromRow(r.record, refsBy.get(r.record.id) ?? [], pointsBy.get(r.record.id) ?? []),
      supersededBy: r.supersededBy,
    }));
  }
}

/*
 * Rows as JSON objects built inside PostgreSQL, with the drizzle row's field
 * names and every numeric and date cast to text (no value passes through a JSON
 * number): for statements that return a whole document in one round trip.
 * The table aliases are fixed: e (equipment), r (calibration_records), o (organisations).
 */
const EQUIPMENT_JSON = sql.raw(`json_build_object(
          'id', e.id, 'ownerId', e.owner_id, 'name', e.name, 'assetCode', e.asset_code, 'serialNumber', e.serial_number,
          'manufacturer', e.manufacturer, 'model', e.model, 'quantity', e.quantity, 'rangeMin', e.range_min::text,
          'rangeMax', e.range_max::text, 'rangeUnit', e.range_unit, 'accuracyKind', e.accuracy_kind, 'mpe', e.mpe::text,
          'accuracyClass', e.accuracy_class, 'expandedUncertainty', e.expanded_uncertainty::text, 'coverageFactor', e.coverage_factor::text,
          'accuracyUnit', e.accuracy_unit, 'level', e.level, 'category', e.category, 'usage', e.usage, 'status', e.status,
          'assessmentNo', e.assessment_no, 'assessmentValidFrom', e.assessment_valid_from::text,
          'assessmentValidUntil', e.assessment_valid_until::text, 'realisation', e.realisation,
          'patternApprovalNo', e.pattern_approval_no)`);
const RECORD_JSON = sql.raw(`json_build_object(
          'id', r.id, 'kind', r.kind, 'subjectId', r.subject_id, 'labId', r.lab_id, 'certificateNo', r.certificate_no,
          'performedOn', r.performed_on::text, 'validUntil', r.valid_until::text, 'conformity', r.conformity,
          'supersedes', r.supersedes, 'remarks', r.remarks, 'decisionRule', r.decision_rule, 'conditions', r.conditions,
          'externalReferences', r.external_references, 'verificationType', r.verification_type, 'procedure', r.procedure,
          'verifier', r.verifier, 'checker', r.checker, 'approver', r.approver, 'certificateKind', r.certificate_kind,
          'labelNo', r.label_no, 'sealNo', r.seal_no, 'customerName', r.customer_name,
          'refs', (select coalesce(json_agg(rr.reference_id order by rr.position), '[]'::json) from record_references rr where rr.record_id = r.id),
          'points', (select coalesce(json_agg(json_build_object('nominal', p.nominal::text, 'asFound', p.as_found::text, 'asLeft', p.as_left::text,
            'expandedUncertainty', p.expanded_uncertainty::text, 'coverageFactor', p.coverage_factor::text, 'unit', p.unit) order by p.seq), '[]'::json)
            from measured_points p where p.record_id = r.id))`);
const ORGANISATION_JSON = sql.raw(
  `json_build_object('id', o.id, 'name', o.name, 'kind', o.kind, 'regionCode', o.region_code, 'accreditation', o.accreditation)`,
);
export const ROW_JSON = { equipment: EQUIPMENT_JSON, record: RECORD_JSON, organisation: ORGANISATION_JSON } as const;

export type JsonRecord = { id: string; subjectId: string; refs: string[]; points: Array<Record<string, string | null>> } & Record<string, unknown>;
export const equipmentFromJson = (r: Record<string, unknown>): Equipment => equipmentFromRow(r as unknown as typeof equipment.$inferSelect);
export const organisationFromJson = (o: Record<string, unknown>): Organisation => organisationFromRow(o as unknown as typeof organisations.$inferSelect);
export function recordFromJson(r: JsonRecord): CalibrationRecord {
  const points = r.points.map((p, seq) => pointFromRow({ ...p, recordId: r.id, seq } as unknown as typeof measuredPoints.$inferSelect));
  return recordFromRow(r as unknown as typeof calibrationRecords.$inferSelect, r.refs, points);
}

/** The closure of a chain as the single query of loadUpwardClosure returns it (every value text). */
interface ClosureDocument {
  equipment: Array<{ id: string } & Record<string, unknown>>;
  records: JsonRecord[];
  labs: Array<{ id: string } & Record<string, unknown>>;
  scopes: Array<{ labId: string } & Record<string, unknown>>;
  scopeVersions: Array<Record<string, unknown>>;
  tolerance: ToleranceFinding[];
  events: EventJson[];
}

export { appendToLedger };

/** Each scope's history: as created, then its amendments in version order (rows of any of the scopes). */
function scopeHistoriesOf(scopes: readonly LabScope[], amendments: ReadonlyArray<typeof labScopeVersions.$inferSelect>): ScopeVersion[][] {
  const byScope = groupBy(
    [...amendments],
    (a) => a.scopeId,
    (a) => a,
  );
  return scopes.map((scope) => [originalVersion(scope), ...(byScope.get(scope.id) ?? []).map((a) => scopeVersionFromRow(scope, a))]);
}

function cmcHistoriesOf(cmcs: readonly Cmc[], amendments: ReadonlyArray<typeof labCmcVersions.$inferSelect>): CmcVersion[][] {
  const byCmc = groupBy(
    [...amendments],
    (a) => a.cmcId,
    (a) => a,
  );
  return cmcs.map((cmc) => [originalVersion(cmc), ...(byCmc.get(cmc.id) ?? []).map((a) => cmcVersionFromRow(cmc, a))]);
}

/** What a read scope sees of the records: those of equipment it sees, and for a lab the records it issued. */
function recordVisible(scope: ReadScope): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  const subject = sql`exists (select 1 from equipment ve where ve.id = ${calibrationRecords.subjectId} and ${equipmentVisible(scope, sql`ve.id`, sql`ve.owner_id`)})`;
  return scope.kind === 'lab' ? sql`(${calibrationRecords.labId} = ${scope.organisationId} or ${subject})` : subject;
}

/** Loads by id in chunks, keeping each statement well under PostgreSQL's 65,535 bind parameters. */
export async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

/** A PostgreSQL array literal of strings (values are quoted and escaped). */
export function pgArray(values: readonly string[]): string {
  return `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;
}

export function groupBy<T, V>(items: T[], key: (t: T) => string, value: (t: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(value(item));
    else out.set(k, [value(item)]);
  }
  return out;
}

export type { MeasuredPoint };
