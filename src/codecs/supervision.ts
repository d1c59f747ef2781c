/** In-use inspections, spot-check plans and integrity measures on the wire (core/supervision/). */
import { type CalendarDate, parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { Decimal, parseDecimal, parseDecimalText } from '../core/numeric/decimal.ts';
import {
  type DrawResult,
  type DrawRules,
  type DrawUnit,
  GRADES,
  type GradeWeights,
  type Inspector,
  type PastInspection,
  type SampleRule,
} from '../core/supervision/draw.ts';
import { type InspectionOutcome, type InUseFindings, type InUseInspection, OUTCOME_NAMES } from '../core/supervision/inspection.ts';
import type { IntegrityMeasure } from '../core/supervision/integrity.ts';
import { readContract } from './contracts/read.ts';
import {
  InspectionInput,
  type InspectionInputShape,
  MeasureInput,
  type MeasureInputShape,
  PlanInput,
  type PlanInputShape,
  SampleInput,
  type SampleInputShape,
} from './contracts/supervision.ts';
import type { NewId } from './registry.ts';

export { REGION_PREFIX } from './contracts/supervision.ts';

/** Names as printed, trimmed; a blank one is refused. */
function names(list: readonly string[], path: string): string[] {
  return list.map((v, i) => {
    if (v.trim() === '') fail('INVALID_FIELD', `${path}/${i}`, 'expected a non-empty string of at most 100 characters');
    return v.trim();
  });
}

/** What the inspector records; the judgement is the server's (app/supervision.ts). */
export interface InspectionRequest {
  readonly id: string;
  readonly equipmentId: string;
  readonly inspectedOn: CalendarDate;
  readonly inspectors: readonly string[];
  readonly planId: string | null;
  readonly findings: InUseFindings;
  readonly photos: readonly string[];
  readonly outcome: InspectionOutcome | null;
  readonly rectifyBy: CalendarDate | null;
  readonly remarks: string | null;
}

export function toInspection(i: InspectionInputShape, newId: NewId): InspectionRequest {
  const inspectors = names(i.inspectors, '/inspectors');
  if (inspectors.length === 0) fail('MISSING_FIELD', '/inspectors', 'name the inspectors on site (at least one; two under the double-random rule)');
  const f = i.findings;
  const points = (f.points ?? []).map((p, n) => {
    const path = `/findings/points/${n}`;
    const nominal = parseDecimalText(p.nominal, `${path}/nominal`);
    const indication = parseDecimalText(p.indication, `${path}/indication`);
    const mpe = p.inUseMpe == null ? null : parseDecimalText(p.inUseMpe, `${path}/inUseMpe`);
    return {
      nominal: new Decimal(nominal),
      indication: new Decimal(indication),
      unit: p.unit,
      inUseMpe: mpe === null ? null : new Decimal(mpe),
      written: { nominal, indication, inUseMpe: mpe },
    };
  });
  return {
    id: i.id ?? newId(),
    equipmentId: i.equipmentId,
    inspectedOn: parseDate(i.inspectedOn, '/inspectedOn'),
    inspectors,
    planId: i.planId ?? null,
    findings: { labelPresent: f.labelPresent, labelMatches: f.labelMatches ?? null, sealIntact: f.sealIntact ?? null, points },
    photos: [...(i.photos ?? [])],
    outcome: i.outcome ?? null,
    rectifyBy: i.rectifyBy == null ? null : parseDate(i.rectifyBy, '/rectifyBy'),
    remarks: i.remarks?.trim() || null,
  };
}

export const readInspection = (raw: unknown, newId: NewId): InspectionRequest => toInspection(readContract(InspectionInput, raw), newId);

export function writeInspection(i: InUseInspection & { readonly recordedAt?: string }) {
  return { ...i, outcomeName: OUTCOME_NAMES[i.outcome] };
}

/** A spot-check plan as a regulator asks for it. */
export interface PlanRequest {
  readonly id: string;
  /** The regulator drawing the plan: the inspector key's own; an admin names it. */
  readonly regulatorId: string | null;
  readonly title: string;
  readonly unit: 'instrument' | 'organisation';
  readonly drawDate: CalendarDate;
  readonly seed: string;
  readonly filter: { readonly region: string; readonly organisationKinds: readonly string[]; readonly category: string | null; readonly usage: string | null };
  /** What the strata are: one stratum, or one per region code of the target's organisation. */
  readonly stratifyBy: 'none' | 'region';
  readonly weights: GradeWeights;
  readonly sample: SampleRule;
  readonly strata: Readonly<Record<string, SampleRule>>;
  readonly inspectorsPerTarget: number;
  readonly coolingOffMonths: number;
  readonly inspectors: readonly Inspector[];
}

function toSample(i: SampleInputShape, path: string): SampleRule {
  const size = i.size ?? null;
  const rate = i.rate == null ? null : parseDecimal(i.rate, `${path}/rate`);
  if ((size === null) === (rate === null)) fail('INVALID_FIELD', path, 'give either a sample size {"size": n} or a rate {"rate": "0.05"}');
  if (rate !== null && (rate.lte(0) || rate.gt(1))) fail('INVALID_FIELD', `${path}/rate`, 'a rate lies in (0, 1]');
  return size !== null ? { size } : { rate: rate! };
}

export const DEFAULT_WEIGHTS: GradeWeights = { A: 1, B: 2, C: 3, D: 4, ungraded: 2 };

export function toPlanRequest(i: PlanInputShape, newId: NewId): PlanRequest {
  const id = i.id ?? newId();
  const drawDate = parseDate(i.drawDate, '/drawDate');
  if (i.seed.trim().length < 8)
    fail(
      'INVALID_FIELD',
      '/seed',
      'the public seed is the announced draw string (e.g. a lottery result or index close of the draw date); at least 8 characters',
    );
  const filter = {
    region: i.filter.region,
    organisationKinds: [...(i.filter.organisationKinds ?? [])],
    category: i.filter.category ?? null,
    usage: i.filter.usage ?? null,
  };
  let weights = DEFAULT_WEIGHTS;
  if (i.weights != null) {
    const w = { A: 0, B: 0, C: 0, D: 0, ungraded: 0 };
    for (const g of [...GRADES, 'ungraded'] as const) w[g] = i.weights[g] ?? DEFAULT_WEIGHTS[g];
    weights = w;
  }
  const sample = toSample(i.sample, '/sample');
  const strata: Record<string, SampleRule> = {};
  // a record's values are checked here too (the contract reader walks named properties only)
  for (const [key, v] of Object.entries(i.strata ?? {})) {
    const path = `/strata/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    strata[key] = toSample(readContract(SampleInput, v, path), path);
  }
  const inspectorsPerTarget = i.inspectorsPerTarget ?? 2;
  const coolingOffMonths = i.coolingOffMonths ?? 12;
  const inspectors = i.inspectors.map((v) => ({ id: v.id, regions: [...(v.regions ?? [])], conflicts: [...(v.conflicts ?? [])] }));
  if (new Set(inspectors.map((x) => x.id)).size !== inspectors.length) fail('DUPLICATE', '/inspectors', 'an inspector appears twice in the pool');
  if (inspectors.length < inspectorsPerTarget)
    fail('INVALID_FIELD', '/inspectors', `the pool has ${inspectors.length} inspectors; each target needs ${inspectorsPerTarget}`);
  return {
    id,
    regulatorId: i.regulatorId ?? null,
    title: i.title,
    unit: i.unit ?? 'instrument',
    drawDate,
    seed: i.seed,
    filter,
    stratifyBy: i.stratifyBy ?? 'none',
    weights,
    sample,
    strata,
    inspectorsPerTarget,
    coolingOffMonths,
    inspectors,
  };
}

export const readPlanRequest = (raw: unknown, newId: NewId): PlanRequest => toPlanRequest(readContract(PlanInput, raw), newId);

/** A sample rule as published (decimals as strings). */
export function writeSample(s: SampleRule): { size: number } | { rate: string } {
  return 'size' in s ? { size: s.size } : { rate: s.rate.toString() };
}

export function readSampleJson(v: { size: number } | { rate: string }): SampleRule {
  return 'size' in v ? { size: v.size } : { rate: new Decimal(v.rate) };
}

export function toMeasure(i: MeasureInputShape, organisationId: string, newId: NewId): IntegrityMeasure {
  return {
    id: i.id ?? newId(),
    organisationId,
    kind: i.kind,
    decidedOn: parseDate(i.decidedOn, '/decidedOn'),
    reason: i.reason?.trim() || null,
    regulatorId: null,
  };
}

export const readMeasure = (raw: unknown, organisationId: string, newId: NewId): IntegrityMeasure =>
  toMeasure(readContract(MeasureInput, raw), organisationId, newId);

/**
 * The latest inspection of a drawn target: of its instrument, or (an
 * organisation-level plan) of any instrument of its organisation; null when
 * none was made. `inspections` in the order recorded.
 */
export function latestInspectionOf<T extends Pick<InUseInspection, 'equipmentId' | 'organisationId'>>(
  unit: 'instrument' | 'organisation',
  target: { readonly unitId: string; readonly organisationId: string },
  inspections: readonly T[],
): T | null {
  for (let i = inspections.length - 1; i >= 0; i--) {
    const x = inspections[i]!;
    if (unit === 'instrument' ? x.equipmentId === target.unitId : x.organisationId === target.organisationId) return x;
  }
  return null;
}

/** The published form of a plan: everything a third party needs to draw it again. */
export interface PublishedPlan {
  readonly id: string;
  readonly regulatorId: string;
  readonly title: string;
  readonly unit: 'instrument' | 'organisation';
  readonly drawDate: CalendarDate;
  readonly seed: string;
  readonly rules: {
    readonly filter: PlanRequest['filter'];
    readonly stratifyBy: PlanRequest['stratifyBy'];
    readonly weights: DrawRules['weights'];
    readonly sample: { size: number } | { rate: string };
    readonly strata: Record<string, { size: number } | { rate: string }>;
    readonly inspectorsPerTarget: number;
    readonly coolingOffMonths: number;
  };
  readonly inspectors: readonly Inspector[];
  readonly pastInspections: readonly PastInspection[];
  readonly population: readonly DrawUnit[];
  readonly populationHash: string;
  readonly result: DrawResult;
}
