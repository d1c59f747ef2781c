/**
 * Lots of meters in service: the lot with its members, sampling plans,
 * results and rotations (core/sampling/). All append-only and ledgered.
 * @impure talks to the database.
 */
import { and, asc, eq, inArray, isNotNull, like, lte, sql, type SQL } from 'drizzle-orm';
import type { LedgerKeys, LotFactsRow, LotPlanRow, LotResultRow, LotRow, LotStore } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { Db } from './db.ts';
import { writeEntered } from './ledger-store.ts';
import { lotRotations, lotSamplingPlans, lotSamplingResults, meterLotMembers, meterLots } from './schema/lots.ts';
import { writtenBy } from './sql-helpers.ts';

const CHUNK = 2000;

export class DrizzleLotStore implements LotStore {
  constructor(
    private readonly db: Db,
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  /** The lot and all its members in one transaction with its ledger entry (whose content digests the members). */
  async insertLot(lot: LotRow, members: ReadonlyArray<{ serial: string; equipmentId: string | null }>, keyId: string | null): Promise<void> {
    await writeEntered(this.db, this.ledgerKeys, 'meter_lot', lot.id, async (db) => {
      await db.insert(meterLots).values({ ...lot, registeredByKey: keyId });
      for (let i = 0; i < members.length; i += CHUNK) {
        await db.insert(meterLotMembers).values(members.slice(i, i + CHUNK).map((m) => ({ lotId: lot.id, serial: m.serial, equipmentId: m.equipmentId })));
      }
    });
  }

  async getLot(id: string): Promise<LotRow | undefined> {
    const rows = await this.db.select().from(meterLots).where(eq(meterLots.id, id));
    const r = rows[0];
    if (!r) return undefined;
    const { createdAt: _c, registeredByKey: _k, ...lot } = r;
    return {
      ...lot,
      installedFrom: lot.installedFrom as CalendarDate,
      installedTo: lot.installedTo as CalendarDate,
      registeredOn: lot.registeredOn as CalendarDate,
    };
  }

  /** Members by serial (byte order), as the draw's digest lists them. */
  async members(lotId: string): Promise<Array<{ serial: string; equipmentId: string | null }>> {
    const rows = await this.db
      .select({ serial: meterLotMembers.serial, equipmentId: meterLotMembers.equipmentId })
      .from(meterLotMembers)
      .where(eq(meterLotMembers.lotId, lotId));
    return rows.sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));
  }

  /** Equipment already in a lot, of those given (an instrument belongs to one lot). */
  async equipmentInLots(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const out: string[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db
        .select({ id: meterLotMembers.equipmentId })
        .from(meterLotMembers)
        .where(inArray(meterLotMembers.equipmentId, ids.slice(i, i + CHUNK) as string[]));
      for (const r of rows) if (r.id) out.push(r.id);
    }
    return out;
  }

  async insertPlan(p: LotPlanRow, keyId: string | null): Promise<void> {
    await writeEntered(this.db, this.ledgerKeys, 'lot_sampling_plan', p.id, (db) =>
      db.insert(lotSamplingPlans).values({ ...p, method: p.method === 'attributes' ? null : p.method, plannedByKey: keyId }),
    );
  }

  async getPlan(id: string): Promise<LotPlanRow | undefined> {
    const rows = await this.db.select().from(lotSamplingPlans).where(eq(lotSamplingPlans.id, id));
    return rows[0] && planOf(rows[0]);
  }

  /** A lot's plans, oldest first, each with its result when one is recorded. */
  async plansOf(lotId: string): Promise<Array<LotPlanRow & { result: LotResultRow | null }>> {
    const rows = await this.db
      .select({ p: lotSamplingPlans, r: lotSamplingResults })
      .from(lotSamplingPlans)
      .leftJoin(lotSamplingResults, eq(lotSamplingResults.planId, lotSamplingPlans.id))
      .where(eq(lotSamplingPlans.lotId, lotId))
      .orderBy(asc(lotSamplingPlans.plannedOn), asc(lotSamplingPlans.createdAt), asc(lotSamplingPlans.id));
    return rows.map((x) => ({ ...planOf(x.p), result: x.r ? resultOf(x.r) : null }));
  }

  /**
   * The decided plans of the owner's earlier lots of the same category and model, in the order
   * of their decisions: the lot history the switching rules run over.
   */
  async decidedHistory(ownerId: string, category: string, model: string, before: CalendarDate): Promise<Array<LotPlanRow & { result: LotResultRow }>> {
    const rows = await this.db
      .select({ p: lotSamplingPlans, r: lotSamplingResults })
      .from(lotSamplingResults)
      .innerJoin(lotSamplingPlans, eq(lotSamplingPlans.id, lotSamplingResults.planId))
      .innerJoin(meterLots, eq(meterLots.id, lotSamplingPlans.lotId))
      .where(and(eq(meterLots.ownerId, ownerId), eq(meterLots.category, category), eq(meterLots.model, model), lte(lotSamplingResults.recordedOn, before)))
      .orderBy(asc(lotSamplingResults.recordedOn), asc(lotSamplingResults.createdAt), asc(lotSamplingResults.planId));
    return rows.map((x) => ({ ...planOf(x.p), result: resultOf(x.r) }));
  }

  async insertResult(r: LotResultRow, keyId: string | null): Promise<void> {
    await writeEntered(this.db, this.ledgerKeys, 'lot_sampling_result', r.planId, (db) => db.insert(lotSamplingResults).values({ ...r, recordedByKey: keyId }));
  }

  async rotation(lotId: string): Promise<{ rotatedOn: CalendarDate; remarks: string | null } | undefined> {
    const rows = await this.db.select().from(lotRotations).where(eq(lotRotations.lotId, lotId));
    return rows[0] && { rotatedOn: rows[0].rotatedOn as CalendarDate, remarks: rows[0].remarks };
  }

  async insertRotation(lotId: string, rotatedOn: CalendarDate, remarks: string | null, keyId: string | null): Promise<void> {
    await writeEntered(this.db, this.ledgerKeys, 'lot_rotation', lotId, (db) =>
      db.insert(lotRotations).values({ lotId, rotatedOn, remarks, recordedByKey: keyId }),
    );
  }

  async lotOfEquipment(equipmentId: string, asKnownAt: string | null = null): Promise<{ lotId: string; serial: string } | undefined> {
    const rows = await this.db
      .select({ lotId: meterLotMembers.lotId, serial: meterLotMembers.serial })
      .from(meterLotMembers)
      .innerJoin(meterLots, eq(meterLots.id, meterLotMembers.lotId))
      .where(and(eq(meterLotMembers.equipmentId, equipmentId), writtenBy(meterLots.createdAt, asKnownAt)))
      .limit(1);
    return rows[0];
  }

  /** Three queries whatever the number of lots (lots, plans with results, rotations); members are not read. */
  async lotFacts(filter: {
    readonly regionPrefix?: string | undefined;
    readonly ownerId?: string | undefined;
    readonly ids?: readonly string[] | undefined;
    readonly asKnownAt?: string | null | undefined;
  }): Promise<LotFactsRow[]> {
    const known = filter.asKnownAt ?? null;
    // as known at an instant: only what had been written by then (every row carries its creation time)
    const by = (
      column: typeof meterLots.createdAt | typeof lotSamplingPlans.createdAt | typeof lotSamplingResults.createdAt | typeof lotRotations.createdAt,
    ) => (known === null ? undefined : sql`${column} <= ${known}::timestamptz`);
    const where: Array<SQL | undefined> = [by(meterLots.createdAt)];
    if (filter.regionPrefix !== undefined) where.push(like(meterLots.region, `${filter.regionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
    if (filter.ownerId !== undefined) where.push(eq(meterLots.ownerId, filter.ownerId));
    if (filter.ids !== undefined) {
      if (filter.ids.length === 0) return [];
      where.push(inArray(meterLots.id, filter.ids as string[]));
    }
    const lots = await this.db
      .select()
      .from(meterLots)
      .where(and(...where));
    if (lots.length === 0) return [];
    const ids = lots.map((l) => l.id);
    const plans: Array<{ lotId: string; id: string; plannedOn: string; recordedOn: string | null; decision: string | null }> = [];
    const rotations = new Map<string, CalendarDate>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      plans.push(
        ...(await this.db
          .select({
            lotId: lotSamplingPlans.lotId,
            id: lotSamplingPlans.id,
            plannedOn: lotSamplingPlans.plannedOn,
            recordedOn: lotSamplingResults.recordedOn,
            decision: lotSamplingResults.decision,
          })
          .from(lotSamplingPlans)
          .leftJoin(lotSamplingResults, and(eq(lotSamplingResults.planId, lotSamplingPlans.id), by(lotSamplingResults.createdAt)))
          .where(and(inArray(lotSamplingPlans.lotId, chunk), by(lotSamplingPlans.createdAt)))
          .orderBy(asc(lotSamplingPlans.plannedOn), asc(lotSamplingPlans.createdAt), asc(lotSamplingPlans.id))),
      );
      for (const r of await this.db
        .select({ lotId: lotRotations.lotId, rotatedOn: lotRotations.rotatedOn })
        .from(lotRotations)
        .where(and(inArray(lotRotations.lotId, chunk), by(lotRotations.createdAt))))
        rotations.set(r.lotId, r.rotatedOn as CalendarDate);
    }
    const byLot = new Map<string, Array<LotFactsRow['plans'][number]>>();
    for (const p of plans) {
      let list = byLot.get(p.lotId);
      if (!list) byLot.set(p.lotId, (list = []));
      list.push({
        id: p.id,
        plannedOn: p.plannedOn as CalendarDate,
        result: p.recordedOn === null ? null : { recordedOn: p.recordedOn as CalendarDate, decision: p.decision as 'accept' | 'reject' },
      });
    }
    return lots.map((r) => {
      const { createdAt: _c, registeredByKey: _k, ...lot } = r;
      return {
        lot: {
          ...lot,
          installedFrom: lot.installedFrom as CalendarDate,
          installedTo: lot.installedTo as CalendarDate,
          registeredOn: lot.registeredOn as CalendarDate,
        },
        plans: byLot.get(r.id) ?? [],
        rotatedOn: rotations.get(r.id) ?? null,
      };
    });
  }

  async equipmentMembers(lotIds: readonly string[]): Promise<Array<{ lotId: string; equipmentId: string }>> {
    const out: Array<{ lotId: string; equipmentId: string }> = [];
    for (let i = 0; i < lotIds.length; i += CHUNK) {
      const rows = await this.db
        .select({ lotId: meterLotMembers.lotId, equipmentId: meterLotMembers.equipmentId })
        .from(meterLotMembers)
        .where(and(inArray(meterLotMembers.lotId, lotIds.slice(i, i + CHUNK) as string[]), isNotNull(meterLotMembers.equipmentId)));
      for (const r of rows) out.push({ lotId: r.lotId, equipmentId: r.equipmentId! });
    }
    return out;
  }
}

function planOf(r: typeof lotSamplingPlans.$inferSelect): LotPlanRow {
  const { createdAt: _c, plannedByKey: _k, ...p } = r;
  return {
    ...p,
    plannedOn: p.plannedOn as CalendarDate,
    severity: p.severity as LotPlanRow['severity'],
    method: (p.method ?? 'attributes') as LotPlanRow['method'],
    scheme: p.scheme as LotPlanRow['scheme'],
    sample: p.sample as LotPlanRow['sample'],
  };
}

function resultOf(r: typeof lotSamplingResults.$inferSelect): LotResultRow {
  const { createdAt: _c, recordedByKey: _k, ...x } = r;
  return {
    ...x,
    recordedOn: x.recordedOn as CalendarDate,
    decision: x.decision as LotResultRow['decision'],
    meters: x.meters as LotResultRow['meters'],
    statistics: (x.statistics ?? null) as LotResultRow['statistics'],
  };
}
