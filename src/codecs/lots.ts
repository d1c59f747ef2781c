/** Lots of meters in service, their sampling plans and results on the wire (core/sampling/). */
import { type CalendarDate, parseDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { Decimal, type DecimalText, parseDecimalText, valueOf } from '../core/numeric/decimal.ts';
import type { Aql, InspectionLevel } from '../core/sampling/iso2859-tables.ts';
import { serialRange, type MeterFinding } from '../core/sampling/lot.ts';
import { isZ19Aql, isZ19Level, type SamplingMethod } from '../core/sampling/variables.ts';
import { Z19_AQLS, Z19_LEVELS, Z19_SOURCES } from '../core/sampling/z19-tables.ts';
import { readContract } from './contracts/read.ts';
import {
  LotInput,
  type LotInputShape,
  MAX_LOT_SIZE,
  ResultsInput,
  type ResultsInputShape,
  RotationInput,
  type RotationInputShape,
  SamplingPlanInput,
  type SamplingPlanInputShape,
  SERIAL_HINT,
  SERIAL_PATTERN,
} from './contracts/lots.ts';
import type { NewId } from './registry.ts';

export { MAX_LOT_SIZE } from './contracts/lots.ts';

export interface LotRequest {
  readonly id: string;
  readonly ownerId: string | null;
  readonly category: string;
  readonly model: string;
  readonly patternApprovalNo: string | null;
  readonly manufacturer: string;
  readonly batch: string | null;
  readonly installedFrom: CalendarDate;
  readonly installedTo: CalendarDate;
  readonly region: string;
  readonly registeredOn: CalendarDate | null;
  /** Serial numbers from the ranges and the list, in the order given. */
  readonly serials: readonly string[];
  readonly equipmentIds: readonly string[];
}

/** A lot that passed its contract as a request: ids drawn, serial ranges expanded, the installation period in order. */
export function toLot(i: LotInputShape, newId: NewId): LotRequest {
  const installedFrom = parseDate(i.installedFrom, '/installedFrom');
  const installedTo = parseDate(i.installedTo, '/installedTo');
  if (installedTo < installedFrom) fail('INVALID_RANGE', '/installedTo', `the installation period ends (${installedTo}) before it starts (${installedFrom})`);
  const serials: string[] = [];
  (i.members.serialRanges ?? []).forEach((r, n) => {
    const path = `/members/serialRanges/${n}`;
    // appended one by one: spreading 130,000 or more into push() overflows the call stack
    for (const s of serialRange(r.prefix ?? '', r.from, r.to, r.width ?? String(r.to).length, path, MAX_LOT_SIZE)) serials.push(s);
    if (serials.length > MAX_LOT_SIZE) fail('INVALID_FIELD', path, `a lot holds at most ${MAX_LOT_SIZE} meters`);
  });
  for (const s of i.members.serials ?? []) serials.push(s);
  for (const s of serials) if (!SERIAL_PATTERN.test(s)) fail('INVALID_FIELD', '/members/serialRanges', `"${s}": ${SERIAL_HINT}`);
  const equipmentIds = [...(i.members.equipmentIds ?? [])];
  if (serials.length + equipmentIds.length > MAX_LOT_SIZE) fail('INVALID_FIELD', '/members', `a lot holds at most ${MAX_LOT_SIZE} meters`);
  return {
    id: i.id ?? newId(),
    ownerId: i.ownerId ?? null,
    category: i.category,
    model: i.model,
    patternApprovalNo: i.patternApprovalNo ?? null,
    manufacturer: i.manufacturer,
    batch: i.batch ?? null,
    installedFrom,
    installedTo,
    region: i.region,
    registeredOn: i.registeredOn == null ? null : parseDate(i.registeredOn, '/registeredOn'),
    serials,
    equipmentIds,
  };
}

export const readLot = (raw: unknown, newId: NewId): LotRequest => toLot(readContract(LotInput, raw), newId);

export interface SamplingPlanRequest {
  readonly id: string;
  readonly plannedOn: CalendarDate;
  readonly seed: string;
  /** attributes (GB/T 2828.1, the default) or variables (ANSI/ASQ Z1.9 s method, the sampled meters' errors). */
  readonly method: SamplingMethod;
  readonly level: InspectionLevel;
  readonly aql: Aql;
  /** A variables plan's in-service MPE (the limits ±MPE its results are judged against), fixed now; null for attributes. */
  readonly mpe: DecimalText | null;
  /** Steady production and the authority's approval, for reduced inspection (both default false). */
  readonly productionSteady: boolean;
  readonly authorityApprovesReduced: boolean;
}

export function toSamplingPlan(i: SamplingPlanInputShape, newId: NewId): SamplingPlanRequest {
  const id = i.id ?? newId();
  const plannedOn = parseDate(i.plannedOn, '/plannedOn');
  const seed = i.seed;
  if (seed.trim() === '') fail('INVALID_FIELD', '/seed', 'the seed is the announced public draw string (e.g. a lottery result of the draw day)');
  const method = i.method ?? 'attributes';
  const level = i.level ?? 'II';
  const aql = i.aql;
  const mpe = i.mpe == null ? null : parseDecimalText(i.mpe, '/mpe');
  const productionSteady = i.productionSteady ?? false;
  const authorityApprovesReduced = i.authorityApprovesReduced ?? false;
  if (method === 'variables') {
    if (!isZ19Level(level))
      fail('INVALID_FIELD', '/level', `the variables table (ANSI/ASQ Z1.9 Table A-2) has the levels ${Z19_LEVELS.join(', ')}; got ${level}`);
    if (!isZ19Aql(aql))
      fail(
        'NOT_APPLICABLE',
        '/aql',
        `the variables plans carried cover the AQLs ${Z19_AQLS.join(', ')} (missing: ${Z19_SOURCES.missing}); sample at AQL ${aql} by attributes`,
      );
    if (mpe === null)
      fail(
        'MISSING_FIELD',
        '/mpe',
        'a variables plan fixes the in-service MPE its meters\' errors are judged against (the limits ±MPE), e.g. "2" for ±2 %; give it when the plan is drawn',
      );
    if (!valueOf(mpe).greaterThan(0)) fail('INVALID_FIELD', '/mpe', `the in-service MPE is a positive half-width (the limits are ±MPE), got ${mpe}`);
  } else if (mpe !== null) {
    fail('INVALID_FIELD', '/mpe', "an attributes plan fixes no MPE: each sampled meter's result gives the MPE it is judged against; leave mpe out");
  }
  return { id, plannedOn, seed, method, level, aql, mpe, productionSteady, authorityApprovesReduced };
}

export const readSamplingPlan = (raw: unknown, newId: NewId): SamplingPlanRequest => toSamplingPlan(readContract(SamplingPlanInput, raw), newId);

export interface ResultsRequest {
  readonly recordedOn: CalendarDate;
  readonly meters: ReadonlyArray<{ readonly finding: MeterFinding; readonly written: Record<string, unknown> }>;
}

/** Results that passed their contract: each meter's errors at its test points, or whether it conforms with a reason. */
export function toResults(i: ResultsInputShape): ResultsRequest {
  const meters = i.meters.map((m, n) => {
    const path = `/meters/${n}`;
    const serial = m.serial;
    if (m.points !== undefined) {
      for (const key of ['conforming', 'reason'] as const)
        if (m[key] !== undefined)
          fail('UNKNOWN_FIELD', `${path}/${key}`, `unknown field '${key}'; a meter gives its errors at the test points, or conforming with a reason`);
      const points = m.points.map((p, j) => ({
        testPoint: p.testPoint,
        error: parseDecimalText(p.error, `${path}/points/${j}/error`),
        mpe: parseDecimalText(p.mpe, `${path}/points/${j}/mpe`),
      }));
      return {
        finding: { serial, points: points.map((p) => ({ testPoint: p.testPoint, error: new Decimal(p.error), mpe: new Decimal(p.mpe) })) } as MeterFinding,
        written: { serial, points },
      };
    }
    if (m.conforming === undefined) fail('MISSING_FIELD', `${path}/conforming`, "'conforming' is required");
    if (m.reason === undefined) fail('MISSING_FIELD', `${path}/reason`, "'reason' is required");
    const { conforming, reason } = m;
    return { finding: { serial, conforming, reason } as MeterFinding, written: { serial, conforming, reason } };
  });
  return { recordedOn: parseDate(i.recordedOn, '/recordedOn'), meters };
}

export const readResults = (raw: unknown): ResultsRequest => toResults(readContract(ResultsInput, raw));

export interface RotationRequest {
  readonly rotatedOn: CalendarDate;
  readonly remarks: string | null;
}

export function toRotation(i: RotationInputShape): RotationRequest {
  return { rotatedOn: parseDate(i.rotatedOn, '/rotatedOn'), remarks: i.remarks ?? null };
}

export const readRotation = (raw: unknown): RotationRequest => toRotation(readContract(RotationInput, raw));
