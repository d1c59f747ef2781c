/**
 * The mandatory-verification tables over drizzle-orm, and the due-list query.
 * @impure talks to the database.
 */
import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { DueCandidate, DueQuery, LabCapacity, MandatoryCountQuery, RegistryStore, StoredPlan, VerificationStore } from '../app/ports.ts';
import type { CalendarDate } from '../core/dates.ts';
import { type CertificateKind, type Conformity, documentOf, type RecordKind, type Usage } from '../core/registry/vocabulary.ts';
import type { NumberedRecord } from '../core/verification/asked-document.ts';
import type { PolicyOverride } from '../core/verification/policy.ts';
import type { LedgerKeys } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import { rowsOf, type Db, UNPREPARED } from './db.ts';
import { DrizzleRegistryStore } from './registry-store.ts';
import { guarded, sameIdentifier, textArray, writtenBy } from './sql-helpers.ts';
import { calibrationRecords, equipment } from './schema/registry.ts';
import { labCapacities, verificationPlans, verificationPolicies } from './schema/verification.ts';

export class DrizzleVerificationStore implements VerificationStore {
  constructor(
    private readonly db: Db,
    private readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  transaction<T>(work: (store: VerificationStore, registry: RegistryStore) => Promise<T>): Promise<T> {
    return guarded(() =>
      this.db.transaction((tx) =>
        work(new DrizzleVerificationStore(tx as unknown as Db, this.ledgerKeys), new DrizzleRegistryStore(tx as unknown as Db, this.ledgerKeys)),
      ),
    );
  }

  async statusFactsVersion(): Promise<string> {
    // The head's hash as well as its number: the hash chains every entry before it, so
    // a database restored from an older copy and written again up to the same number
    // does not pass for the one a process cached its answers from. Appends commit in
    // the order of their numbers (metrotrace_ledger_append locks the ledger until its
    // transaction ends), so no later commit can leave the head where it was.
    const rows = rowsOf<{ v: string }>(
      await this.db.execute(
        sql`select concat(coalesce((select seq || ':' || hash from ledger order by seq desc limit 1), '0'), '/', (select count(*) from verification_policies)) as v`,
      ),
    );
    return rows[0]!.v;
  }

  async insertPolicy(p: PolicyOverride): Promise<void> {
    await guarded(() => this.db.insert(verificationPolicies).values({ ...p }));
  }

  async listPolicies(category?: string, asKnownAt: string | null = null): Promise<PolicyOverride[]> {
    const rows = await this.db
      .select()
      .from(verificationPolicies)
      .where(and(category === undefined ? undefined : eq(verificationPolicies.category, category), writtenBy(verificationPolicies.createdAt, asKnownAt)))
      .orderBy(asc(verificationPolicies.category), asc(verificationPolicies.validFrom), asc(verificationPolicies.id));
    return rows.map(policyFromRow);
  }

  async insertCapacity(c: LabCapacity): Promise<void> {
    await guarded(() => this.db.insert(labCapacities).values({ ...c }));
  }

  async listCapacities(): Promise<LabCapacity[]> {
    const rows = await this.db.select().from(labCapacities).orderBy(asc(labCapacities.labId), asc(labCapacities.category), asc(labCapacities.id));
    return rows.map((r) => ({
      id: r.id,
      labId: r.labId,
      category: r.category,
      monthly: r.monthly,
      validFrom: r.validFrom as CalendarDate,
      validUntil: r.validUntil as CalendarDate,
    }));
  }

  async insertPlan(p: Omit<StoredPlan, 'createdAt'>): Promise<void> {
    await guarded(() => this.db.insert(verificationPlans).values({ id: p.id, request: p.request, summary: p.summary, plan: p.plan }));
  }

  async getPlan(id: string): Promise<StoredPlan | undefined> {
    const rows = await this.db.select().from(verificationPlans).where(eq(verificationPlans.id, id));
    const r = rows[0];
    return r && { id: r.id, request: r.request, summary: r.summary, plan: r.plan, createdAt: r.createdAt };
  }

  async numberedRecords(by: { readonly certificateNo: string } | { readonly labelNo: string }, asKnownAt: string | null): Promise<NumberedRecord[]> {
    const r = calibrationRecords;
    // the corrections written by then (every clause holds when asked as known now)
    const correctionKnown = writtenBy(sql.raw('c.created_at'), asKnownAt) ?? sql`true`;
    const rows = await this.db
      .select({
        id: r.id,
        subjectId: r.subjectId,
        kind: r.kind,
        certificateNo: r.certificateNo,
        certificateKind: r.certificateKind,
        conformity: r.conformity,
        performedOn: r.performedOn,
        // the correction in force at the end of the chain of corrections (A → B → C names C), as known then
        supersededBy: sql<string | null>`(with recursive corrections(id, certificate_no, depth) as (
            select c.id, c.certificate_no, 1 from calibration_records c
            where c.supersedes = "calibration_records"."id" and c.subject_id = "calibration_records"."subject_id" and ${correctionKnown}
            union all
            select c.id, c.certificate_no, k.depth + 1 from corrections k
            cross join lateral (select c.id, c.certificate_no from calibration_records c where c.supersedes = k.id and ${correctionKnown} limit 1) c
            where k.depth < 100
          ) select certificate_no from corrections order by depth desc limit 1)`,
      })
      .from(r)
      .where(
        and(
          'certificateNo' in by ? sameIdentifier(r.certificateNo, by.certificateNo) : and(isNotNull(r.labelNo), sameIdentifier(r.labelNo, by.labelNo)),
          writtenBy(r.createdAt, asKnownAt),
        ),
      )
      .orderBy(asc(r.subjectId), asc(r.performedOn), asc(r.id));
    return rows.map((row) => ({
      id: row.id,
      subjectId: row.subjectId,
      kind: row.kind as RecordKind,
      certificateNo: row.certificateNo,
      certificateKind: documentOf({
        kind: row.kind as RecordKind,
        conformity: row.conformity as Conformity | null,
        certificateKind: row.certificateKind as CertificateKind | null,
      }),
      performedOn: row.performedOn as CalendarDate,
      supersededBy: row.supersededBy,
    }));
  }

  async equipmentByAssetCode(assetCode: string, ownerId?: string): Promise<string[]> {
    const rows = await this.db
      .select({ id: equipment.id })
      .from(equipment)
      .where(and(sameIdentifier(equipment.assetCode, assetCode), ownerId === undefined ? undefined : eq(equipment.ownerId, ownerId)))
      .orderBy(asc(equipment.id));
    return rows.map((r) => r.id);
  }

  async mandatoryCounts(q: MandatoryCountQuery): Promise<Map<string, number>> {
    if (q.mandatory.length === 0) return new Map();
    const result = await this.db.execute(sql`${UNPREPARED}
      select e.owner_id as "ownerId", count(*)::int as n
      from equipment e
      join unnest(${textArray(q.mandatory.map((x) => x.category))}::text[], ${textArray(q.mandatory.map((x) => x.usage))}::text[]) m(category, usage)
        on m.category = e.category and m.usage = e.usage
      ${q.regionPrefix === undefined ? sql`` : sql`join organisations o on o.id = e.owner_id and o.region_code like ${q.regionPrefix + '%'}`}
      -- registered suspended or retired: withdrawn, in neither count (an event that reinstates
      -- one makes it an instrument with events, worked out one by one)
      where e.level = 'working_instrument' and e.status = 'in_service'
        and not exists (select 1 from equipment_events ev where ev.equipment_id = e.id)
        ${q.ownerId === undefined ? sql`` : sql`and e.owner_id = ${q.ownerId}`}
      group by e.owner_id`);
    return new Map(rowsOf<{ ownerId: string; n: number }>(result).map((r) => [r.ownerId, Number(r.n)]));
  }

  async dueCandidates(q: DueQuery): Promise<DueCandidate[]> {
    if (q.mandatory.length === 0) return [];
    const m = q.mandatory;
    // The mandatory (category, usage) pairs as a relation, joined to each instrument's
    // latest current verification as verification_current keeps it (one hash join over
    // the whole table). Only where that record is later than the date does a lateral
    // probe of the subject index find the one in force then. The superset filter keeps
    // the rows whose due date may fall by `dueBy`; the core decides each one exactly.
    const result = await this.db.execute(sql`${UNPREPARED}
      with m(category, usage, shortest, service_life) as (
        select * from unnest(${textArray(m.map((x) => x.category))}::text[], ${textArray(m.map((x) => x.usage))}::text[],
                             ${textArray(m.map((x) => (x.shortestIntervalMonths === null ? null : Math.trunc(x.shortestIntervalMonths))))}::int[], ${textArray(m.map((x) => x.serviceLife))}::boolean[])
      ),
      c as (
        select e.id, e.name, e.owner_id, e.category, e.usage, e.asset_code, m.shortest, m.service_life, vc.performed_on > ${q.at}::date as later,
               vc.record_id, vc.lab_id, vc.certificate_no, vc.performed_on, vc.valid_until, vc.conformity, vc.first_pass_on
        from equipment e
        join m on m.category = e.category and m.usage = e.usage
        left join verification_current vc on vc.equipment_id = e.id
        where e.level = 'working_instrument' and e.status = 'in_service'
          ${q.ownerId === undefined ? sql`` : sql`and e.owner_id = ${q.ownerId}`}
          ${q.category === undefined ? sql`` : sql`and e.category = ${q.category}`}
          ${q.usage === undefined ? sql`` : sql`and e.usage = ${q.usage}`}
      ),
      l as (
        select c.id, c.name, c.owner_id, c.category, c.usage, c.asset_code, c.shortest, c.service_life,
               coalesce(lv.id, case when c.later then null else c.record_id end) as record_id,
               case when c.later then lv.lab_id else c.lab_id end as lab_id,
               case when c.later then lv.certificate_no else c.certificate_no end as certificate_no,
               case when c.later then lv.performed_on else c.performed_on end as performed_on,
               case when c.later then lv.valid_until else c.valid_until end as valid_until,
               case when c.later then lv.conformity else c.conformity end as conformity,
               case when c.later then fp.first_pass else c.first_pass_on end as first_pass_on
        from c
        left join lateral (
          select cr.id, cr.lab_id, cr.certificate_no, cr.performed_on, cr.valid_until, cr.conformity from current_records cr
          where c.later and cr.subject_id = c.id and cr.kind = 'verification' and cr.performed_on <= ${q.at}::date
          order by cr.performed_on desc, cr.id collate "C" desc limit 1
        ) lv on true
        left join lateral (
          select min(cr.performed_on) as first_pass from current_records cr
          where c.later and cr.subject_id = c.id and cr.kind = 'verification' and cr.conformity = 'pass' and cr.performed_on <= ${q.at}::date
        ) fp on true
      )
      select l.id as "equipmentId", l.name, l.owner_id as "ownerId", o.name as "ownerName", o.region_code as "regionCode",
             l.category, l.usage, l.asset_code as "assetCode",
             l.record_id as "recordId", l.lab_id as "labId", l.certificate_no as "certificateNo",
             l.performed_on::text as "performedOn", l.valid_until::text as "validUntil", l.conformity,
             l.first_pass_on::text as "firstPassOn"
      from l join organisations o on o.id = l.owner_id
      where (l.record_id is null or l.conformity = 'fail' or l.service_life or l.valid_until <= ${q.dueBy}::date
             or (l.shortest is not null and l.performed_on + make_interval(months => l.shortest) <= ${q.dueBy}::date + 1))
        ${q.regionPrefix === undefined ? sql`` : sql`and o.region_code like ${q.regionPrefix + '%'}`}`);
    // unordered: the use case sorts the list by due date and id, and sorting here too cost a third
    // of the query (an external merge sort on disk at 200,000 instruments)
    return rowsOf<Record<string, string | null>>(result).map((r) => ({
      equipmentId: r['equipmentId']!,
      name: r['name']!,
      ownerId: r['ownerId']!,
      ownerName: r['ownerName']!,
      regionCode: r['regionCode']!,
      category: r['category']!,
      usage: r['usage'] as Usage,
      assetCode: r['assetCode'] ?? null,
      latest: r['recordId']
        ? {
            id: r['recordId'],
            kind: 'verification',
            subjectId: r['equipmentId']!,
            labId: r['labId']!,
            referenceIds: [],
            certificateNo: r['certificateNo']!,
            performedOn: r['performedOn'] as CalendarDate,
            validUntil: (r['validUntil'] ?? null) as CalendarDate | null,
            conformity: r['conformity'] as Conformity,
            points: [],
            supersedes: null,
            remarks: null,
          }
        : null,
      firstPassOn: (r['firstPassOn'] ?? null) as CalendarDate | null,
    }));
  }
}

function policyFromRow(r: typeof verificationPolicies.$inferSelect): PolicyOverride {
  return {
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
  };
}
