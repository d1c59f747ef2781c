/**
 * Calibration records over drizzle-orm: a record with its references and
 * measured points, its DCC sidecar, and the reads of records (by id, by
 * certificate, by filter, by read scope). Takes the db (or a transaction).
 *
 * @impure talks to the database.
 */
import { and, asc, eq, gt, inArray, is, sql, type SQL } from 'drizzle-orm';
import { alias, PgTransaction } from 'drizzle-orm/pg-core';
import type { LedgerKeys, Page, PageRequest, RecordFilter, RecordStore, StoredRecord } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { ReadScope } from '../core/access/roles.ts';
import type { CalibrationRecord } from '../core/registry/types.ts';
import type { Db } from './db.ts';
import { insertRows } from './statement.ts';
import { appendToLedger } from './ledger-store.ts';
import { pointFromRow, pointToRow, recordFromRow, recordToRow } from './mappers.ts';
import { calibrationRecords, measuredPoints, recordReferences, recordSidecars } from './schema/registry.ts';
import { conditions, equipmentVisible, groupBy, guarded, sameIdentifier } from './sql-helpers.ts';

const correction = alias(calibrationRecords, 'correction');

/** A statement started: a throw while building it becomes its failure, in its place among the others. */
function started(start: () => Promise<unknown>): Promise<unknown> {
  try {
    return start();
  } catch (e) {
    return Promise.reject(e);
  }
}

/**
 * Waits for every statement sent, and fails with the failure that came first in the order they
 * were sent (a later one's is only the transaction's abort), once all have ended.
 */
async function firstFailure(sent: readonly Promise<unknown>[]): Promise<void> {
  const outcomes = await Promise.allSettled(sent);
  const failed = outcomes.find((o) => o.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
}

export class DrizzleRecordStore implements RecordStore {
  constructor(
    private readonly db: Db,
    /** The ledger key ring every entry this store appends is signed with. */
    readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  async insertRecord(record: CalibrationRecord): Promise<void> {
    // Record, references, points and ledger entry land together or not at all: in the caller's
    // transaction, or in one of their own when called outside any (on a pool, the statements
    // sent together below would otherwise each take a connection of their own).
    if (!is(this.db, PgTransaction)) {
      await this.db.transaction((tx) => new DrizzleRecordStore(tx as unknown as Db, this.ledgerKeys).insertRecord(record));
      return;
    }
    // The record's insert takes the ledger's lock (its uniqueness trigger, migration 0020), which
    // every other writer then waits on until this transaction ends: so the inserts and the ledger
    // entry are sent together, in this order, on the transaction's one connection, and run one
    // after another in one round trip instead of four (each a wait for this process's turn on a
    // busy machine). Each statement sees the ones before it; if one fails, the rest fail as the
    // transaction is aborted, and the first failure is the one reported.
    // The rows are built before anything is sent, and a statement that fails as it is built fails
    // in its place (started): a throw once a statement is on its way would leave that statement's
    // failure unhandled.
    const recordRow = recordToRow(record);
    const referenceRows = record.referenceIds.map((referenceId, position) => ({ recordId: record.id, referenceId, position }));
    const pointRows = record.points.map((p, i) => pointToRow(record.id, i, p));
    await guarded(async () => {
      // (statement texts built once: insertRows)
      const sent: Promise<unknown>[] = [started(() => insertRows(this.db, calibrationRecords, [recordRow]))];
      if (referenceRows.length > 0) sent.push(started(() => insertRows(this.db, recordReferences, referenceRows)));
      if (pointRows.length > 0) sent.push(started(() => insertRows(this.db, measuredPoints, pointRows)));
      // Last, and it must stay last: a raw statement (db.execute) reaches the driver a microtask
      // later than one prepared directly (insertRows), so one started before the inserts could pass them.
      sent.push(started(() => appendToLedger(this.db, this.ledgerKeys, 'record', record.id)));
      await firstFailure(sent);
    });
  }

  async getRecord(id: string): Promise<StoredRecord | undefined> {
    const found = await this.loadRecords([eq(calibrationRecords.id, id)], 1);
    return found[0];
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

/** What a read scope sees of the records: those of equipment it sees, and for a lab the records it issued. */
function recordVisible(scope: ReadScope): SQL | undefined {
  if (scope.kind === 'all') return undefined;
  const subject = sql`exists (select 1 from equipment ve where ve.id = ${calibrationRecords.subjectId} and ${equipmentVisible(scope, sql`ve.id`, sql`ve.owner_id`)})`;
  return scope.kind === 'lab' ? sql`(${calibrationRecords.labId} = ${scope.organisationId} or ${subject})` : subject;
}
