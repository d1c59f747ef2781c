/**
 * Mandatory verification on the wire (contracts/verification.ts): reading
 * policies, capacities and plan requests (the structure is the contract's;
 * real dates and the rules between fields are checked here); writing
 * statuses, due lists (JSON and CSV), plans and interval recommendations.
 * Dates are YYYY-MM-DD, decimals strings.
 */
import { type CalendarDate, parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { encodeCursor } from './cursor.ts';
import { toText, type Decimal } from '../core/numeric/decimal.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../core/registry/types.ts';
import type { TraceResult } from '../core/traceability/chain.ts';
import type { IntervalRecommendation } from '../core/verification/interval.ts';
import type { LabCapacity, Plan } from '../core/verification/planning.ts';
import type { PolicyOverride } from '../core/verification/policy.ts';
import { isUsable, type VerificationStatus } from '../core/verification/status.ts';
import { type CsvColumns, type CsvLang, spreadsheetCsv } from './csv.ts';
import type { NewId } from './registry.ts';
import { readContract } from './contracts/read.ts';
import { CapacityInput, type CapacityInputShape, PlanInput, type PlanInputShape, PolicyInput, type PolicyInputShape } from './contracts/verification.ts';
import { writeFinding } from './traceability.ts';

/** A regulator's local policy as read, before the regulator's region is known (the use case adds it). */
export type PolicyDraft = Omit<PolicyOverride, 'regionCode'>;

export function toPolicy(i: PolicyInputShape, newId: NewId): PolicyDraft {
  const p = {
    id: i.id ?? newId(),
    regulatorId: i.regulatorId,
    category: i.category,
    intervalMonths: i.intervalMonths ?? null,
    serviceLifeMonths: i.serviceLifeMonths ?? null,
    graceDays: i.graceDays ?? null,
    dueSoonDays: i.dueSoonDays ?? null,
    validFrom: parseDate(i.validFrom, '/validFrom'),
    validUntil: parseDate(i.validUntil, '/validUntil'),
    remarks: i.remarks ?? null,
  };
  if (p.intervalMonths === null && p.serviceLifeMonths === null && p.graceDays === null && p.dueSoonDays === null) {
    fail('MISSING_FIELD', '', 'a policy sets at least one of intervalMonths, serviceLifeMonths, graceDays, dueSoonDays');
  }
  return p;
}

/** A policy from JSON no validator has seen (a data set's row). */
export const readPolicy = (raw: unknown, newId: NewId): PolicyDraft => toPolicy(readContract(PolicyInput, raw), newId);

export function writePolicy(p: PolicyOverride) {
  return {
    id: p.id,
    regulatorId: p.regulatorId,
    regionCode: p.regionCode,
    category: p.category,
    intervalMonths: p.intervalMonths,
    serviceLifeMonths: p.serviceLifeMonths,
    graceDays: p.graceDays,
    dueSoonDays: p.dueSoonDays,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    remarks: p.remarks,
  };
}

export function toCapacity(i: CapacityInputShape, newId: NewId): LabCapacity {
  const c = {
    id: i.id ?? newId(),
    labId: i.labId,
    category: i.category,
    monthly: i.monthly,
    validFrom: parseDate(i.validFrom, '/validFrom'),
    validUntil: parseDate(i.validUntil, '/validUntil'),
  };
  if (c.validUntil < c.validFrom) fail('INVALID_RANGE', '/validUntil', `the capacity ends (${c.validUntil}) before it starts (${c.validFrom})`);
  return c;
}

/** A capacity from JSON no validator has seen (a data set's row). */
export const readCapacity = (raw: unknown, newId: NewId): LabCapacity => toCapacity(readContract(CapacityInput, raw), newId);

export function writeCapacity(c: LabCapacity) {
  return { id: c.id, labId: c.labId, category: c.category, monthly: c.monthly, validFrom: c.validFrom, validUntil: c.validUntil };
}

export interface PlanRequest {
  readonly id: string;
  readonly from: CalendarDate;
  readonly months: number;
  readonly regionCode: string | null;
  readonly category: string | null;
}

export function toPlanRequest(i: PlanInputShape, newId: NewId): PlanRequest {
  return {
    id: i.id ?? newId(),
    from: parseDate(i.from, '/from'),
    months: i.months,
    regionCode: i.regionCode ?? null,
    category: i.category ?? null,
  };
}

/** A plan request from JSON no validator has seen (the app's form, the command line). */
export const readPlanRequest = (raw: unknown, newId: NewId): PlanRequest => toPlanRequest(readContract(PlanInput, raw), newId);

function writeRecordBrief(rec: CalibrationRecord | null, lab: Organisation | null | undefined) {
  return (
    rec && {
      id: rec.id,
      kind: rec.kind,
      certificateNo: rec.certificateNo,
      performedOn: rec.performedOn,
      validUntil: rec.validUntil,
      conformity: rec.conformity,
      labId: rec.labId,
      labName: lab?.name ?? null,
    }
  );
}

export interface StatusView {
  readonly status: VerificationStatus;
  readonly equipment: Equipment;
  readonly ownerName: string | null;
  /** The owner's region (GB/T 2260), for due lists. */
  readonly ownerRegionCode: string | null;
  readonly lab: Organisation | null;
  readonly trace: TraceResult;
  /** Where the instrument is at the date: its latest relocation by then, if any. */
  readonly location?: string | null;
}

export function writeStatus(v: StatusView) {
  const s = v.status;
  const e = s.classification.entry;
  return {
    equipmentId: s.equipmentId,
    name: v.equipment.name,
    assetCode: v.equipment.assetCode,
    ownerId: v.equipment.ownerId,
    ownerName: v.ownerName,
    at: s.at,
    state: s.state,
    mandatory: s.classification.mandatory,
    reason: s.classification.reason,
    message: s.message,
    category: v.equipment.category,
    usage: v.equipment.usage,
    catalogue: e && {
      catalogueId: s.classification.catalogueId,
      entryId: e.id,
      instrumentZh: e.instrumentZh,
      instrumentEn: e.instrumentEn,
      form: e.form,
      regulation: e.regulation,
    },
    policy: s.policy && {
      form: s.policy.form,
      intervalMonths: s.policy.intervalMonths,
      serviceLifeMonths: s.policy.serviceLifeMonths,
      graceDays: s.policy.graceDays,
      dueSoonDays: s.policy.dueSoonDays,
      basis: [...s.policy.basis],
    },
    certificate: writeRecordBrief(s.record, v.lab),
    firstVerifiedOn: s.firstVerifiedOn,
    dueOn: s.dueOn,
    daysToDue: s.daysToDue,
    serviceLifeEndsOn: s.serviceLifeEndsOn,
    graceEndsOn: s.graceEndsOn,
    suspectBecause: s.findings.map(writeFinding),
    usable: isUsable(s),
    traceability: { traceable: v.trace.traceable, at: v.trace.at, findings: v.trace.findings.map(writeFinding) },
  };
}

export interface DueItem {
  readonly status: VerificationStatus;
  readonly name: string;
  readonly ownerId: string;
  readonly ownerName: string;
  readonly regionCode: string;
  readonly category: string;
  readonly usage: string;
  readonly assetCode: string | null;
}

const DUE_COLUMNS: CsvColumns = [
  ['equipment_id', '器具ID'],
  ['name', '器具名称'],
  ['asset_code', '器具编号'],
  ['owner_id', '使用单位编号'],
  ['owner_name', '使用单位'],
  ['region_code', '行政区划代码'],
  ['category', '强检目录类别'],
  ['usage', '使用领域'],
  ['state', '状态'],
  ['due_on', '到期日'],
  ['days_to_due', '距到期天数'],
  ['certificate_no', '证书编号'],
  ['performed_on', '检定日期'],
  ['lab_id', '检定机构'],
];

function dueRow(d: DueItem): unknown[] {
  const s = d.status;
  return [
    s.equipmentId,
    d.name,
    d.assetCode,
    d.ownerId,
    d.ownerName,
    d.regionCode,
    d.category,
    d.usage,
    s.state,
    s.dueOn,
    s.daysToDue,
    s.record?.certificateNo ?? null,
    s.record?.performedOn ?? null,
    s.record?.labId ?? null,
  ];
}

export function dueCsv(items: readonly DueItem[], opts: { readonly lang?: CsvLang; readonly bom?: boolean } = {}): string {
  return spreadsheetCsv(DUE_COLUMNS, items.map(dueRow), opts);
}

/**
 * The due list as JSON: the count and summary of the whole list, and one page
 * of its items (after the item with id `after`, at most `limit`), with the id
 * to continue after (null on the last page).
 */
export function writeDue(
  from: string,
  to: string,
  items: readonly DueItem[],
  page: { readonly limit: number; readonly after: string | null } = { limit: Number.MAX_SAFE_INTEGER, after: null },
) {
  const byState: Record<string, number> = {};
  const byCategory: Record<string, number> = {};
  const byOwner: Record<string, number> = {};
  const byRegion: Record<string, number> = {};
  for (const d of items) {
    byState[d.status.state] = (byState[d.status.state] ?? 0) + 1;
    byCategory[d.category] = (byCategory[d.category] ?? 0) + 1;
    byOwner[d.ownerId] = (byOwner[d.ownerId] ?? 0) + 1;
    byRegion[d.regionCode] = (byRegion[d.regionCode] ?? 0) + 1;
  }
  const start = page.after === null ? 0 : items.findIndex((d) => d.status.equipmentId === page.after) + 1;
  if (start === 0 && page.after !== null)
    fail('INVALID_CURSOR', '?cursor', `this cursor names '${page.after}', which is not on this due list; start again without it and follow nextCursor`);
  const slice = items.slice(start, start + page.limit);
  return {
    from,
    to,
    count: items.length,
    summary: { byState, byCategory, byRegion, byOwner },
    items: slice.map((d) => {
      const row = dueRow(d);
      return Object.fromEntries(KEYS.map((k, i) => [k, row[i] ?? null]));
    }),
    nextCursor: encodeCursor(start + page.limit < items.length ? slice[slice.length - 1]!.status.equipmentId : null),
  };
}

/** The JSON keys of the due list: the CSV header in camelCase. */
const KEYS = DUE_COLUMNS.map(([h]) => h.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()));

export function writePlan(id: string, plan: Plan) {
  return { id, ...plan, method: [...plan.method] };
}

function dec(d: Decimal | number | string): string | number {
  return typeof d === 'object' ? toText(d) : d;
}

export function writeInterval(r: IntervalRecommendation) {
  return {
    method: r.method,
    recommendedMonths: r.recommendedMonths,
    computedMonths: r.computedMonths && toText(r.computedMonths.toSignificantDigits(12)),
    legalMonths: r.legalMonths,
    capped: r.capped,
    parameters: Object.fromEntries(Object.entries(r.parameters).map(([k, v]) => [k, dec(v)])),
    steps: r.steps.map((s) => ({ recordId: s.recordId, result: s.result, months: toText(s.months.toSignificantDigits(12)) })),
    reasoning: [...r.reasoning],
  };
}
