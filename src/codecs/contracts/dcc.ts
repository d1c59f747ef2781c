/**
 * The contracts of Digital Calibration Certificates: the sidecar handed over
 * with a DCC, an import request (the document, its sidecar and what the
 * record is for), a certificate an owner filed and the lab's decision on it.
 * The codecs (../dcc-request.ts, ../dcc-sidecar.ts, ../filed-certificate.ts)
 * read and write these shapes; the DCC document itself is XML (../dcc.ts).
 */
import { type Static, Type } from '@sinclair/typebox';
import { FILED_STATES } from '../../core/registry/filed-certificate.ts';
import { CalendarDateString, DecimalString, HINT, Id, Nullable, PageQuery, Text } from './common.ts';

export const SIDECAR_FORMAT = 'metrotrace.dcc-sidecar/1';

const SidecarFormat = Type.Unsafe<typeof SIDECAR_FORMAT>({
  type: 'string',
  enum: [SIDECAR_FORMAT],
  description: 'the format of the document',
  [HINT]: `the sidecar format is "${SIDECAR_FORMAT}"`,
});

/** The sidecar as it is handed over (and read back from an import request or the store). */
export const SidecarInput = Type.Object(
  {
    format: SidecarFormat,
    certificateNo: Text(100, 'the certificate the sidecar belongs to: the DCC’s'),
    relativeStandardUncertainty: DecimalString,
    components: Type.Array(
      Type.Object(
        {
          influence: Text(300, 'an influence behind the result: one calibration of one standard of its chain'),
          equipmentId: Text(64),
          level: Type.Optional(Nullable(Text(64))),
          component: DecimalString,
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
  },
  { additionalProperties: false, description: 'the metrotrace.dcc-sidecar/1 document issued with the DCC (uncertainty components by influence)' },
);

export const Sidecar = Type.Object({
  format: SidecarFormat,
  certificateNo: Type.String(),
  relativeStandardUncertainty: Type.String({ description: "the result's relative standard uncertainty, carried down its chain" }),
  components: Type.Array(
    Type.Object({
      influence: Type.String(),
      equipmentId: Type.String(),
      level: Nullable(Type.String()),
      component: Type.String({ description: 'the signed component of the relative uncertainty due to the influence' }),
    }),
  ),
});

export const ImportInput = Type.Object(
  {
    xml: Type.String({ minLength: 1, maxLength: 5_000_000, description: 'the DCC document' }),
    subjectId: Id,
    labId: Id,
    validUntil: Type.Optional(CalendarDateString),
    id: Type.Optional(Id),
    sidecar: Type.Optional(SidecarInput),
  },
  { additionalProperties: false },
);

export const CorrelationQuery = Type.Object({ a: Id, b: Id }, { additionalProperties: false });

export const Correlation = Type.Object({
  a: Type.String(),
  b: Type.String(),
  correlation: Type.String(),
  shared: Type.Array(Type.String({ description: 'the influences both sidecars carry' })),
});

export const FiledDecision = Type.Object({
  decision: Type.String({ enum: ['confirmed', 'rejected'] }),
  recordId: Nullable(Type.String({ description: 'the record the confirmed certificate became' })),
  reason: Nullable(Type.String({ description: 'why it was rejected' })),
  decidedByKey: Type.String(),
  decidedByOrganisation: Nullable(Type.String()),
  decidedAt: Type.String(),
});

export const FiledCertificate = Type.Object({
  id: Type.String(),
  subjectId: Type.String(),
  labId: Type.String({ description: 'the lab the certificate names as its issuer' }),
  certificateNo: Type.String(),
  performedOn: Type.String(),
  filedBy: Type.String({ description: 'the organisation that filed it (the equipment’s owner)' }),
  filedByKey: Type.String(),
  filedAt: Type.String(),
  state: Type.String({
    enum: [...FILED_STATES],
    description: 'pending: unverified evidence, counts for nothing; confirmed: it became the record decision.recordId; rejected: counts for nothing',
  }),
  decision: Nullable(FiledDecision),
  unmapped: Type.Array(Type.String()),
});

export const FiledQuery = Type.Object(
  { subject: Type.Optional(Id), lab: Type.Optional(Id), state: Type.Optional(Type.String({ enum: [...FILED_STATES] })), ...PageQuery },
  { additionalProperties: false },
);

export const RejectInput = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 2000, description: 'why the lab does not recognise the certificate' }) },
  { additionalProperties: false },
);

export type SidecarInputShape = Static<typeof SidecarInput>;
export type ImportInputShape = Static<typeof ImportInput>;
export type RejectInputShape = Static<typeof RejectInput>;
