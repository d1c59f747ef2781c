/**
 * Equipment events (core/registry/events.ts) ⇄ their contract
 * (contracts/events.ts). The structure is the contract's; `toEvent` draws the
 * id, checks the dates are real ones and that a field belongs to the kind
 * given (an assessment to a renewal, a new owner to a transfer, a location to
 * a relocation).
 */
import { parseDate } from '../core/dates.ts';
import type { EquipmentEvent, EquipmentState } from '../core/registry/events.ts';
import { fail } from '../core/errors.ts';
import { readContract } from './contracts/read.ts';
import { EventInput, type EventInputShape } from './contracts/events.ts';
import { type NewId, toAssessment, writeEquipment } from './registry.ts';

export function toEvent(i: EventInputShape, equipmentId: string, newId: NewId): EquipmentEvent {
  const id = i.id ?? newId();
  const { kind } = i;
  const effectiveOn = parseDate(i.effectiveOn, '/effectiveOn');
  const only = (field: string, present: boolean, kinds: string) => {
    if (present) fail('INVALID_FIELD', `/${field}`, `${field} belongs to ${kinds} only, not to '${kind}'`);
  };
  const assessment = i.assessment == null ? null : toAssessment(i.assessment, '/assessment');
  const newOwnerId = i.newOwnerId ?? null;
  const location = i.location?.trim() || null;
  only('assessment', assessment !== null && kind !== 'assessment_renewed', 'assessment_renewed');
  only('newOwnerId', newOwnerId !== null && kind !== 'transferred', 'transferred');
  only('location', location !== null && kind !== 'relocated', 'relocated');
  return {
    id,
    equipmentId,
    kind,
    effectiveOn,
    reason: i.reason?.trim() || null,
    assessment,
    newOwnerId,
    location,
  };
}

/** An event from JSON no validator has seen (a data set's row, the command line). */
export const readEvent = (raw: unknown, equipmentId: string, newId: NewId): EquipmentEvent => toEvent(readContract(EventInput, raw), equipmentId, newId);

export function writeEvent(e: EquipmentEvent) {
  return {
    id: e.id,
    equipmentId: e.equipmentId,
    kind: e.kind,
    effectiveOn: e.effectiveOn,
    reason: e.reason,
    assessment: e.assessment,
    newOwnerId: e.newOwnerId,
    location: e.location,
  };
}

export function writeEquipmentState(s: EquipmentState, at: string) {
  return {
    at,
    equipment: writeEquipment(s.equipment),
    scrappedOn: s.scrappedOn,
    reverifyAfter: s.reverifyAfter,
    prohibitedOn: s.prohibitedOn,
    location: s.location,
  };
}
