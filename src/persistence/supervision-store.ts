/**
 * Supervision rows: in-use inspections, spot-check plans and their closure,
 * integrity measures (core/supervision/). All append-only and ledgered.
 * @impure talks to the database.
 */
import { asc, desc, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import type { DrawCandidate, InspectionFilter, LedgerKeys, PlanRow, SupervisionStore } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { LedgerKind } from '../core/ledger/chain.ts';
import type { InUseInspection } from '../core/supervision/inspection.ts';
import type { IntegrityMeasure } from '../core/supervision/integrity.ts';
import { rowsOf, type Db } from './db.ts';
import { writeEntered } from './ledger-store.ts';
import { equipment, organisations } from './schema/registry.ts';
import { inUseInspections, integrityMeasures, spotCheckClosures, spotCheckPlans } from './schema/supervision.ts';
import { conditions, inValues, writtenBy } from './sql-helpers.ts';

type InspectionRow = typeof inUseInspections.$inferSelect;

function inspectionOf(r: InspectionRow): InUseInspection & { recordedAt: string } {
  return {
    id: r.id,
    equipmentId: r.equipmentId,
    organisationId: r.organisationId,
    regulatorId: r.regulatorId,
    planId: r.planId,
    inspectedOn: r.inspectedOn as CalendarDate,
    inspectors: r.inspectors as string[],
    labelPresent: r.labelPresent,
    labelMatches: r.labelMatches,
    sealIntact: r.sealIntact,
    verificationState: r.verificationState,
    points: r.points as InUseInspection['points'],
    photos: r.photos as string[],
    outcome: r.outcome as InUseInspection['outcome'],
    reasons: r.reasons as InUseInspection['reasons'],
    rectifyBy: r.rectifyBy as CalendarDate | null,
    remarks: r.remarks,
    recordedAt: r.createdAt,
  };
}

function measureOf(r: typeof integrityMeasures.$inferSelect): IntegrityMeasure {
  return {
    id: r.id,
    organisationId: r.organisationId,
    kind: r.kind as IntegrityMeasure['kind'],
    decidedOn: r.decidedOn as CalendarDate,
    reason: r.reason,
    regulatorId: r.regulatorId,
  };
}

export class DrizzleSupervisionStore implements SupervisionStore {
  constructor(
    private readonly db: Db,
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  private entered(kind: LedgerKind, id: string, write: (db: Db) => Promise<unknown>): Promise<void> {
    return writeEntered(this.db, this.ledgerKeys, kind, id, write);
  }

  /** The points checked are stored as JSON with their decimals as strings: nothing is rounded on the way. */
  async insertInspection(i: InUseInspection, keyId: string | null): Promise<void> {
    await this.entered('in_use_inspection', i.id, (db) =>
      db.insert(inUseInspections).values({
        id: i.id,
        equipmentId: i.equipmentId,
        organisationId: i.organisationId,
        regulatorId: i.regulatorId,
        planId: i.planId,
        inspectedOn: i.inspectedOn,
        inspectors: i.inspectors,
        labelPresent: i.labelPresent,
        labelMatches: i.labelMatches,
        sealIntact: i.sealIntact,
        verificationState: i.verificationState,
        points: i.points,
        photos: i.photos,
        outcome: i.outcome,
        reasons: i.reasons,
        rectifyBy: i.rectifyBy,
        remarks: i.remarks,
        recordedByKey: keyId,
      }),
    );
  }

  async getInspection(id: string): Promise<(InUseInspection & { recordedAt: string }) | undefined> {
    const rows = await this.db.select().from(inUseInspections).where(eq(inUseInspections.id, id));
    return rows[0] && inspectionOf(rows[0]);
  }

  async listInspections(f: InspectionFilter): Promise<Array<InUseInspection & { recordedAt: string }>> {
    if (f.organisationIds && f.organisationIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(inUseInspections)
      .where(
        conditions([
          f.equipmentId === undefined ? undefined : eq(inUseInspections.equipmentId, f.equipmentId),
          f.organisationIds === undefined ? undefined : inValues(inUseInspections.organisationId, f.organisationIds),
          f.planId === undefined ? undefined : eq(inUseInspections.planId, f.planId),
          f.from === undefined ? undefined : gt(inUseInspections.inspectedOn, f.from),
          f.to === undefined ? undefined : lte(inUseInspections.inspectedOn, f.to),
          writtenBy(inUseInspections.createdAt, f.asKnownAt),
        ]),
      )
      .orderBy(asc(inUseInspections.inspectedOn), asc(inUseInspections.createdAt), asc(inUseInspections.id));
    return rows.map(inspectionOf);
  }

  async insertPlan(p: Omit<PlanRow, 'createdAt' | 'closedOn'>): Promise<void> {
    await this.entered('spot_check_plan', p.id, (db) =>
      db.insert(spotCheckPlans).values({
        id: p.id,
        regulatorId: p.regulatorId,
        title: p.title,
        unit: p.unit,
        drawDate: p.drawDate,
        seed: p.seed,
        rules: p.rules,
        inspectors: p.inspectors,
        pastInspections: p.pastInspections,
        population: p.population,
        populationHash: p.populationHash,
        populationSize: p.populationSize,
        result: p.result,
        drawnByKey: p.drawnByKey,
      }),
    );
  }

  async getPlan(id: string): Promise<PlanRow | undefined> {
    const rows = await this.db
      .select({ p: spotCheckPlans, c: spotCheckClosures })
      .from(spotCheckPlans)
      .leftJoin(spotCheckClosures, eq(spotCheckClosures.planId, spotCheckPlans.id))
      .where(eq(spotCheckPlans.id, id));
    const r = rows[0];
    if (!r) return undefined;
    return {
      ...r.p,
      drawDate: r.p.drawDate as CalendarDate,
      unit: r.p.unit as PlanRow['unit'],
      closedOn: (r.c?.closedOn as CalendarDate | undefined) ?? null,
    } as PlanRow;
  }

  async listPlans(regulatorId: string | null): Promise<Array<Omit<PlanRow, 'population' | 'pastInspections' | 'inspectors'>>> {
    const rows = await this.db
      .select({
        id: spotCheckPlans.id,
        regulatorId: spotCheckPlans.regulatorId,
        title: spotCheckPlans.title,
        unit: spotCheckPlans.unit,
        drawDate: spotCheckPlans.drawDate,
        seed: spotCheckPlans.seed,
        rules: spotCheckPlans.rules,
        populationHash: spotCheckPlans.populationHash,
        populationSize: spotCheckPlans.populationSize,
        result: spotCheckPlans.result,
        drawnByKey: spotCheckPlans.drawnByKey,
        createdAt: spotCheckPlans.createdAt,
        closedOn: spotCheckClosures.closedOn,
      })
      .from(spotCheckPlans)
      .leftJoin(spotCheckClosures, eq(spotCheckClosures.planId, spotCheckPlans.id))
      .where(regulatorId === null ? undefined : eq(spotCheckPlans.regulatorId, regulatorId))
      .orderBy(desc(spotCheckPlans.drawDate), asc(spotCheckPlans.id));
    return rows.map((r) => ({
      ...r,
      drawDate: r.drawDate as CalendarDate,
      unit: r.unit as PlanRow['unit'],
      closedOn: (r.closedOn as CalendarDate | null) ?? null,
    }));
  }

  async closePlan(planId: string, closedOn: CalendarDate, keyId: string | null): Promise<void> {
    await this.entered('spot_check_closure', planId, (db) => db.insert(spotCheckClosures).values({ planId, closedOn, closedByKey: keyId }));
  }

  /** Instruments (with their registered owner) or organisations a draw may pick from, by the plan's filter. */
  async drawCandidates(f: {
    unit: 'instrument' | 'organisation';
    regionPrefix: string;
    organisationKinds?: readonly string[];
    category?: string;
    usage?: string;
  }): Promise<DrawCandidate[]> {
    const region = sql`${organisations.regionCode} like ${`${f.regionPrefix}%`}`;
    const kinds = f.organisationKinds && f.organisationKinds.length > 0 ? inArray(organisations.kind, [...f.organisationKinds]) : undefined;
    if (f.unit === 'organisation') {
      const rows = await this.db
        .select({ id: organisations.id, region: organisations.regionCode })
        .from(organisations)
        .where(conditions([region, kinds]))
        .orderBy(asc(organisations.id));
      return rows.map((r) => ({ id: r.id, organisationId: r.id, region: r.region, category: null, usage: null, status: 'in_service' }));
    }
    const rows = await this.db
      .select({
        id: equipment.id,
        organisationId: equipment.ownerId,
        region: organisations.regionCode,
        category: equipment.category,
        usage: equipment.usage,
        status: equipment.status,
      })
      .from(equipment)
      .innerJoin(organisations, eq(organisations.id, equipment.ownerId))
      .where(
        conditions([
          region,
          kinds,
          eq(equipment.level, 'working_instrument'),
          f.category === undefined ? undefined : eq(equipment.category, f.category),
          f.usage === undefined ? undefined : eq(equipment.usage, f.usage),
        ]),
      )
      .orderBy(asc(equipment.id));
    return rows;
  }

  /** Failed verifications of each owner's instruments performed in (from, to], corrections counted once (the standing record). */
  async failedVerifications(ownerIds: readonly string[], from: CalendarDate, to: CalendarDate): Promise<Map<string, number>> {
    if (ownerIds.length === 0) return new Map();
    // current records only: a failed verification corrected since is no longer a failure
    const rows = rowsOf<{ ownerId: string; n: number }>(
      await this.db.execute(sql`
        select e.owner_id as "ownerId", count(*)::int as n
        from current_records cr join equipment e on e.id = cr.subject_id
        where ${inValues(sql`e.owner_id`, ownerIds)} and cr.kind = 'verification' and cr.conformity = 'fail'
          and cr.performed_on > ${from}::date and cr.performed_on <= ${to}::date
        group by e.owner_id`),
    );
    return new Map(rows.map((r) => [r.ownerId, Number(r.n)]));
  }

  async insertMeasure(m: IntegrityMeasure, keyId: string | null): Promise<void> {
    await this.entered('integrity_measure', m.id, (db) =>
      db.insert(integrityMeasures).values({
        id: m.id,
        organisationId: m.organisationId,
        kind: m.kind,
        decidedOn: m.decidedOn,
        reason: m.reason,
        regulatorId: m.regulatorId,
        recordedByKey: keyId,
      }),
    );
  }

  async listMeasures(organisationIds?: readonly string[]): Promise<IntegrityMeasure[]> {
    if (organisationIds && organisationIds.length === 0) return [];
    const rows = await this.db
      .select()
      .from(integrityMeasures)
      .where(organisationIds === undefined ? undefined : inValues(integrityMeasures.organisationId, organisationIds))
      .orderBy(asc(integrityMeasures.decidedOn), asc(integrityMeasures.createdAt), asc(integrityMeasures.id));
    return rows.map(measureOf);
  }
}
