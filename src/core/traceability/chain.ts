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
import { type EquipmentEvent, equipmentAt } from '../registry/events.ts';
import type { CalendarDate } from '../dates.ts';
import { Decimal } from '../numeric/decimal.ts';
import type { CalibrationRecord, Equipment, LabScope, Organisation } from '../registry/types.ts';
import type { QuantityKind } from '../registry/vocabulary.ts';
import { comparableUnits, compareQuantities } from '../registry/units.ts';
import { validityOf } from '../registry/validity.ts';
import { chartFor, type VerificationChart } from './chart.ts';

export const FINDING_CODES = {
  NO_RECORD_IN_FORCE: 'no calibration or verification of this equipment had been performed by that date',
  CERTIFICATE_EXPIRED: 'the latest record had expired by the date the link must hold',
  NO_STATED_VALIDITY: 'the latest record states no validity and no interval policy gives one: it vouches for its own day only',
  RECORD_FAILED: 'the record in force is a failed verification: the equipment is out of tolerance and may not be used',
  OUT_OF_TOLERANCE: 'an out-of-tolerance finding against this standard covers the date of use',
  STANDARD_SUSPENDED: 'the standard is suspended or retired',
  ASSESSMENT_EXPIRED: "the standard's assessment certificate (计量标准考核证书) was not valid on the date of use",
  NO_ASSESSMENT: 'a standard that must be assessed (a highest standard, or one used for verification) has no assessment certificate on record',
  LAB_NOT_AUTHORISED:
    'the performing lab had no authorised scope for this quantity and range on the performance date (for a mandatory verification: none allowing mandatory verification)',
  ACCURACY_RATIO_LOW: "the reference is not accurate enough: the ratio is below the chart's minimum",
  CYCLE: 'the chain comes back to an equipment already on the path',
  DEAD_END: 'the link ends without reaching a national primary standard',
  UNKNOWN_EQUIPMENT: 'a record names an equipment that is not in the registry',
} as const;
export type FindingCode = keyof typeof FINDING_CODES;

/**
 * What a chain says without being broken by it: a record that names standards
 * outside this registry (a DCC from another registry's lab) is traceable as
 * far as the registry can see; there its traceability rests on that lab's
 * certificate, which metrotrace keeps but cannot check.
 */
export const NOTE_CODES = {
  EXTERNAL_REFERENCE:
    'the record names reference standards outside this registry: there, traceability rests on their certificates, which metrotrace keeps but cannot check',
  FILED_UNCONFIRMED: 'the owner filed a certificate for a lapsed link; it counts only once the lab it names (or an admin) confirms it',
} as const;
export type NoteCode = keyof typeof NOTE_CODES;

/** The equipment whose own record lapsed at the date (none in force, expired, failed): where a filed certificate would matter. */
export function lapsedLinks(trace: TraceResult): string[] {
  return [...new Set(trace.findings.filter((f) => LAPSE_CODES.has(f.code)).map((f) => f.equipmentId))];
}

/**
 * A link's own record lapsed: none in force, expired, or a failed
 * verification. For the equipment asked about, its status says this itself;
 * for a reference, it makes the reference unusable that day.
 */
export const LAPSE_CODES: ReadonlySet<FindingCode> = new Set(['NO_RECORD_IN_FORCE', 'CERTIFICATE_EXPIRED', 'NO_STATED_VALIDITY', 'RECORD_FAILED']);

export interface Finding<C extends string = FindingCode> {
  readonly code: C;
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
  /** What the link says without breaking the chain (see NOTE_CODES). */
  readonly notes: readonly Finding<NoteCode>[];
}

export interface TraceResult {
  readonly equipmentId: string;
  readonly at: CalendarDate;
  readonly traceable: boolean;
  /** Every finding of the tree, top-down. */
  readonly findings: readonly Finding[];
  /** Every note of the tree (links that leave the registry), top-down. */
  readonly notes: readonly Finding<NoteCode>[];
  readonly chain: ChainLink;
}

/**
 * An out-of-tolerance finding against a standard: results that used it after
 * `lastKnownGood` are suspect, until the standard is calibrated or verified
 * again on or after `foundOn`.
 */
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
  /** An equipment's events (renewals, suspensions, …) in the order recorded; absent: none. */
  events?(equipmentId: string): readonly EquipmentEvent[];
  readonly charts: readonly VerificationChart[];
  /** Whether verification of an equipment is mandatory at a date (the State catalogue decides); absent: never. */
  mandatory?(e: Equipment, at: CalendarDate): boolean;
  /**
   * The interval (months) the owner's policy sets for an equipment at a date,
   * which dates a record that states no validity (registry/validity.ts); absent or null: none.
   */
  intervalMonths?(e: Equipment, at: CalendarDate): number | null;
}

/**
 * The findings that make a standard unusable as a reference on a day: no
 * record in force (none yet, expired, failed), its assessment certificate
 * missing or not valid, suspended or retired, or found out of tolerance with a
 * last known good date before the day. A record naming such a reference is
 * refused (registry/rules.ts); one written before a later finding is suspect.
 */
export const REFERENCE_VALIDITY_CODES: ReadonlySet<FindingCode> = new Set([
  ...LAPSE_CODES,
  'NO_ASSESSMENT',
  'ASSESSMENT_EXPIRED',
  'STANDARD_SUSPENDED',
  'OUT_OF_TOLERANCE',
]);

/**
 * Whether a standard must hold a valid assessment certificate (计量标准考核证书)
 * to be used by a record: the highest standards always (JJF 1033: 社会公用、
 * 部门最高、企事业单位最高计量标准), and any standard used for a verification
 * (检定 is performed with assessed standards). A national primary standard is
 * not assessed; a working standard used only for calibration need not be.
 */
export function assessmentRequired(standard: Equipment, usedBy: CalibrationRecord | null): boolean {
  if (standard.level === 'national_primary_standard' || standard.level === 'working_instrument') return false;
  return standard.level !== 'working_standard' || usedBy?.kind === 'verification';
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

/**
 * The chain of an equipment at a date. With `record` the first link is that
 * record (e.g. the verification in force, when a later calibration exists);
 * otherwise it is the record in force at the date.
 */
export function resolveChain(graph: TraceGraph, equipmentId: string, at: CalendarDate, record?: CalibrationRecord | null): TraceResult {
  const memo = new Map<string, ChainLink>();
  const chain = link(graph, equipmentId, at, [], memo, null, record);
  const findings: Finding[] = [];
  const notes: Finding<NoteCode>[] = [];
  const seen = new Set<ChainLink>();
  const collect = (l: ChainLink) => {
    if (seen.has(l)) return;
    seen.add(l);
    findings.push(...l.findings);
    notes.push(...l.notes);
    l.references.forEach(collect);
  };
  collect(chain);
  return { equipmentId, at, traceable: findings.length === 0, findings, notes, chain };
}

/**
 * The findings of a standard as a reference of `usedBy` on a day: its own
 * link only (record in force, assessment, suspension, out-of-tolerance), not
 * the chain above it.
 */
export function referenceFindings(graph: TraceGraph, referenceId: string, usedBy: CalibrationRecord): readonly Finding[] {
  return link(graph, referenceId, usedBy.performedOn, [usedBy.subjectId], new Map(), usedBy).findings;
}

function link(
  graph: TraceGraph,
  id: string,
  at: CalendarDate,
  path: readonly string[],
  memo: Map<string, ChainLink>,
  usedBy: CalibrationRecord | null,
  given?: CalibrationRecord | null,
): ChainLink {
  const asReference = path.length > 0;
  const key = `${id}@${at}@${usedBy?.kind ?? ''}`;
  const done = given ? undefined : memo.get(key);
  if (done) return done;
  const findings: Finding[] = [];
  const notes: Finding<NoteCode>[] = [];
  const add = (code: FindingCode, recordId: string | null, message: string) => findings.push({ code, equipmentId: id, recordId, date: at, message });
  const registered = graph.equipment(id);
  // the equipment as it was on the day: its registration with the events effective by then
  const equipment = registered && graph.events ? equipmentAt(registered, graph.events(id), at).equipment : (registered ?? null);
  const base = { equipment, equipmentId: id, at, record: null, lab: null, realisation: null, references: [] as ChainLink[], findings, notes };
  if (!equipment) {
    add('UNKNOWN_EQUIPMENT', null, `equipment '${id}' is not in the registry`);
    return base;
  }
  if (path.includes(id)) {
    add('CYCLE', null, `'${id}' is its own reference through ${[...path.slice(path.indexOf(id)), id].join(' → ')}`);
    return base;
  }
  if (equipment.status !== 'in_service' && asReference) {
    add('STANDARD_SUSPENDED', null, `reference standard '${id}' is ${equipment.status.replace('_', ' ')}`);
  }
  if (asReference) {
    // a finding covers a use after the last known good date, until the standard is calibrated again after it
    const inForce = recordAt(graph.records(id), at);
    for (const t of graph.toleranceFindings(id)) {
      if (t.lastKnownGood < at && !(inForce && inForce.performedOn >= t.foundOn)) {
        add(
          'OUT_OF_TOLERANCE',
          null,
          `'${id}' was found out of tolerance on ${t.foundOn}; its last known good date is ${t.lastKnownGood}, before its use on ${at}, and it was not calibrated again in between`,
        );
      }
    }
  }
  if (asReference && assessmentRequired(equipment, usedBy)) {
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
  const record = given ?? recordAt(graph.records(id), at);
  if (!record) {
    add('NO_RECORD_IN_FORCE', null, `'${id}' had no calibration or verification performed on or before ${at}`);
    memo.set(key, base);
    return base;
  }
  const failed = record.kind === 'verification' && record.conformity === 'fail';
  // A failed verification without a date is a lapse of its own (RECORD_FAILED) and nothing more. A record without
  // a stated validity holds for the owner's policy interval, or for its own day only: a standard whose
  // certificate named no date is never taken as valid for ever (registry/validity.ts).
  const validity = validityOf(record, record.validUntil === null ? (graph.intervalMonths?.(equipment, record.performedOn) ?? null) : null);
  if (!(failed && record.validUntil === null) && validity.until < at) {
    if (validity.basis === 'none')
      add(
        'NO_STATED_VALIDITY',
        record.id,
        `certificate ${record.certificateNo} of '${id}' (${record.performedOn}) states no validity and no interval policy applies to '${id}': it does not vouch for ${at}`,
      );
    else if (validity.basis === 'interval')
      add(
        'CERTIFICATE_EXPIRED',
        record.id,
        `certificate ${record.certificateNo} of '${id}' states no validity; the policy interval from ${record.performedOn} ended on ${validity.until}, before ${at}`,
      );
    else add('CERTIFICATE_EXPIRED', record.id, `certificate ${record.certificateNo} of '${id}' expired on ${record.validUntil}, before ${at}`);
  }
  if (failed)
    add('RECORD_FAILED', record.id, `verification ${record.certificateNo} of '${id}' failed on ${record.performedOn}; use is prohibited until it passes again`);
  const lab = graph.organisation(record.labId) ?? null;
  // A verification must have been a lawful mandatory one if the instrument was under mandatory
  // verification when it was performed — or, for the equipment asked about, is at the date asked
  // (a verification before the catalogue covered it does not stand in for one after).
  const mandatory =
    record.kind === 'verification' &&
    ((graph.mandatory?.(equipment, record.performedOn) ?? false) || (!asReference && (graph.mandatory?.(equipment, at) ?? false)));
  if (!authorised(graph.scopes(record.labId), equipment, record.performedOn, { mandatoryVerification: mandatory })) {
    add(
      'LAB_NOT_AUTHORISED',
      record.id,
      `lab '${record.labId}' had no authorised scope${mandatory ? ' allowing mandatory verification' : ''} for ${equipment.quantity}${equipment.category ? ` (category ${equipment.category})` : ''} covering '${id}' on ${record.performedOn}`,
    );
  }
  const external = record.externalReferences ?? [];
  if (external.length > 0) {
    notes.push({
      code: 'EXTERNAL_REFERENCE',
      equipmentId: id,
      recordId: record.id,
      date: at,
      message: `record ${record.certificateNo} of '${id}' names reference standards outside this registry (${external.join('; ')}); there its traceability rests on their certificates, which metrotrace keeps but cannot check`,
    });
  } else if (record.referenceIds.length === 0) add('DEAD_END', record.id, `record ${record.certificateNo} of '${id}' names no reference standard`);
  const chart = chartFor(graph.charts, equipment.quantity);
  const references = record.referenceIds.map((refId) => {
    const ref = link(graph, refId, record.performedOn, [...path, id], memo, record);
    if (chart && ref.equipment) {
      const ratio = accuracyRatio(equipment, ref.equipment);
      if (ratio?.lessThan(chart.minimumAccuracyRatio)) {
        add(
          'ACCURACY_RATIO_LOW',
          record.id,
          `'${refId}' is only ${ratio.toSignificantDigits(3).toString()} times as accurate as '${id}'; the ${chart.quantity} chart asks for at least ${chart.minimumAccuracyRatio.toString()}`,
        );
      }
    }
    return ref;
  });
  const l: ChainLink = { ...base, record, lab, references };
  if (!given) memo.set(key, l);
  return l;
}

/**
 * Whether a lab's scopes cover an equipment on a date: a scope valid that day
 * for the equipment's catalogue category (a scope naming a category covers
 * only that category) or, when the scope names none, for its quantity; whose
 * range, when it states one, contains the equipment's range in a comparable
 * unit (20 L lies within 0–50 m³; a range in kg is not covered by one in m³);
 * and, for a mandatory verification, that allows mandatory verification.
 */
export function authorised(scopes: readonly LabScope[], e: Equipment, on: CalendarDate, opts: { readonly mandatoryVerification?: boolean } = {}): boolean {
  return scopes.some((s) => {
    if (s.validFrom > on || s.validUntil < on) return false;
    if (opts.mandatoryVerification && !s.mandatoryVerification) return false;
    if (!scopeCovers(s, e.category, [e.quantity])) return false;
    return s.range === null || rangeWithin(e.range, s.range);
  });
}

/** A scope's subject: a scope naming a catalogue category covers only that category; one without, its quantity. */
export function scopeCovers(s: LabScope, category: string | null, quantities: readonly QuantityKind[]): boolean {
  return s.category !== null ? s.category === category : quantities.includes(s.quantity);
}

/** Whether `inner` lies within `outer` (an open bound of `outer` contains anything on its side). */
export function rangeWithin(
  inner: { min: string | null; max: string | null; unit: string },
  outer: { min: string | null; max: string | null; unit: string },
): boolean {
  if (!comparableUnits(inner.unit, outer.unit)) return false;
  const cmp = (a: string, b: string) => compareQuantities(new Decimal(a), inner.unit, new Decimal(b), outer.unit);
  const lo = outer.min === null || (inner.min !== null && cmp(inner.min, outer.min) >= 0);
  const hi = outer.max === null || (inner.max !== null && cmp(inner.max, outer.max) <= 0);
  return lo && hi;
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
