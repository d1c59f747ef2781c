/**
 * The life of an equipment after its registration, as append-only events: its
 * 计量标准考核证书 renewed, suspended and resumed, retired, scrapped (报废),
 * transferred to another owner, relocated, repaired, its seal broken. Nothing
 * registered is overwritten: the equipment *at a date* is its registration with
 * the events effective on or before that date applied in order. Which changes
 * may follow which is checked here, once, for every writer.
 */
import { type Caller, withArticle } from '../access/roles.ts';
import { type CalendarDate, compareDates } from '../dates.ts';
import { fail } from '../errors.ts';
import type { AssessmentCertificate, Equipment } from './types.ts';
import type { EquipmentStatus } from './vocabulary.ts';

export const EVENT_KINDS = [
  'assessment_renewed',
  'suspended',
  'resumed',
  'retired',
  'scrapped',
  'transferred',
  'relocated',
  'repaired',
  'seal_broken',
  'use_prohibited',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** What each kind means, for the API description and refusals. */
export const EVENT_DESCRIPTIONS: Readonly<Record<EventKind, string>> = {
  assessment_renewed: 'a new 计量标准考核证书 (certificate number, validity) for a standard',
  suspended: 'taken out of use (暂停使用), e.g. after a failed 期间核查; a reason is required',
  resumed: 'back in use after a suspension or retirement',
  retired: 'withdrawn from service (停用)',
  scrapped: '报废: gone for good; no event may follow',
  transferred: 'sold or handed to another owner from the effective date',
  relocated: 'moved to another location',
  repaired: 'repaired (修理): a verification before the repair no longer covers it',
  seal_broken: 'the verification seal (封印) was broken: a verification before it no longer covers it',
  use_prohibited:
    '责令停止使用: an in-use inspection prohibited its use until it passes a verification performed after that day (recorded with the inspection, by inspectors)',
};

export interface EquipmentEvent {
  readonly id: string;
  readonly equipmentId: string;
  readonly kind: EventKind;
  /** The day the change took effect (not the day it was recorded). */
  readonly effectiveOn: CalendarDate;
  readonly reason: string | null;
  /** assessment_renewed: the new certificate. */
  readonly assessment: AssessmentCertificate | null;
  /** transferred: the new owner. */
  readonly newOwnerId: string | null;
  /** relocated: where it is now. */
  readonly location: string | null;
}

/** The equipment on a day: its registration as changed by the events effective by then. */
export interface EquipmentState {
  readonly equipment: Equipment;
  /** Scrapped on this day (status is then `retired`), or null. */
  readonly scrappedOn: CalendarDate | null;
  /** The latest repair or broken seal on or before the day: a verification performed before it no longer covers the instrument. */
  readonly reverifyAfter: CalendarDate | null;
  /** The latest day an in-use inspection prohibited its use (责令停止使用), or null. */
  readonly prohibitedOn: CalendarDate | null;
  readonly location: string | null;
}

/** Events in the order they apply: by effective date, then in the order they were recorded (the list's order). */
function inOrder(events: readonly EquipmentEvent[]): EquipmentEvent[] {
  return events
    .map((e, i) => [e, i] as const)
    .sort(([a, i], [b, j]) => compareDates(a.effectiveOn, b.effectiveOn) || i - j)
    .map(([e]) => e);
}

/** The equipment at `at`: `events` in the order recorded (any equipment's; others are ignored). */
export function equipmentAt(registered: Equipment, events: readonly EquipmentEvent[], at: CalendarDate): EquipmentState {
  let status: EquipmentStatus = registered.status;
  let assessment = registered.assessment;
  let ownerId = registered.ownerId;
  let scrappedOn: CalendarDate | null = null;
  let reverifyAfter: CalendarDate | null = null;
  let location: string | null = null;
  let prohibitedOn: CalendarDate | null = null;
  for (const e of inOrder(events)) {
    if (e.equipmentId !== registered.id || e.effectiveOn > at) continue;
    switch (e.kind) {
      case 'assessment_renewed':
        assessment = e.assessment;
        break;
      case 'suspended':
        status = 'suspended';
        break;
      case 'resumed':
        status = 'in_service';
        break;
      case 'retired':
        status = 'retired';
        break;
      case 'scrapped':
        status = 'retired';
        scrappedOn = e.effectiveOn;
        break;
      case 'transferred':
        ownerId = e.newOwnerId!;
        break;
      case 'relocated':
        location = e.location;
        break;
      case 'repaired':
      case 'seal_broken':
        reverifyAfter = e.effectiveOn;
        break;
      case 'use_prohibited':
        prohibitedOn = e.effectiveOn;
        break;
    }
  }
  const changed = status !== registered.status || assessment !== registered.assessment || ownerId !== registered.ownerId;
  return { equipment: changed ? { ...registered, status, assessment, ownerId } : registered, scrappedOn, reverifyAfter, prohibitedOn, location };
}

/**
 * May this event follow the equipment's history? `history` is its events so
 * far, in the order recorded; `today` the registry's date; `ownerExists` says
 * whether an organisation id is registered.
 */
export function checkEvent(
  registered: Equipment,
  history: readonly EquipmentEvent[],
  event: EquipmentEvent,
  today: CalendarDate,
  ownerExists: (id: string) => boolean,
): void {
  if (event.effectiveOn > today)
    fail('DATE_IN_FUTURE', '/effectiveOn', `${event.effectiveOn} is after today (${today}); record a change once it has taken effect`);
  const last = inOrder(history).at(-1);
  if (last && event.effectiveOn < last.effectiveOn) {
    fail(
      'EVENT_OUT_OF_ORDER',
      '/effectiveOn',
      `'${registered.id}' already has a ${last.kind.replace('_', ' ')} effective ${last.effectiveOn}; a change cannot take effect before it (to correct the history, ask an admin)`,
    );
  }
  const before = equipmentAt(registered, history, event.effectiveOn);
  const state = before.equipment.status;
  const refuse = (message: string): never => fail('INVALID_TRANSITION', '/kind', message);
  if (before.scrappedOn) refuse(`'${registered.id}' was scrapped on ${before.scrappedOn}; nothing can happen to it after that`);
  const needsReason = event.kind === 'suspended' || event.kind === 'retired' || event.kind === 'scrapped';
  if (needsReason && !event.reason) fail('MISSING_FIELD', '/reason', `say why '${registered.id}' is ${event.kind}`);
  switch (event.kind) {
    case 'suspended':
      if (state !== 'in_service')
        refuse(`'${registered.id}' is ${state.replace('_', ' ')} on ${event.effectiveOn}; only an instrument in service can be suspended`);
      break;
    case 'resumed':
      if (state === 'in_service') refuse(`'${registered.id}' is in service on ${event.effectiveOn}: there is no suspension or retirement to end`);
      break;
    case 'retired':
      if (state === 'retired') refuse(`'${registered.id}' is already retired on ${event.effectiveOn}`);
      break;
    case 'assessment_renewed': {
      if (registered.level === 'working_instrument') refuse(`'${registered.id}' is a working instrument; only a measurement standard holds a 计量标准考核证书`);
      const a = event.assessment ?? fail('MISSING_FIELD', '/assessment', 'give the renewed certificate: {certificateNo, validFrom, validUntil}');
      if (a.validUntil < a.validFrom)
        fail('INVALID_RANGE', '/assessment/validUntil', `the certificate is valid until ${a.validUntil}, before it is valid from ${a.validFrom}`);
      const old = before.equipment.assessment;
      if (old && a.validUntil <= old.validUntil) {
        fail(
          'INVALID_FIELD',
          '/assessment/validUntil',
          `a renewal must extend the validity: the certificate in force (${old.certificateNo}) is valid until ${old.validUntil}, the renewal until ${a.validUntil}`,
        );
      }
      break;
    }
    case 'transferred': {
      const to = event.newOwnerId ?? fail('MISSING_FIELD', '/newOwnerId', 'name the organisation the instrument passes to');
      if (!ownerExists(to)) fail('UNKNOWN_REFERENCE', '/newOwnerId', `no organisation has id '${to}'; register the new owner first`);
      if (to === before.equipment.ownerId) refuse(`'${registered.id}' already belongs to '${to}' on ${event.effectiveOn}`);
      break;
    }
    case 'relocated':
      if (!event.location) fail('MISSING_FIELD', '/location', 'say where the instrument is now');
      break;
    case 'use_prohibited':
      if (!event.reason) fail('MISSING_FIELD', '/reason', `name the inspection that prohibited the use of '${registered.id}'`);
      break;
    case 'scrapped':
    case 'repaired':
    case 'seal_broken':
      break;
  }
}

/**
 * May this key record this event? The equipment's owner on the effective
 * date (its owner or lab key: a lab owns its standards) or an admin.
 */
export function checkEventWriter(caller: Caller, ownerOnTheDay: string, event: EquipmentEvent): void {
  if (event.kind === 'use_prohibited') {
    fail('FORBIDDEN', '/kind', `a prohibition of use is recorded by an in-use inspection (POST /v1/inspections), not as an event of its own`);
  }
  if (caller.kind === 'key' && caller.role === 'admin') return;
  if (caller.kind === 'key' && (caller.role === 'owner' || caller.role === 'lab') && caller.organisationId === ownerOnTheDay) return;
  const who = caller.kind === 'key' ? `${withArticle(caller.role)} key of '${caller.organisationId ?? 'no organisation'}'` : 'the public';
  fail(
    'FORBIDDEN',
    '',
    `${who} may not record that '${event.equipmentId}' was ${event.kind.replace('_', ' ')}: only its owner on ${event.effectiveOn} ('${ownerOnTheDay}') or an admin records its life`,
  );
}
