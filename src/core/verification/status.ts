/**
 * The verification status of an instrument at a date, as an inspector needs it:
 * may it be used, and until when?
 *
 * Only verification records count for mandatory verification (a calibration
 * certificate is not a verification). The due date is the last day of the
 * certificate's validity, brought forward to the legal interval when the
 * certificate claims more. From the day after the due date the verification
 * has lapsed: the instrument may not be used. A local policy's grace days only
 * delay its classification as overdue for enforcement (`expired_in_grace`);
 * they never make a lapsed verification valid again.
 *
 * A verification in force whose own chain was broken on the day it was
 * performed — a reference found out of tolerance with a last known good date
 * before it, a reference not valid that day, a lab without authority — is
 * `suspect`: the result it certified is in doubt, and the instrument needs
 * re-verification before it may be relied on.
 */
import { addDays, addMonths, type CalendarDate, daysBetween } from '../dates.ts';
import type { CalibrationRecord } from '../registry/types.ts';
import { validityOf } from '../registry/validity.ts';
import type { EquipmentStatus } from '../registry/vocabulary.ts';
import { type Finding, LAPSE_CODES, recordAt } from '../traceability/chain.ts';
import type { Classification } from './catalogue.ts';
import type { VerificationPolicy } from './policy.ts';

export const VERIFICATION_STATES = {
  in_force: 'verified and in force',
  due_soon: 'in force, but the due date is near',
  overdue: 'the verification has lapsed: the instrument may not be used until verified again',
  expired_in_grace: 'the verification has lapsed and the instrument may not be used; a local grace period delays its listing as overdue',
  suspect: 'verified, but the chain behind the verification is broken (e.g. its standard was found out of tolerance): re-verify before use',
  never_verified: 'no verification on record: the instrument may not be used',
  failed: 'the latest verification failed: use is prohibited until repaired and verified again',
  service_life_ended: 'the limited service life has ended: the instrument must be replaced',
  to_rotate:
    'a member of a lot of meters in service that is to be rotated (its sample was not accepted, or its extension or service life ended): it no longer counts as conforming and is replaced by the rotation date',
  withdrawn: 'suspended, retired or scrapped by its owner: the instrument may not be used',
  use_prohibited:
    'an in-use inspection prohibited its use (责令停止使用): the instrument may not be used until it passes a verification performed after that day',
  reverification_required: 'repaired, or its seal broken, after its latest verification: the instrument may not be used until verified again',
  not_mandatory: 'not under mandatory verification',
} as const;
export type VerificationState = keyof typeof VERIFICATION_STATES;

export interface VerificationStatus {
  readonly equipmentId: string;
  readonly at: CalendarDate;
  readonly state: VerificationState;
  readonly classification: Classification;
  readonly policy: VerificationPolicy | null;
  /** The verification in force at the date (for a not-mandatory instrument, its latest record of either kind). */
  readonly record: CalibrationRecord | null;
  readonly firstVerifiedOn: CalendarDate | null;
  /** The last day the instrument may be used without a new verification; null when none is due. */
  readonly dueOn: CalendarDate | null;
  /** Days from the date to the due date (negative when overdue). */
  readonly daysToDue: number | null;
  readonly serviceLifeEndsOn: CalendarDate | null;
  /** The last day of the local grace period after the due date, when one applies. */
  readonly graceEndsOn: CalendarDate | null;
  /** Why a suspect verification is in doubt: the findings of its chain (empty otherwise). */
  readonly findings: readonly Finding[];
  readonly message: string;
}

export interface StatusInput {
  readonly equipmentId: string;
  readonly classification: Classification;
  readonly policy: VerificationPolicy | null;
  /** The equipment's current (not superseded) records of both kinds, in any order. */
  readonly records: readonly CalibrationRecord[];
  readonly at: CalendarDate;
  /** The findings of the chain behind a verification (resolved from that record); omitted: not checked. */
  readonly chainOf?: (record: CalibrationRecord) => readonly Finding[];
  /** The equipment's life at the date (core/registry/events.ts); omitted: in service as registered. */
  readonly life?: Life;
  /** The policy in force on an earlier day (StatusFacts.policyOn). */
  readonly policyOn?: (day: CalendarDate) => VerificationPolicy | null;
}

/** What the status needs of the equipment's life at the date. */
export interface Life {
  readonly status: EquipmentStatus;
  readonly scrappedOn: CalendarDate | null;
  readonly reverifyAfter: CalendarDate | null;
  /** The latest day an in-use inspection prohibited its use; omitted or null: none. */
  readonly prohibitedOn?: CalendarDate | null;
  /** The rotation its lot of meters in service is under at the date (core/sampling/lot.ts memberRotation); omitted or null: none. */
  readonly lotRotation?: LotRotation | null;
  /** The extension its lot's accepted sample gives it at the date (core/sampling/lot.ts memberExtension); omitted or null: none. */
  readonly lotExtension?: LotExtension | null;
}

/**
 * An accepted sample of the meter's lot, as its status needs it: a meter
 * verified once for a limited life stays usable to `until` though its own
 * life ended earlier (the sample is the evidence that the lot still conforms).
 */
export interface LotExtension {
  readonly lotId: string;
  readonly planId: string;
  /** The day the sample was accepted. */
  readonly since: CalendarDate;
  /** The last day the extension covers. */
  readonly until: CalendarDate;
}

/** A lot to rotate, as its member's status needs it. */
export interface LotRotation {
  readonly lotId: string;
  /** The day the lot became to rotate. */
  readonly since: CalendarDate;
  /** The last day its meters may stay in service. */
  readonly rotateBy: CalendarDate;
  /** The day the lot was rotated (its meters replaced): the member is withdrawn from then; omitted or null: not yet. */
  readonly rotatedOn?: CalendarDate | null;
  /** Why, in words (the lot's state reason). */
  readonly reason: string;
}

/**
 * The due date a record sets under a policy: its validity, capped by the legal
 * interval. A record that states no validity (a calibration may leave it to
 * the owner) is due at the end of the policy's interval from its performance
 * date; with no interval either, it is due on its own day — never valid
 * forever (registry/validity.ts).
 */
export function dueDateOf(record: CalibrationRecord, policy: VerificationPolicy | null): CalendarDate {
  if (record.validUntil === null) return validityOf(record, policy?.intervalMonths ?? null).until;
  if (policy?.intervalMonths == null) return record.validUntil;
  const legal = addDays(addMonths(record.performedOn, policy.intervalMonths), -1);
  return legal < record.validUntil ? legal : record.validUntil;
}

export function verificationStatus(input: StatusInput): VerificationStatus {
  const verifications = input.records.filter((r) => r.kind === 'verification' && r.performedOn <= input.at);
  let firstPassOn: CalendarDate | null = null;
  for (const r of verifications) if (r.conformity === 'pass' && (firstPassOn === null || r.performedOn < firstPassOn)) firstPassOn = r.performedOn;
  const latest = recordAt(verifications, input.at);
  const findings = latest && input.chainOf ? suspicion(latest, input.chainOf(latest)) : [];
  return statusOf({ ...input, latest, firstPassOn, latestAny: recordAt(input.records, input.at), findings });
}

/**
 * The findings that put a verification in doubt: every finding of its chain
 * but the record's own lapses (expiry, failure), which the status states itself.
 */
export function suspicion(record: CalibrationRecord, findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !(f.recordId === record.id && LAPSE_CODES.has(f.code)));
}

/** The same, from what a due-list query returns: the latest verification and the first passed one. */
export interface StatusFacts {
  readonly equipmentId: string;
  readonly classification: Classification;
  readonly policy: VerificationPolicy | null;
  readonly at: CalendarDate;
  readonly latest: CalibrationRecord | null;
  readonly firstPassOn: CalendarDate | null;
  /** The latest record of either kind, shown for a not-mandatory instrument. */
  readonly latestAny?: CalibrationRecord | null;
  /** Findings that put the latest verification in doubt (see suspicion); empty or omitted: none known. */
  readonly findings?: readonly Finding[];
  /** The equipment's life at the date; omitted: in service as registered. */
  readonly life?: Life;
  /**
   * The policy that was in force on an earlier day, for the same category and
   * region. A record's validity is capped by the interval in force when it
   * was performed, and a service life runs as fixed when the instrument was
   * first verified: a local policy that shortens either applies from then on,
   * never to a certificate already issued (it cannot make an instrument
   * overdue from before it existed). Omitted: `policy`, the day's.
   */
  readonly policyOn?: (day: CalendarDate) => VerificationPolicy | null;
}

/** One status value; every status is built here, so all share one shape. */
function make(
  facts: StatusFacts,
  state: VerificationState,
  record: CalibrationRecord | null,
  firstVerifiedOn: CalendarDate | null,
  dueOn: CalendarDate | null,
  daysToDue: number | null,
  serviceLifeEndsOn: CalendarDate | null,
  message: string,
  extra: { graceEndsOn?: CalendarDate; findings?: readonly Finding[] } = {},
): VerificationStatus {
  return {
    equipmentId: facts.equipmentId,
    at: facts.at,
    state,
    classification: facts.classification,
    policy: facts.policy,
    record,
    firstVerifiedOn,
    dueOn,
    daysToDue,
    serviceLifeEndsOn,
    graceEndsOn: extra.graceEndsOn ?? null,
    findings: extra.findings ?? [],
    message,
  };
}

export function statusOf(facts: StatusFacts): VerificationStatus {
  const { classification, policy, at, life } = facts;
  if (life && life.status !== 'in_service') {
    const why = life.scrappedOn
      ? `was scrapped (报废) on ${life.scrappedOn}`
      : `is ${life.status === 'suspended' ? 'suspended (暂停使用)' : 'retired (停用)'} on ${at}`;
    return make(facts, 'withdrawn', facts.latest ?? facts.latestAny ?? null, null, null, null, null, `the instrument ${why}: it may not be used`);
  }
  if (life?.lotRotation?.rotatedOn) {
    return make(
      facts,
      'withdrawn',
      facts.latest ?? facts.latestAny ?? null,
      null,
      null,
      null,
      null,
      `the instrument was replaced with its lot ${life.lotRotation.lotId} on ${life.lotRotation.rotatedOn} (轮换): it may not be used`,
    );
  }
  if (life?.prohibitedOn) {
    // only a passed verification performed after the day of the prohibition lifts it
    const cleared = facts.latest && facts.latest.conformity === 'pass' && facts.latest.performedOn > life.prohibitedOn;
    if (!cleared) {
      return make(
        facts,
        'use_prohibited',
        facts.latest ?? facts.latestAny ?? null,
        facts.firstPassOn,
        null,
        null,
        null,
        `an in-use inspection prohibited its use on ${life.prohibitedOn} (责令停止使用): it may not be used until it passes a verification performed after that day`,
      );
    }
  }
  if (life?.lotRotation) {
    // the lot's decision is about every meter in it, whatever the meter's own certificate says
    const r = life.lotRotation;
    const days = daysBetween(at, r.rotateBy);
    const when =
      days >= 0
        ? `replace it by ${r.rotateBy} (${days} days left); it may not stay in service after that day`
        : `it was to be replaced by ${r.rotateBy} and may not stay in service (${-days} days late)`;
    return make(facts, 'to_rotate', facts.latest ?? facts.latestAny ?? null, facts.firstPassOn, r.rotateBy, days, null, `${r.reason}: ${when}`);
  }
  if (!classification.mandatory || !policy) return make(facts, 'not_mandatory', facts.latestAny ?? facts.latest, null, null, null, null, classification.reason);
  const record = facts.latest;
  if (!record)
    return make(
      facts,
      'never_verified',
      null,
      null,
      null,
      null,
      null,
      `no verification on or before ${at}: the instrument may not be used for this purpose until it passes one`,
    );
  const first = facts.firstPassOn !== null && facts.firstPassOn < record.performedOn ? facts.firstPassOn : record.performedOn;
  const lifeFixed = facts.policyOn?.(first) ?? policy;
  const serviceLifeEndsOn =
    policy.form === 'initial_then_replace' && lifeFixed.serviceLifeMonths !== null ? addDays(addMonths(first, lifeFixed.serviceLifeMonths), -1) : null;
  const cert = `certificate ${record.certificateNo} of ${record.performedOn}`;
  if (life?.reverifyAfter && record.performedOn < life.reverifyAfter) {
    return make(
      facts,
      'reverification_required',
      record,
      first,
      null,
      null,
      serviceLifeEndsOn,
      `repaired or its seal broken on ${life.reverifyAfter}, after ${cert}: it may not be used until verified again`,
    );
  }
  if (record.conformity === 'fail') {
    return make(
      facts,
      'failed',
      record,
      first,
      null,
      null,
      serviceLifeEndsOn,
      `${cert} found the instrument out of tolerance: use is prohibited until it is repaired and passes verification`,
    );
  }
  // the lot's accepted sample carries a meter past its own life, to the extension's last day (never shortens it)
  const ext = life?.lotExtension ?? null;
  const extendedTo = ext !== null && serviceLifeEndsOn !== null && ext.until > serviceLifeEndsOn ? ext.until : null;
  const lifeEndsOn = extendedTo ?? serviceLifeEndsOn;
  const issuedUnder = facts.policyOn?.(record.performedOn) ?? policy;
  const dueOn = policy.form === 'periodic' ? dueDateOf(record, issuedUnder) : lifeEndsOn;
  // a policy of the day that differs from the one the dates were fixed under says so in its basis
  const fixedUnder = [
    ...(policy.form === 'periodic' && issuedUnder.intervalMonths !== policy.intervalMonths
      ? [
          `${cert} was issued under an interval of ${issuedUnder.intervalMonths ?? 'no'} months: the ${policy.intervalMonths ?? 'no'} months in force now apply from its next verification`,
        ]
      : []),
    ...(serviceLifeEndsOn !== null && lifeFixed.serviceLifeMonths !== policy.serviceLifeMonths
      ? [`first verified on ${first} under a service life of ${lifeFixed.serviceLifeMonths} months, which it keeps`]
      : []),
  ];
  if (fixedUnder.length > 0) facts = { ...facts, policy: { ...policy, basis: [...policy.basis, ...fixedUnder] } };
  const findings = facts.findings ?? [];
  const doubt =
    findings.length === 0 ? '' : `; but ${findings.map((f) => `${f.code} at ${f.equipmentId}`).join(', ')}: the verification is in doubt, re-verify before use`;
  if (dueOn === null) {
    const rule =
      policy.form === 'initial_until_inaccurate'
        ? 'it may be used until found inaccurate, then it is scrapped'
        : 'the catalogue requires no further verification';
    if (findings.length > 0) return make(facts, 'suspect', record, first, null, null, serviceLifeEndsOn, `${cert} passed${doubt}`, { findings });
    return make(facts, 'in_force', record, first, null, null, serviceLifeEndsOn, `${cert} passed; ${rule}`);
  }
  const days = daysBetween(at, dueOn);
  const status = (state: VerificationState, message: string, extra = {}) => make(facts, state, record, first, dueOn, days, serviceLifeEndsOn, message, extra);
  if (lifeEndsOn !== null && at > lifeEndsOn)
    return status(
      'service_life_ended',
      `first verified on ${first}; its service life of ${lifeFixed.serviceLifeMonths} months ended on ${serviceLifeEndsOn}: replace it`,
    );
  if (days < -policy.graceDays) return status('overdue', `${cert} was due by ${dueOn}; it is ${-days} days overdue`);
  if (days < 0) {
    const graceEndsOn = addDays(dueOn, policy.graceDays);
    return status(
      'expired_in_grace',
      `${cert} expired after ${dueOn} (${-days} days ago): the instrument may not be used until verified again; the local grace period delays its listing as overdue until ${graceEndsOn}`,
      { graceEndsOn },
    );
  }
  if (findings.length > 0) return status('suspect', `${cert} passed${doubt}`, { findings });
  if (extendedTo !== null && at > serviceLifeEndsOn!) {
    const extended = `its own service life of ${lifeFixed.serviceLifeMonths} months ended on ${serviceLifeEndsOn}; the sample of its lot ${ext!.lotId} (plan ${ext!.planId}) accepted on ${ext!.since} extends it to ${extendedTo}`;
    return status(days <= policy.dueSoonDays ? 'due_soon' : 'in_force', `${cert}: ${extended} (${days} days left)`);
  }
  const what = policy.form === 'periodic' ? 'in force until' : 'to be replaced by';
  if (days <= policy.dueSoonDays) return status('due_soon', `${cert} ${what} ${dueOn}: ${days} days left`);
  return status('in_force', `${cert} ${what} ${dueOn} (${days} days)`);
}

/** The states in which an instrument may be used for its purpose at the date (not_mandatory: unless its record says otherwise, see isUsable). */
export const USABLE_STATES: ReadonlySet<VerificationState> = new Set(['in_force', 'due_soon', 'not_mandatory']);

/**
 * May the instrument be used at the date, as the status (and the public label)
 * says? An instrument outside mandatory verification may, unless its latest
 * record is a failed verification: the law does not require its verification,
 * but one that found it out of tolerance is not ignored.
 */
export function isUsable(s: Pick<VerificationStatus, 'state' | 'record'>): boolean {
  if (s.state === 'not_mandatory') return !(s.record?.kind === 'verification' && s.record.conformity === 'fail');
  return USABLE_STATES.has(s.state);
}

/** An instrument that is replaced, not verified again: past its limited service life, or a meter of a lot to rotate. */
export function isToBeReplaced(s: Pick<VerificationStatus, 'state'>): boolean {
  return s.state === 'to_rotate' || s.state === 'service_life_ended';
}

/**
 * Whether a status belongs on a due list over [from, to]: the mandatory
 * instruments that are already overdue, never verified, failed or past their
 * service life, or whose due date falls on or before `to`.
 */
export function isDueBy(status: VerificationStatus, to: CalendarDate): boolean {
  switch (status.state) {
    case 'not_mandatory':
      return false;
    case 'overdue':
    case 'expired_in_grace':
    case 'never_verified':
    case 'failed':
    case 'service_life_ended':
    case 'to_rotate':
    case 'suspect':
    case 'reverification_required':
    case 'use_prohibited':
      return true;
    default:
      return status.dueOn !== null && status.dueOn <= to;
  }
}
