/** Lots of meters in service, their sampling plans and results on the wire (core/sampling/). */
import type { CalendarDate } from '../core/dates.ts';
import { fail } from '../core/errors.ts';
import { Decimal, type DecimalText, valueOf } from '../core/numeric/decimal.ts';
import { INSPECTION_LEVELS, AQLS, type Aql, type InspectionLevel } from '../core/sampling/iso2859-tables.ts';
import { serialRange, type MeterFinding } from '../core/sampling/lot.ts';
import { isZ19Aql, isZ19Level, SAMPLING_METHODS, type SamplingMethod } from '../core/sampling/variables.ts';
import { Z19_AQLS, Z19_LEVELS, Z19_SOURCES } from '../core/sampling/z19-tables.ts';
import { ObjectReader } from './reader.ts';
import { ID_HINT, ID_PATTERN, type NewId } from './registry.ts';
import { REGION_PATTERN } from './contracts/common.ts';

/** The most members a lot may hold (a serial range is cheap; a listed serial costs a line of the body). */
export const MAX_LOT_SIZE = 200_000;
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
const SERIAL_HINT = 'a serial number is 1–64 letters, digits, dots, underscores, slashes or hyphens, starting with a letter or digit';

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

export function readLot(raw: unknown, newId: NewId): LotRequest {
  const r = ObjectReader.of(raw, '', 'a lot of meters');
  const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
  const ownerId = r.optionalString('ownerId', { pattern: ID_PATTERN, hint: ID_HINT });
  const category = r.string('category', { pattern: /^[A-Z]{2}\d{3}$/, hint: 'the key of a mandatory-verification catalogue entry, e.g. "MV004"' });
  const model = r.string('model', { max: 100 });
  const patternApprovalNo = r.optionalString('patternApprovalNo', { max: 64 });
  const manufacturer = r.string('manufacturer', { max: 200 });
  const batch = r.optionalString('batch', { max: 100 });
  const installedFrom = r.date('installedFrom');
  const installedTo = r.date('installedTo');
  if (installedTo < installedFrom) fail('INVALID_RANGE', '/installedTo', `the installation period ends (${installedTo}) before it starts (${installedFrom})`);
  const region = r.string('region', { pattern: REGION_PATTERN, hint: 'the GB/T 2260 code of the district where the lot is installed, e.g. "310104"' });
  const registeredOn = r.optionalDate('registeredOn');
  const m = r.object('members');
  const serials: string[] = [];
  m.array('serialRanges', { optional: true, max: 1000 }).forEach((v, i) => {
    const path = `${m.at('serialRanges')}/${i}`;
    const rr = ObjectReader.of(v, path, 'a serial range');
    const prefix =
      rr.optionalString('prefix', { max: 40, pattern: /^[A-Za-z0-9._/-]*$/, hint: 'a prefix of letters, digits, dots, underscores, slashes or hyphens' }) ?? '';
    const from = rr.integer('from', { min: 0, max: 999_999_999_999 });
    const to = rr.integer('to', { min: 0, max: 999_999_999_999 });
    const width = rr.optionalInteger('width', { min: 1, max: 12 }) ?? String(to).length;
    rr.done();
    serials.push(...serialRange(prefix, from, to, width, path, MAX_LOT_SIZE));
    if (serials.length > MAX_LOT_SIZE) fail('INVALID_FIELD', path, `a lot holds at most ${MAX_LOT_SIZE} meters`);
  });
  m.array('serials', { optional: true, max: MAX_LOT_SIZE }).forEach((v, i) => {
    if (typeof v !== 'string' || !SERIAL.test(v)) fail('INVALID_FIELD', `${m.at('serials')}/${i}`, SERIAL_HINT);
    serials.push(v);
  });
  for (const s of serials) if (!SERIAL.test(s)) fail('INVALID_FIELD', m.at('serialRanges'), `"${s}": ${SERIAL_HINT}`);
  const equipmentIds = m.array('equipmentIds', { optional: true, max: 10_000 }).map((v, i) => {
    if (typeof v !== 'string' || !ID_PATTERN.test(v)) fail('INVALID_FIELD', `${m.at('equipmentIds')}/${i}`, ID_HINT);
    return v;
  });
  m.done();
  r.done();
  if (serials.length + equipmentIds.length > MAX_LOT_SIZE) fail('INVALID_FIELD', '/members', `a lot holds at most ${MAX_LOT_SIZE} meters`);
  return { id, ownerId, category, model, patternApprovalNo, manufacturer, batch, installedFrom, installedTo, region, registeredOn, serials, equipmentIds };
}

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

export function readSamplingPlan(raw: unknown, newId: NewId): SamplingPlanRequest {
  const r = ObjectReader.of(raw, '', 'a sampling plan');
  const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
  const plannedOn = r.date('plannedOn');
  const seed = r.string('seed', { max: 200 });
  if (seed.trim() === '') fail('INVALID_FIELD', '/seed', 'the seed is the announced public draw string (e.g. a lottery result of the draw day)');
  const method = r.optionalOneOf('method', SAMPLING_METHODS) ?? 'attributes';
  const level = r.optionalOneOf('level', INSPECTION_LEVELS) ?? 'II';
  const aql = r.oneOf('aql', AQLS);
  const mpe = r.optionalDecimalText('mpe');
  const productionSteady = r.boolean('productionSteady', false);
  const authorityApprovesReduced = r.boolean('authorityApprovesReduced', false);
  r.done();
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

export interface ResultsRequest {
  readonly recordedOn: CalendarDate;
  readonly meters: ReadonlyArray<{ readonly finding: MeterFinding; readonly written: Record<string, unknown> }>;
}

export function readResults(raw: unknown): ResultsRequest {
  const r = ObjectReader.of(raw, '', 'the results of a sampling plan');
  const recordedOn = r.date('recordedOn');
  const meters = r.array('meters', { max: 5000 }).map((v, i) => {
    const path = `/meters/${i}`;
    const mr = ObjectReader.of(v, path, 'a sampled meter');
    const serial = mr.string('serial', { pattern: SERIAL, hint: SERIAL_HINT });
    if (mr.has('points')) {
      const points = mr.array('points', { max: 50 }).map((p, j) => {
        const pr = ObjectReader.of(p, `${path}/points/${j}`, 'a test point');
        const testPoint = pr.string('testPoint', { max: 100 });
        const error = pr.decimalText('error');
        const mpe = pr.decimalText('mpe');
        pr.done();
        return { testPoint, error, mpe };
      });
      mr.done();
      return {
        finding: { serial, points: points.map((p) => ({ testPoint: p.testPoint, error: new Decimal(p.error), mpe: new Decimal(p.mpe) })) } as MeterFinding,
        written: { serial, points },
      };
    }
    const conforming = mr.boolean('conforming');
    const reason = mr.string('reason', { max: 500 });
    mr.done();
    return { finding: { serial, conforming, reason } as MeterFinding, written: { serial, conforming, reason } };
  });
  r.done();
  return { recordedOn, meters };
}

export function readRotation(raw: unknown): { rotatedOn: CalendarDate; remarks: string | null } {
  const r = ObjectReader.of(raw, '', 'a rotation');
  const rotatedOn = r.date('rotatedOn');
  const remarks = r.optionalString('remarks', { max: 500 });
  r.done();
  return { rotatedOn, remarks };
}
