/**
 * The contract of an equipment event (core/registry/events.ts): the change
 * recorded, for the HTTP body and response, `metrotrace event record` and a
 * data set's events alike, and the equipment's state at a date. The codec
 * (../events.ts) checks what a schema cannot: which fields belong to which
 * kind, and that a date is a real one.
 */
import { type Static, Type } from '@sinclair/typebox';
import { EVENT_DESCRIPTIONS, EVENT_KINDS } from '../../core/registry/events.ts';
import { CalendarDateString, Enum, Id, Nullable, Text } from './common.ts';
import { Assessment, Equipment } from './registry.ts';

export const EventKind = Enum(EVENT_KINDS, EVENT_KINDS.map((k) => `${k}: ${EVENT_DESCRIPTIONS[k]}`).join('; '));

export const EventInput = Type.Object(
  {
    id: Type.Optional(Id),
    kind: EventKind,
    effectiveOn: CalendarDateString,
    reason: Type.Optional(Text(2000, 'required for suspended, retired and scrapped')),
    assessment: Type.Optional(Assessment),
    newOwnerId: Type.Optional(Id),
    location: Type.Optional(Text(500)),
  },
  { additionalProperties: false },
);

export const Event = Type.Object({
  id: Id,
  equipmentId: Id,
  kind: EventKind,
  effectiveOn: Type.String(),
  reason: Nullable(Type.String()),
  assessment: Nullable(Type.Object({ certificateNo: Type.String(), validFrom: Type.String(), validUntil: Type.String() })),
  newOwnerId: Nullable(Type.String()),
  location: Nullable(Type.String()),
});

/** `?at=`: the day the equipment's state is read for (default today). */
export const StateQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });

export const EquipmentState = Type.Object({
  at: Type.String(),
  equipment: Equipment,
  scrappedOn: Nullable(Type.String()),
  reverifyAfter: Nullable(Type.String()),
  prohibitedOn: Nullable(Type.String()),
  location: Nullable(Type.String()),
});

export type EventInputShape = Static<typeof EventInput>;
