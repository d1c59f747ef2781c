/**
 * The registry over drizzle-orm. Takes the db (or a transaction) as a
 * parameter; every multi-row write happens inside one transaction.
 *
 * @impure talks to the database.
 */
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type {
  EquipmentFilter,
  OrganisationFilter,
  Page,
  PageRequest,
  RecordFilter,
  RegistryStore,
  StoredRecord,
} from '../app/ports.ts';
import type { CalibrationRecord, Equipment, LabScope, MeasuredPoint, Organisation } from '../core/registry/types.ts';
import type { Db } from './db.ts';
import { translateDbError } from './db-errors.ts';
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
} from './mappers.ts';
import { calibrationRecords, equipment, labScopes, measuredPoints, organisations, recordReferences, toleranceFindings } from './schema/registry.ts';
import type { ToleranceFinding } from '../core/traceability/chain.ts';
import type { CalendarDate } from '../core/dates.ts';

const correction = alias(calibrationRecords, 'correction');

function conditions(parts: Array<SQL | undefined>): SQL | undefined {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length === 0 ? undefined : and(...present);
}

function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, lastId: more ? items[items.length - 1]!.id : null };
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw translateDbError(e);
  }
}

export class DrizzleRegistryStore implements RegistryStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (store: RegistryStore) => Promise<T>): Promise<T> {
    return guarded(() => this.db.transaction((tx) => work(new DrizzleRegistryStore(tx as unknown as Db))));
  }

  // ---- organisations ----
  async insertOrganisation(org: Organisation): Promise<void> {
    await guarded(() => this.db.insert(organisations).values(organisationToRow(org)));
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
    const rows = await this.db.select().from(organisations).where(where).orderBy(asc(organisations.id)).limit(req.limit + 1);
    return page(rows.map(organisationFromRow), req.limit);
  }

  // ---- scopes ----
  async insertScope(scope: LabScope): Promise<void> {
    await guarded(() => this.db.insert(labScopes).values(scopeToRow(scope)));
  }

  async listScopes(labId: string): Promise<LabScope[]> {
    const rows = await this.db.select().from(labScopes).where(eq(labScopes.labId, labId)).orderBy(asc(labScopes.validFrom), asc(labScopes.id));
    return rows.map(scopeFromRow);
  }

  // ---- equipment ----
  async insertEquipment(e: Equipment): Promise<void> {
    await guarded(() => this.db.insert(equipment).values(equipmentToRow(e)));
  }

  async getEquipment(id: string): Promise<Equipment | undefined> {
    const rows = await this.db.select().from(equipment).where(eq(equipment.id, id));
    return rows[0] && equipmentFromRow(rows[0]);
  }

  async getEquipmentMany(ids: readonly string[]): Promise<Map<string, Equipment>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.select().from(equipment).where(inArray(equipment.id, [...ids]));
    return new Map(rows.map((r) => [r.id, equipmentFromRow(r)]));
  }

  async listEquipment(filter: EquipmentFilter, req: PageRequest): Promise<Page<Equipment>> {
    const where = conditions([
      filter.ownerId === undefined ? undefined : eq(equipment.ownerId, filter.ownerId),
      filter.quantity === undefined ? undefined : eq(equipment.quantity, filter.quantity),
      filter.level === undefined ? undefined : eq(equipment.level, filter.level),
      filter.category === undefined ? undefined : eq(equipment.category, filter.category),
      filter.usage === undefined ? undefined : eq(equipment.usage, filter.usage),
      filter.status === undefined ? undefined : eq(equipment.status, filter.status),
      filter.assetCode === undefined ? undefined : eq(equipment.assetCode, filter.assetCode),
      req.after === null ? undefined : gt(equipment.id, req.after),
    ]);
    const rows = await this.db.select().from(equipment).where(where).orderBy(asc(equipment.id)).limit(req.limit + 1);
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
    });
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    const found = await this.loadRecords([eq(calibrationRecords.id, id)], 1);
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
        filter.certificateNo ? eq(calibrationRecords.certificateNo, filter.certificateNo) : undefined,
        refFilter,
        req.after === null ? undefined : gt(calibrationRecords.id, req.after),
      ],
      req.limit + 1,
    );
    const more = rows.length > req.limit;
    const items = more ? rows.slice(0, req.limit) : rows;
    return { items, lastId: more ? items[items.length - 1]!.record.id : null };
  }

  async insertToleranceFinding(f: ToleranceFinding & { readonly id: string; readonly remarks: string | null }): Promise<void> {
    await guarded(() => this.db.insert(toleranceFindings).values({ id: f.id, equipmentId: f.equipmentId, foundOn: f.foundOn, lastKnownGood: f.lastKnownGood, remarks: f.remarks }));
  }

  async listToleranceFindings(equipmentId: string): Promise<ToleranceFinding[]> {
    const rows = await this.db.select().from(toleranceFindings).where(eq(toleranceFindings.equipmentId, equipmentId)).orderBy(asc(toleranceFindings.foundOn));
    return rows.map((r) => ({ equipmentId: r.equipmentId, foundOn: r.foundOn as CalendarDate, lastKnownGood: r.lastKnownGood as CalendarDate }));
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
      this.db.select().from(recordReferences).where(inArray(recordReferences.recordId, ids)).orderBy(asc(recordReferences.recordId), asc(recordReferences.position)),
      this.db.select().from(measuredPoints).where(inArray(measuredPoints.recordId, ids)).orderBy(asc(measuredPoints.recordId), asc(measuredPoints.seq)),
    ]);
    const refsBy = groupBy(refs, (r) => r.recordId, (r) => r.referenceId);
    const pointsBy = groupBy(points, (p) => p.recordId, pointFromRow);
    return rows.map((r) => ({
      record: recordFromRow(r.record, refsBy.get(r.record.id) ?? [], pointsBy.get(r.record.id) ?? []),
      supersededBy: r.supersededBy,
    }));
  }
}

function groupBy<T, V>(items: T[], key: (t: T) => string, value: (t: T) => V): Map<string, V[]> {
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
