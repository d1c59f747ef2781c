/**
 * The mandatory-verification tables over drizzle-orm, and the due-list query.
 * @impure talks to the database.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { DueCandidate, DueQuery, LabCapacity, RegistryStore, StoredPlan, VerificationStore } from '../app/ports.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { Usage } from '../core/registry/vocabulary.ts';
import type { PolicyOverride } from '../core/verification/policy.ts';
import type { Db } from './db.ts';
import { recordFromRow } from './mappers.ts';
import { DrizzleRegistryStore, guarded, pgArray } from './registry-store.ts';
import { calibrationRecords, equipment } from './schema/registry.ts';
import { labCapacities, verificationPlans, verificationPolicies } from './schema/verification.ts';

function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? result) as T[];
}

export class DrizzleVerificationStore implements VerificationStore {
  constructor(private readonly db: Db) {}

  transaction<T>(work: (store: VerificationStore, registry: RegistryStore) => Promise<T>): Promise<T> {
    return guarded(() => this.db.transaction((tx) => work(new DrizzleVerificationStore(tx as unknown as Db), new DrizzleRegistryStore(tx as unknown as Db))));
  }

  async insertPolicy(p: PolicyOverride): Promise<void> {
    await guarded(() => this.db.insert(verificationPolicies).values({ ...p }));
  }

  async listPolicies(category?: string): Promise<PolicyOverride[]> {
    const rows = await this.db
      .select()
      .from(verificationPolicies)
      .where(category === undefined ? undefined : eq(verificationPolicies.category, category))
      .orderBy(asc(verificationPolicies.category), asc(verificationPolicies.validFrom), asc(verificationPolicies.id));
    return rows.map((r) => ({
      id: r.id,
      regulatorId: r.regulatorId,
      regionCode: r.regionCode,
      category: r.category,
      intervalMonths: r.intervalMonths,
      serviceLifeMonths: r.serviceLifeMonths,
      graceDays: r.graceDays,
      dueSoonDays: r.dueSoonDays,
      validFrom: r.validFrom as CalendarDate,
      validUntil: r.validUntil as CalendarDate,
      remarks: r.remarks,
    }));
  }

  async insertCapacity(c: LabCapacity): Promise<void> {
    await guarded(() => this.db.insert(labCapacities).values({ ...c }));
  }

  async listCapacities(): Promise<LabCapacity[]> {
    const rows = await this.db.select().from(labCapacities).orderBy(asc(labCapacities.labId), asc(labCapacities.category), asc(labCapacities.id));
    return rows.map((r) => ({ id: r.id, labId: r.labId, category: r.category, monthly: r.monthly, validFrom: r.validFrom as CalendarDate, validUntil: r.validUntil as CalendarDate }));
  }

  async insertPlan(p: Omit<StoredPlan, 'createdAt'>): Promise<void> {
    await guarded(() => this.db.insert(verificationPlans).values({ id: p.id, request: p.request, summary: p.summary, plan: p.plan }));
  }

  async getPlan(id: string): Promise<StoredPlan | undefined> {
    const rows = await this.db.select().from(verificationPlans).where(eq(verificationPlans.id, id));
    const r = rows[0];
    return r && { id: r.id, request: r.request, summary: r.summary, plan: r.plan, createdAt: r.createdAt };
  }

  async equipmentByCertificate(certificateNo: string): Promise<string | undefined> {
    const rows = await this.db.select({ subjectId: calibrationRecords.subjectId }).from(calibrationRecords).where(eq(calibrationRecords.certificateNo, certificateNo));
    return rows[0]?.subjectId;
  }

  async equipmentByAssetCode(assetCode: string, ownerId?: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: equipment.id })
      .from(equipment)
      .where(and(eq(equipment.assetCode, assetCode), ownerId === undefined ? undefined : eq(equipment.ownerId, ownerId)))
      .orderBy(asc(equipment.id));
    return rows.map((r) => r.id);
  }

  async dueCandidates(q: DueQuery): Promise<DueCandidate[]> {
    if (q.mandatory.length === 0) return [];
    const m = q.mandatory;
    const ints = (xs: Array<number | null>) => `array[${xs.map((x) => (x === null ? 'null' : String(Math.trunc(x)))).join(',')}]::int[]`;
    const bools = (xs: boolean[]) => `array[${xs.map(String).join(',')}]::boolean[]`;
    // The mandatory (category, usage) pairs as a relation; the latest current verification
    // on or before the date by the subject index; the superset filter keeps only rows whose
    // due date may fall by `dueBy` (the core decides each one exactly).
    const result = await this.db.execute(sql`
      with m(category, usage, shortest, service_life) as (
        select * from unnest(${sql.raw(pgArray(m.map((x) => x.category)))}::text[], ${sql.raw(pgArray(m.map((x) => x.usage)))}::text[],
                             ${sql.raw(ints(m.map((x) => x.shortestIntervalMonths)))}, ${sql.raw(bools(m.map((x) => x.serviceLife)))})
      )
      select e.id as "equipmentId", e.name, e.owner_id as "ownerId", o.name as "ownerName", o.region_code as "regionCode",
             e.category, e.usage, e.asset_code as "assetCode",
             lv.id as "recordId", lv.kind, lv.subject_id as "subjectId", lv.lab_id as "labId", lv.certificate_no as "certificateNo",
             lv.performed_on::text as "performedOn", lv.valid_until::text as "validUntil", lv.conformity, lv.supersedes, lv.remarks,
             fp.first_pass::text as "firstPassOn"
      from equipment e
      join m on m.category = e.category and m.usage = e.usage
      join organisations o on o.id = e.owner_id
      left join lateral (
        select cr.* from calibration_records cr
        where cr.subject_id = e.id and cr.kind = 'verification' and cr.performed_on <= ${q.at}::date
          and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id)
        order by cr.performed_on desc, cr.id desc limit 1
      ) lv on true
      left join lateral (
        select min(cr.performed_on) as first_pass from calibration_records cr
        where m.service_life and cr.subject_id = e.id and cr.kind = 'verification' and cr.conformity = 'pass' and cr.performed_on <= ${q.at}::date
          and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id)
      ) fp on true
      where e.level = 'working_instrument' and e.status <> 'retired'
        ${q.regionPrefix === undefined ? sql`` : sql`and o.region_code like ${q.regionPrefix + '%'}`}
        ${q.ownerId === undefined ? sql`` : sql`and e.owner_id = ${q.ownerId}`}
        ${q.category === undefined ? sql`` : sql`and e.category = ${q.category}`}
        ${q.usage === undefined ? sql`` : sql`and e.usage = ${q.usage}`}
        and (lv.id is null or lv.conformity = 'fail' or m.service_life or lv.valid_until <= ${q.dueBy}::date
             or (m.shortest is not null and lv.performed_on + make_interval(months => m.shortest) <= ${q.dueBy}::date + 1))
      order by e.id`);
    return rowsOf<Record<string, string | null>>(result).map((r) => ({
      equipmentId: r['equipmentId']!,
      name: r['name']!,
      ownerId: r['ownerId']!,
      ownerName: r['ownerName']!,
      regionCode: r['regionCode']!,
      category: r['category']!,
      usage: r['usage'] as Usage,
      assetCode: r['assetCode'] ?? null,
      latest: r['recordId'] ? recordFromRow({ ...(r as object), id: r["recordId"] } as never, [], []) : null,
      firstPassOn: (r['firstPassOn'] ?? null) as CalendarDate | null,
    }));
  }
}
