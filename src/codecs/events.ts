/** Equipment events on the wire (core/registry/events.ts). */
import { EVENT_KINDS, type EquipmentEvent, type EquipmentState } from '../core/registry/events.ts';
import { fail } from '../core/errors.ts';
import { ObjectReader } from './reader.ts';
import { ID_HINT, ID_PATTERN, readAssessment, type NewId, writeEquipment } from './registry.ts';

export function readEvent(raw: unknown, equipmentId: string, newId: NewId): EquipmentEvent {
  const r = ObjectReader.of(raw, '', 'an equipment event');
  const id = r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
  const kind = r.oneOf('kind', EVENT_KINDS);
  const effectiveOn = r.date('effectiveOn');
  const reason = r.optionalString('reason', { max: 2000 })?.trim() || null;
  const assessment = readAssessment(r.optionalObject('assessment'));
  const newOwnerId = r.optionalString('newOwnerId', { pattern: ID_PATTERN, hint: ID_HINT });
  const location = r.optionalString('location', { max: 500 })?.trim() || null;
  r.done();
  const only = (field: string, present: boolean, kinds: string) => {
    if (present) fail('INVALID_FIELD', `/${field}`, `${field} belongs to ${kinds} only, not to '${kind}'`);
  };
  only('assessment', assessment !== null && kind !== 'assessment_renewed', 'assessment_renewed');
  only('newOwnerId', newOwnerId !== null && kind !== 'transferred', 'transferred');
  only('location', location !== null && kind !== 'relocated', 'relocated');
  return { id, equipmentId, kind, effectiveOn, reason, assessment, newOwnerId, location };
}

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
