/**
 * Resolving the traceability chain of an equipment at a date, and saying
 * exactly why it is broken.
 *
 * A link is the calibration or verification of an equipment in force at the
 * date the link must hold: the query date for the equipment asked about, and
 * for each reference standard the date it was used (the performance date of
 * the record that names it). Each link names its record, lab and references,
 * whose own links follow, up to a national primary standard that declares its
 * SI realisation (or NMI certificate under the CIPM MRA). Several references
 * make the chain a tree. A chain is traceable only when it has no finding.
 *
 * Broken links are values (findings), never exceptions.
 */
import type { CalendarDate } from '../dates.ts';
import { Decimal } from '../numeric/decimal.ts';
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../registry/types.ts';
import { chartFor, type VerificationChart } from './chart.ts';

export const FINDING_CODES = {
  NO_RECORD_IN_FORCE: 'no calibration or verification of this equipment had been performed by that date',
  CERTIFICATE_EXPIRED: 'the latest record had expired by the date the link must hold',
  RECORD_FAILED: 'the record in force is a failed verification: the equipment is out of tolerance and may not be used',
  OUT_OF_TOLERANCE: 'an out-of-tolerance finding against this standard covers the date of use',
  STANDARD_SUSPENDED: 'the standard is suspended or retired',
  ASSESSMENT_EXPIRED: "the standard's assessment certificate (计量标准考核证书) was not valid on the date of use",
  NO_ASSESSMENT: 'a measurement standard below the national level has no assessment certificate on record',
  LAB_NOT_AUTHORISED: 'the performing lab had no authorised scope for this quantity and range on the performance date',
  ACCURACY_RATIO_LOW: "the reference is not accurate enough: the ratio is below the chart's minimum",
  CYCLE: 'the chain comes back to an equipment already on the path',
  DEAD_END: 'the link ends without reaching a national primary standard',
  UNKNOWN_EQUIPMENT: 'a record names an equipment that is not in the registry',
} as const;
export type FindingCode = keyof typeof FINDING_CODES;

export interface Finding {
  readonly code: FindingCode;
  readonly equipmentId: string;
  readonly recordId: string | null;
  /** The date at which the link had to hold. */
  readonly date: CalendarDate;
  readonly message: string;
}

export interface ChainLink {
  readonly equipment: Equipment | null;
  readonly equipmentId: string;
  /** The date this link must hold. */
  readonly at: CalendarDate;
  readonly record: CalibrationRecord | null;
  readonly lab: Organisation | null;
  /** For a national primary standard: its SI realisation or NMI certificate. */
  readonly realisation: string | null;
  readonly references: readonly ChainLink[];
  /** Findings about this link itself (not its references). */
  readonly findings: readonly Finding[];
}

export interface TraceResult {
  readonly equipmentId: string;
  readonly at: CalendarDate;
  readonly traceable: boolean;
  /** Every finding of the tree, top-down. */
  readonly findings: readonly Finding[];
  readonly chain: ChainLink;
}

/** An out-of-tolerance finding against a standard: results that used it after `lastKnownGood` are suspect. */
export interface ToleranceFinding {
  readonly equipmentId: string;
  readonly lastKnownGood: CalendarDate;
  readonly foundOn: CalendarDate;
}

/** The part of the registry a resolution reads; the app loads it, the core only looks. */
export interface TraceGraph {
  equipment(id: string): Equipment | undefined;
  /** The records of an equipment that are not superseded by a correction. */
  records(subjectId: string): readonly CalibrationRecord[];
  organisation(id: string): Organisation | undefined;
  scopes(labId: string): readonly LabScope[];
  toleranceFindings(equipmentId: string): readonly ToleranceFinding[];
  readonly charts: readonly VerificationChart[];
}

/** The record of an equipment in force at a date: the latest performed on or before it. */
export function recordAt(records: readonly CalibrationRecord[], at: CalendarDate): CalibrationRecord | null {
  let best: CalibrationRecord | null = null;
  for (const r of records) {
    if (r.performedOn > at) continue;
    if (!best || r.performedOn > best.performedOn || (r.performedOn === best.performedOn && r.id > best.id)) best = r;
  }
  return best;
}

export function resolveChain(graph: TraceGraph, equipmentId: string, at: CalendarDate): TraceResult {
  const memo = new Map<string, ChainLink>();
  const chain = link(graph, equipmentId, at, [], memo);
  const findings: Finding[] = [];
  const seen = new Set<ChainLink>();
  const collect = (l: ChainLink) => {
    if (seen.has(l)) return;
    seen.add(l);
    findings.push(...l.findings);
    l.references.forEach(collect);
  };
  collect(chain);
  return { equipmentId, at, traceable: findings.length === 0, findings, chain };
}

function link(graph: TraceGraph, id: string, at: CalendarDate, path: readonly string[], memo: Map<string, ChainLink>): ChainLink {
  const key = `${id}@${at}`;
  const done = memo.get(key);
  if (done) return done;
  const findings: Finding[] = [];
  const add = (code: FindingCode, recordId: string | null, message: string) => findings.push({ code, equipmentId: id, recordId, date: at, message });
  const equipment = graph.equipment(id) ?? null;
  const base = { equipment, equipmentId: id, at, record: null, lab: null, realisation: null, references: [] as ChainLink[], findings };
  if (!equipment) {
    add('UNKNOWN_EQUIPMENT', null, `equipment '${id}' is not in the registry`);
    return base;
  }
  if (path.includes(id)) {
    add('CYCLE', null, `'${id}' is its own reference through ${[...path.slice(path.indexOf(id)), id].join(' → ')}`);
    return base;
  }
  if (equipment.status !== 'in_service' && path.length > 0) {
    add('STANDARD_SUSPENDED', null, `reference standard '${id}' is ${equipment.status.replace('_', ' ')}`);
  }
  for (const t of graph.toleranceFindings(id)) {
    if (path.length > 0 && t.lastKnownGood < at) {
      add('OUT_OF_TOLERANCE', null, `'${id}' was found out of tolerance on ${t.foundOn}; its last known good date is ${t.lastKnownGood}, before its use on ${at}`);
    }
  }
  if (path.length > 0 && equipment.level !== 'national_primary_standard') {
    const a = equipment.assessment;
    if (!a) add('NO_ASSESSMENT', null, `standard '${id}' has no assessment certificate (计量标准考核证书) on record`);
    else if (at < a.validFrom || at > a.validUntil) {
      add('ASSESSMENT_EXPIRED', null, `the assessment certificate ${a.certificateNo} of '${id}' is valid ${a.validFrom} to ${a.validUntil}, not on ${at}`);
    }
  }
  if (equipment.level === 'national_primary_standard') {
    if (!equipment.realisation) add('DEAD_END', null, `national primary standard '${id}' declares no SI realisation or NMI certificate`);
    const l = { ...base, realisation: equipment.realisation };
    memo.set(key, l);
    return l;
  }
  const record = recordAt(graph.records(id), at);
  if (!record) {
    add('NO_RECORD_IN_FORCE', null, `'${id}' had no calibration or verification performed on or before ${at}`);
    memo.set(key, base);
    return base;
  }
  if (record.validUntil < at) add('CERTIFICATE_EXPIRED', record.id, `certificate ${record.certificateNo} of '${id}' expired on ${record.validUntil}, before ${at}`);
  if (record.kind === 'verification' && record.conformity === 'fail') add('RECORD_FAILED', record.id, `verification ${record.certificateNo} of '${id}' failed on ${record.performedOn}; use is prohibited until it passes again`);
  const lab = graph.organisation(record.labId) ?? null;
  if (!authorised(graph.scopes(record.labId), equipment, record.performedOn)) {
    add('LAB_NOT_AUTHORISED', record.id, `lab '${record.labId}' had no authorised scope for ${equipment.quantity}${equipment.category ? ` (category ${equipment.category})` : ''} covering '${id}' on ${record.performedOn}`);
  }
  if (record.referenceIds.length === 0) add('DEAD_END', record.id, `record ${record.certificateNo} of '${id}' names no reference standard`);
  const chart = chartFor(graph.charts, equipment.quantity);
  const references = record.referenceIds.map((refId) => {
    const ref = link(graph, refId, record.performedOn, [...path, id], memo);
    if (chart && ref.equipment) {
      const ratio = accuracyRatio(equipment, ref.equipment);
      if (ratio && ratio.lessThan(chart.minimumAccuracyRatio)) {
        add('ACCURACY_RATIO_LOW', record.id, `'${refId}' is only ${ratio.toSignificantDigits(3).toString()} times as accurate as '${id}'; the ${chart.quantity} chart asks for at least ${chart.minimumAccuracyRatio.toString()}`);
      }
    }
    return ref;
  });
  const l: ChainLink = { ...base, record, lab, references };
  memo.set(key, l);
  return l;
}

/** A scope covers an equipment on a date: same quantity (or catalogue category), valid that day, range inside. */
export function authorised(scopes: readonly LabScope[], e: Equipment, on: CalendarDate): boolean {
  return scopes.some((s) => {
    if (s.validFrom > on || s.validUntil < on) return false;
    if (s.quantity !== e.quantity && !(s.category && s.category === e.category)) return false;
    if (!s.range || s.range.unit !== e.range.unit) return true;
    const lo = s.range.min === null || e.range.min === null || new Decimal(s.range.min).lessThanOrEqualTo(e.range.min);
    const hi = s.range.max === null || e.range.max === null || new Decimal(s.range.max).greaterThanOrEqualTo(e.range.max);
    return lo && hi;
  });
}

/** (accuracy of the calibrated) / (accuracy of the reference), when both are numeric in the same unit. */
export function accuracyRatio(subject: Equipment, reference: Equipment): Decimal | null {
  const figure = (e: Equipment): { value: Decimal; unit: string } | null => {
    const a = e.accuracy;
    if (a.kind === 'mpe') return { value: new Decimal(a.mpe), unit: a.unit };
    if (a.kind === 'expanded') return { value: new Decimal(a.expandedUncertainty), unit: a.unit };
    return null;
  };
  const s = figure(subject);
  const r = figure(reference);
  if (!s || !r || s.unit !== r.unit || r.value.isZero()) return null;
  return s.value.div(r.value);
}
