/** In-use inspections, spot-check plans and integrity measures on the wire (core/supervision/). */
import type { CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { Decimal } from '../core/numeric/decimal.ts';
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
import { INSPECTION_OUTCOMES, type InspectionOutcome, type InUseFindings, type InUseInspection, OUTCOME_NAMES } from '../core/supervision/inspection.ts';
import { MEASURE_KINDS, type IntegrityMeasure } from '../core/supervision/integrity.ts';
import { ORGANISATION_KINDS, USAGES } from '../core/registry/vocabulary.ts';
import { ObjectReader } from './reader.ts';
import { ID_HINT, ID_PATTERN, type NewId } from './registry.ts';

const SHA256 = /^[0-9a-f]{64}$/;
/** A GB/T 2260 region code or its first two or four digits (a province, a city); the route schemas use it too. */
export const REGION_PREFIX = /^\d{2}(\d{2}){0,2}$/;
const REGION_HINT = 'a region is a GB/T 2260 code, or its first two or four digits for a province or city, e.g. "310104"';

function nullableBoolean(r: ObjectReader, key: string): boolean | null {
  const v = r.value(key);
  if (v === undefined || v === null) return null;
  return r.boolean(key);
}

function strings(r: ObjectReader, key: string, opts: { max: number; optional?: boolean; pattern?: RegExp; hint?: string; itemMax?: number }): string[] {
  return r.array(key, { max: opts.max, ...(opts.optional ? { optional: true } : {}) }).map((v, i) => {
    const path = `${r.at(key)}/${i}`;
    if (typeof v !== 'string' || v.trim() === '' || v.length > (opts.itemMax ?? 100))
      fail('INVALID_FIELD', path, `expected a non-empty string of at most ${opts.itemMax ?? 100} characters`);
    if (opts.pattern && !opts.pattern.test(v)) fail('INVALID_FIELD', path, opts.hint ?? 'has the wrong format');
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

export function readInspection(raw: unknown, newId: NewId): InspectionRequest {
  const r = ObjectReader.of(raw, '', 'an in-use inspection');
  const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
  const equipmentId = r.string('equipmentId', { pattern: ID_PATTERN, hint: ID_HINT });
  const inspectedOn = r.date('inspectedOn');
  const inspectors = strings(r, 'inspectors', { max: 10 });
  if (inspectors.length === 0) fail('MISSING_FIELD', '/inspectors', 'name the inspectors on site (at least one; two under the double-random rule)');
  const planId = r.optionalString('planId', { pattern: ID_PATTERN, hint: ID_HINT });
  const f = r.object('findings');
  const labelPresent = f.boolean('labelPresent');
  const labelMatches = nullableBoolean(f, 'labelMatches');
  const sealIntact = nullableBoolean(f, 'sealIntact');
  const points = f.array('points', { optional: true, max: 100 }).map((p, i) => {
    const pr = ObjectReader.of(p, `${f.at('points')}/${i}`, 'a checked point');
    const nominal = pr.decimalText('nominal');
    const indication = pr.decimalText('indication');
    const mpe = pr.optionalDecimalText('inUseMpe');
    const point = {
      nominal: new Decimal(nominal),
      indication: new Decimal(indication),
      unit: pr.string('unit', { max: 20 }),
      inUseMpe: mpe === null ? null : new Decimal(mpe),
      written: { nominal, indication, inUseMpe: mpe },
    };
    pr.done();
    return point;
  });
  f.done();
  const photos = strings(r, 'photos', {
    max: 50,
    optional: true,
    pattern: SHA256,
    hint: 'a photograph is given by its SHA-256 digest: 64 lowercase hex digits',
  });
  const outcome = r.optionalOneOf('outcome', INSPECTION_OUTCOMES);
  const rectifyBy = r.optionalDate('rectifyBy');
  const remarks = r.optionalString('remarks', { max: 2000 })?.trim() || null;
  r.done();
  return {
    id,
    equipmentId,
    inspectedOn,
    inspectors,
    planId,
    findings: { labelPresent, labelMatches, sealIntact, points },
    photos,
    outcome,
    rectifyBy,
    remarks,
  };
}

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

function readSample(r: ObjectReader): SampleRule {
  const size = r.optionalInteger('size', { min: 1, max: 1_000_000 });
  const rate = r.optionalDecimal('rate');
  r.done();
  if ((size === null) === (rate === null)) fail('INVALID_FIELD', r.path, 'give either a sample size {"size": n} or a rate {"rate": "0.05"}');
  if (rate !== null && (rate.lte(0) || rate.gt(1))) fail('INVALID_FIELD', r.at('rate'), 'a rate lies in (0, 1]');
  return size !== null ? { size } : { rate: rate! };
}

export const DEFAULT_WEIGHTS: GradeWeights = { A: 1, B: 2, C: 3, D: 4, ungraded: 2 };

export function readPlanRequest(raw: unknown, newId: NewId): PlanRequest {
  const r = ObjectReader.of(raw, '', 'a spot-check plan');
  const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
  const title = r.string('title', { max: 300 });
  const unit = r.optionalOneOf('unit', ['instrument', 'organisation'] as const) ?? 'instrument';
  const drawDate = r.date('drawDate');
  const seed = r.string('seed', { max: 500 });
  if (seed.trim().length < 8)
    fail(
      'INVALID_FIELD',
      '/seed',
      'the public seed is the announced draw string (e.g. a lottery result or index close of the draw date); at least 8 characters',
    );
  const fr = r.object('filter');
  const filter = {
    region: fr.string('region', { pattern: REGION_PREFIX, hint: REGION_HINT }),
    organisationKinds: fr.array('organisationKinds', { optional: true, max: 10 }).map((k, i) => {
      if (typeof k !== 'string' || !(ORGANISATION_KINDS as readonly string[]).includes(k))
        fail('INVALID_FIELD', `/filter/organisationKinds/${i}`, `must be one of ${ORGANISATION_KINDS.join(', ')}`);
      return k;
    }),
    category: fr.optionalString('category', { max: 20 }),
    usage: fr.optionalOneOf('usage', USAGES),
  };
  fr.done();
  const stratifyBy = r.optionalOneOf('stratifyBy', ['none', 'region'] as const) ?? 'none';
  const wr = r.optionalObject('weights');
  let weights = DEFAULT_WEIGHTS;
  if (wr) {
    const w = { A: 0, B: 0, C: 0, D: 0, ungraded: 0 };
    for (const g of [...GRADES, 'ungraded'] as const) w[g] = wr.optionalInteger(g, { min: 1, max: 64 }) ?? DEFAULT_WEIGHTS[g];
    wr.done();
    weights = w;
  }
  const sample = readSample(r.object('sample'));
  const sr = r.optionalObject('strata');
  const strata: Record<string, SampleRule> = {};
  if (sr) for (const key of Object.keys(sr.raw)) strata[key] = readSample(sr.object(key));
  const inspectorsPerTarget = r.optionalInteger('inspectorsPerTarget', { min: 1, max: 5 }) ?? 2;
  const coolingOffMonths = r.optionalInteger('coolingOffMonths', { min: 0, max: 120 }) ?? 12;
  const inspectors = r.array('inspectors', { max: 1000 }).map((v, i) => {
    const ir = ObjectReader.of(v, `/inspectors/${i}`, 'an inspector');
    const inspector = {
      id: ir.string('id', { max: 100 }),
      regions: strings(ir, 'regions', { max: 50, optional: true, pattern: REGION_PREFIX, hint: REGION_HINT }),
      conflicts: strings(ir, 'conflicts', { max: 100, optional: true, pattern: ID_PATTERN, hint: 'a conflict names an organisation id' }),
    };
    ir.done();
    return inspector;
  });
  if (new Set(inspectors.map((i) => i.id)).size !== inspectors.length) fail('DUPLICATE', '/inspectors', 'an inspector appears twice in the pool');
  const regulatorId = r.optionalString('regulatorId', { pattern: ID_PATTERN, hint: ID_HINT });
  if (inspectors.length < inspectorsPerTarget)
    fail('INVALID_FIELD', '/inspectors', `the pool has ${inspectors.length} inspectors; each target needs ${inspectorsPerTarget}`);
  r.done();
  return { id, regulatorId, title, unit, drawDate, seed, filter, stratifyBy, weights, sample, strata, inspectorsPerTarget, coolingOffMonths, inspectors };
}

/** A sample rule as published (decimals as strings). */
export function writeSample(s: SampleRule): { size: number } | { rate: string } {
  return 'size' in s ? { size: s.size } : { rate: s.rate.toString() };
}

export function readSampleJson(v: { size: number } | { rate: string }): SampleRule {
  return 'size' in v ? { size: v.size } : { rate: new Decimal(v.rate) };
}

export function readMeasure(raw: unknown, organisationId: string, newId: NewId): IntegrityMeasure {
  const r = ObjectReader.of(raw, '', 'an integrity measure');
  const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
  const kind = r.oneOf('kind', MEASURE_KINDS);
  const decidedOn = r.date('decidedOn');
  const reason = r.optionalString('reason', { max: 2000 })?.trim() || null;
  r.done();
  return { id, organisationId, kind, decidedOn, reason, regulatorId: null };
}

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
