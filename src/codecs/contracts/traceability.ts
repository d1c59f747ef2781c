/**
 * The traceability contracts: the chain of an equipment at a date (findings
 * with stable codes, the chain as a tree), its chain uncertainty, the
 * correlation of two equipment, impact lists, and the out-of-tolerance finding
 * a caller records. The codec (../traceability.ts) writes these shapes and
 * reads the finding.
 */
import { type Static, Type } from '@sinclair/typebox';
import { CalendarDateString, DateString, Id, Nullable, Text } from './common.ts';

/** The record a chain link or a status rests on, as a line of it: which certificate, whose, valid until when. */
export const RecordSummary = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  certificateNo: Type.String(),
  performedOn: Type.String(),
  validUntil: Nullable(Type.String()),
  conformity: Nullable(Type.String()),
  labId: Type.String(),
  labName: Nullable(Type.String()),
});

export const Finding = Type.Object({
  code: Type.String({
    description:
      'NO_RECORD_IN_FORCE, CERTIFICATE_EXPIRED, NO_STATED_VALIDITY, RECORD_FAILED, OUT_OF_TOLERANCE, STANDARD_SUSPENDED, ASSESSMENT_EXPIRED, NO_ASSESSMENT, LAB_NOT_AUTHORISED, ACCURACY_RATIO_LOW, CYCLE, DEAD_END, UNKNOWN_EQUIPMENT',
  }),
  equipmentId: Type.String(),
  recordId: Nullable(Type.String()),
  date: Type.String(),
  message: Type.String(),
});

/** One level of a chain and the levels above it (recursive: added to the transport as the schema 'ChainLink'). */
export const ChainLink = Type.Recursive(
  (This) =>
    Type.Object({
      equipmentId: Type.String(),
      name: Nullable(Type.String()),
      level: Nullable(Type.String()),
      quantity: Nullable(Type.String()),
      at: Type.String(),
      record: Nullable(RecordSummary),
      realisation: Nullable(Type.String()),
      findings: Type.Array(Finding),
      notes: Type.Array(Finding, {
        description:
          'what the chain says without being broken or mended by it: EXTERNAL_REFERENCE (standards outside this registry), FILED_UNCONFIRMED (a certificate the owner filed for a lapsed link awaits the lab’s confirmation)',
      }),
      references: Type.Array(This),
    }),
  { $id: 'ChainLink' },
);

const AsKnownAtQuery = Type.String({
  maxLength: 40,
  description: 'an instant (RFC 3339 with offset): answer as the registry knew it then, from what had been written by that moment; default: as known now',
});

export const TraceQuery = Type.Object({ at: Type.Optional(CalendarDateString), asKnownAt: Type.Optional(AsKnownAtQuery) }, { additionalProperties: false });

export const Trace = Type.Object({
  equipmentId: Type.String(),
  at: Type.String(),
  traceable: Type.Boolean(),
  findings: Type.Array(Finding),
  notes: Type.Array(Finding),
  chain: Type.Ref('ChainLink'),
  asKnownAt: Nullable(Type.String({ description: 'the instant this answer is as known at (UTC); null: as known now' })),
});

export const BudgetRow = Type.Object({
  label: Type.String(),
  equipmentId: Type.String(),
  level: Nullable(Type.String()),
  u: Type.String({ description: "the level's total relative standard uncertainty, as its record states it (its reference's included)" }),
  own: Type.String({ description: 'what the level adds beyond its reference: √(u² − u_ref²)' }),
  contribution: Type.String({ description: "|component| of the level's own part in the equipment's chain uncertainty" }),
  source: Type.String({ description: 'record, equipment (its stated accuracy), chart (typical for its level) or none' }),
  belowReference: Type.Boolean({ description: 'true when the total lies below its reference’s, so the level adds nothing' }),
});

export const ChainUncertainty = Type.Object({
  equipmentId: Type.String(),
  at: Type.String(),
  traceable: Type.Boolean(),
  relativeStandardUncertainty: Nullable(
    Type.String({ description: "the equipment's own record's relative standard uncertainty, carried down the chain; null when the chain is broken" }),
  ),
  reason: Nullable(Type.String({ description: 'why there is no chain uncertainty' })),
  budget: Type.Array(BudgetRow),
});

export const ImpactQuery = Type.Object(
  {
    since: CalendarDateString,
    format: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['json', 'csv'] })),
    lang: Type.Optional(
      Type.Unsafe<'en' | 'zh'>({ type: 'string', enum: ['en', 'zh'], description: "The CSV's header row: English field names (default) or Chinese terms" }),
    ),
  },
  { additionalProperties: false },
);

/** An equipment whose result depended on the standard (codecs/traceability.ts writeDependent). */
export const Dependent = Type.Object({
  equipmentId: Type.String(),
  name: Type.String(),
  ownerId: Type.String(),
  ownerName: Nullable(Type.String()),
  level: Type.String(),
  usage: Type.String(),
  category: Nullable(Type.String()),
  mandatory: Type.Boolean({ description: 'under mandatory verification at the date of its suspect record (listed first)' }),
  recordId: Type.String({ description: 'the first suspect record of this equipment' }),
  certificateNo: Type.String(),
  performedOn: Type.String(),
  path: Type.Array(Type.String(), { description: 'the equipment ids from the standard found out of tolerance down to this one' }),
});

export const Impact = Type.Object({
  standardId: Type.String(),
  since: Type.String(),
  count: Type.Integer(),
  mandatoryCount: Type.Integer(),
  dependents: Type.Array(Dependent),
  byOwner: Type.Array(
    Type.Object({
      ownerId: Type.String(),
      ownerName: Nullable(Type.String()),
      count: Type.Integer(),
      equipmentIds: Type.Array(Type.String()),
    }),
  ),
});

export const ToleranceInput = Type.Object(
  {
    id: Type.Optional(Id),
    foundOn: DateString('the day the standard was found out of tolerance (YYYY-MM-DD), not after today'),
    lastKnownGood: DateString('the last day the standard is known to have been good (YYYY-MM-DD), on or before foundOn'),
    remarks: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false },
);

export const ToleranceFinding = Type.Object({
  id: Type.String(),
  equipmentId: Type.String(),
  foundOn: Type.String(),
  lastKnownGood: Type.String(),
  remarks: Nullable(Type.String()),
});

export const CorrelationQuery = Type.Object({ a: Id, b: Id, at: Type.Optional(CalendarDateString) }, { additionalProperties: false });

export const Correlation = Type.Object({
  a: Type.String(),
  b: Type.String(),
  at: Type.String(),
  correlation: Nullable(Type.String({ description: 'null when either chain is broken' })),
  reason: Nullable(Type.String()),
  sharedStandards: Type.Array(Type.String()),
  traceable: Type.Object({ a: Type.Boolean(), b: Type.Boolean() }),
});

export type ToleranceInputShape = Static<typeof ToleranceInput>;
