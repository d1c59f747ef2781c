/**
 * Mandatory verification on the wire: reading policies, capacities and plan
 * requests; writing statuses, due lists (JSON and CSV), plans and interval
 * recommendations. Dates are YYYY-MM-DD, decimals strings.
 */
import type { CalendarDate } from '../core/dates.ts';
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
import { ObjectReader } from './reader.ts';
import { ID_HINT, ID_PATTERN, type NewId } from './registry.ts';
import { REGION_PATTERN } from './contracts/common.ts';
import { writeFinding } from './traceability.ts';

const CATEGORY = /^MV\d{3}$/;
const CATEGORY_HINT = 'a catalogue category is a key like MV016 (see GET /v1/catalogue)';

export function readPolicy(raw: unknown, newId: NewId): Omit<PolicyOverride, 'regionCode'> {
  const r = ObjectReader.of(raw, '', 'a policy object');
  const p = {
    id: r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId(),
    regulatorId: r.string('regulatorId', { pattern: ID_PATTERN, hint: ID_HINT }),
    category: r.string('category', { pattern: CATEGORY, hint: CATEGORY_HINT }),
    intervalMonths: r.optionalInteger('intervalMonths', { min: 1, max: 240 }),
    serviceLifeMonths: r.optionalInteger('serviceLifeMonths', { min: 1, max: 480 }),
    graceDays: r.optionalInteger('graceDays', { min: 0, max: 365 }),
    dueSoonDays: r.optionalInteger('dueSoonDays', { min: 0, max: 365 }),
    validFrom: r.date('validFrom'),
    validUntil: r.date('validUntil'),
    remarks: r.optionalString('remarks', { max: 2000 }),
  };
  r.done();
  if (p.intervalMonths === null && p.serviceLifeMonths === null && p.graceDays === null && p.dueSoonDays === null) {
    fail('MISSING_FIELD', '', 'a policy sets at least one of intervalMonths, serviceLifeMonths, graceDays, dueSoonDays');
  }
  return p;
}

export function writePolicy(p: PolicyOverride) {
  return { ...p };
}

export function readCapacity(raw: unknown, newId: NewId): LabCapacity {
  const r = ObjectReader.of(raw, '', 'a capacity object');
  const c = {
    id: r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId(),
    labId: r.string('labId', { pattern: ID_PATTERN, hint: ID_HINT }),
    category: r.string('category', { pattern: CATEGORY, hint: CATEGORY_HINT }),
    monthly: r.integer('monthly', { min: 0, max: 1_000_000 }),
    validFrom: r.date('validFrom'),
    validUntil: r.date('validUntil'),
  };
  r.done();
  if (c.validUntil < c.validFrom) fail('INVALID_RANGE', '/validUntil', `the capacity ends (${c.validUntil}) before it starts (${c.validFrom})`);
  return c;
}

export interface PlanRequest {
  readonly id: string;
  readonly from: CalendarDate;
  readonly months: number;
  readonly regionCode: string | null;
  readonly category: string | null;
}

export function readPlanRequest(raw: unknown, newId: NewId): PlanRequest {
  const r = ObjectReader.of(raw, '', 'a plan request');
  const p = {
    id: r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId(),
    from: r.date('from'),
    months: r.integer('months', { min: 1, max: 120 }),
    regionCode: r.optionalString('regionCode', { pattern: REGION_PATTERN, hint: 'a region is a six-digit GB/T 2260 code' }),
    category: r.optionalString('category', { pattern: CATEGORY, hint: CATEGORY_HINT }),
  };
  r.done();
  return p;
}

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
