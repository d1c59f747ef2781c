/**
 * The contracts of supervision (core/supervision/): an in-use inspection, a
 * spot-check plan request, an integrity measure, and what the routes answer
 * for the first and the last. One description for the HTTP bodies and
 * responses (and so the OpenAPI document); the codec (../supervision.ts)
 * turns a shape that passed it into domain values (names trimmed, ids drawn,
 * the rules between fields).
 */
import { type Static, Type } from '@sinclair/typebox';
import { GRADES } from '../../core/supervision/draw.ts';
import { INSPECTION_OUTCOMES, INSPECTION_REASONS } from '../../core/supervision/inspection.ts';
import { MEASURE_KINDS } from '../../core/supervision/integrity.ts';
import { ORGANISATION_KINDS, USAGES } from '../../core/registry/vocabulary.ts';
import { CalendarDateString, DecimalString, Enum, HINT, ID_PATTERN, Id, Nullable, Text } from './common.ts';

/** A GB/T 2260 region code or its first two or four digits (a province, a city). */
export const REGION_PREFIX = /^\d{2}(\d{2}){0,2}$/;
const REGION_HINT = 'a region is a GB/T 2260 code, or its first two or four digits for a province or city, e.g. "310104"';
export const RegionPrefix = Type.String({
  pattern: REGION_PREFIX.source,
  description: 'A GB/T 2260 region code, or its first two or four digits',
  [HINT]: REGION_HINT,
});

const Sha256 = Type.String({
  pattern: '^[0-9a-f]{64}$',
  description: 'the SHA-256 digest of a photograph',
  [HINT]: 'a photograph is given by its SHA-256 digest: 64 lowercase hex digits',
});

/** A name as printed (trimmed; not blank). */
const Name = Text(100);

const CheckedPointInput = Type.Object(
  {
    nominal: DecimalString,
    indication: DecimalString,
    unit: Text(20),
    inUseMpe: Type.Optional(Nullable({ ...DecimalString, description: 'the in-use MPE; derived from the equipment’s accuracy when absent, where it can be' })),
  },
  { additionalProperties: false },
);

export const InspectionInput = Type.Object(
  {
    id: Type.Optional(Nullable(Id)),
    equipmentId: Id,
    inspectedOn: CalendarDateString,
    inspectors: Type.Array(Name, { maxItems: 10, description: 'the inspectors on site (at least one; two under the double-random rule)' }),
    planId: Type.Optional(Nullable(Id)),
    findings: Type.Object(
      {
        labelPresent: Type.Boolean(),
        labelMatches: Type.Optional(Nullable(Type.Boolean({ description: 'null without a label' }))),
        sealIntact: Type.Optional(Nullable(Type.Boolean({ description: 'null without a seal' }))),
        points: Type.Optional(Nullable(Type.Array(CheckedPointInput, { maxItems: 100 }))),
      },
      { additionalProperties: false },
    ),
    photos: Type.Optional(Nullable(Type.Array(Sha256, { maxItems: 50 }))),
    outcome: Type.Optional(Nullable(Enum(INSPECTION_OUTCOMES, 'default: what the findings call for; a stricter one with remarks, never a more lenient one'))),
    rectifyBy: Type.Optional(Nullable(CalendarDateString)),
    remarks: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false, description: 'An in-use inspection (使用中检查). Decimals as strings.' },
);

const SampleInput = Type.Object(
  {
    size: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
    rate: Type.Optional(Nullable({ ...DecimalString, description: 'a fraction in (0, 1]' })),
  },
  { additionalProperties: false, description: 'either a sample size {"size": n} or a rate {"rate": "0.05"}' },
);
export { SampleInput };

const Weight = Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 64 })));

export const PlanInput = Type.Object(
  {
    id: Type.Optional(Nullable(Id)),
    title: Text(300),
    unit: Type.Optional(Nullable(Enum(['instrument', 'organisation'] as const, 'what is drawn (default instrument)'))),
    drawDate: CalendarDateString,
    seed: Text(500, 'the announced draw string (e.g. a lottery result or index close of the draw date); at least 8 characters'),
    filter: Type.Object(
      {
        region: RegionPrefix,
        organisationKinds: Type.Optional(Nullable(Type.Array(Enum(ORGANISATION_KINDS), { maxItems: 10 }))),
        category: Type.Optional(Nullable(Text(20))),
        usage: Type.Optional(Nullable(Enum(USAGES))),
      },
      { additionalProperties: false },
    ),
    stratifyBy: Type.Optional(Nullable(Enum(['none', 'region'] as const, 'one stratum, or one per region code (default none)'))),
    weights: Type.Optional(
      Nullable(
        Type.Object(
          { A: Weight, B: Weight, C: Weight, D: Weight, ungraded: Weight },
          { additionalProperties: false, description: 'whole numbers by integrity grade; default 1, 2, 3, 4, 2' },
        ),
      ),
    ),
    sample: SampleInput,
    strata: Type.Optional(Nullable(Type.Record(Type.String(), SampleInput, { description: 'a sample rule per stratum' }))),
    inspectorsPerTarget: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5, description: 'default 2' }))),
    coolingOffMonths: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 120, description: 'default 12' }))),
    inspectors: Type.Array(
      Type.Object(
        {
          id: Text(100),
          regions: Type.Optional(Nullable(Type.Array(RegionPrefix, { maxItems: 50 }))),
          conflicts: Type.Optional(
            Nullable(
              Type.Array(Type.String({ pattern: ID_PATTERN.source, maxLength: 100, [HINT]: 'a conflict names an organisation id' }), {
                maxItems: 100,
                description: 'organisations the inspector may not inspect',
              }),
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
    regulatorId: Type.Optional(Nullable({ ...Id, description: 'admins only: the regulator in whose name the plan is drawn' })),
  },
  { additionalProperties: false, description: 'A spot-check plan (双随机).' },
);

export const MeasureInput = Type.Object(
  {
    id: Type.Optional(Nullable(Id)),
    kind: Enum(MEASURE_KINDS, 'commitment | appealed (by the organisation) | listed | removed (by its regulator)'),
    decidedOn: CalendarDateString,
    reason: Type.Optional(Nullable(Text(2000, 'required but for a commitment'))),
  },
  { additionalProperties: false, description: 'An integrity measure.' },
);

// ---- responses ----------------------------------------------------------------

const REASON_CODES = Object.keys(INSPECTION_REASONS) as Array<keyof typeof INSPECTION_REASONS>;

/** An in-use inspection as recorded (codecs/supervision.ts writeInspection). */
export const Inspection = Type.Object({
  id: Type.String(),
  equipmentId: Type.String(),
  organisationId: Type.String({ description: 'the owner on the day' }),
  regulatorId: Nullable(Type.String()),
  planId: Nullable(Type.String()),
  inspectedOn: Type.String(),
  inspectors: Type.Array(Type.String()),
  labelPresent: Type.Boolean(),
  labelMatches: Nullable(Type.Boolean()),
  sealIntact: Nullable(Type.Boolean()),
  verificationState: Type.String({ description: "the registry's verification state on the day" }),
  points: Type.Array(
    Type.Object({
      nominal: Type.String(),
      indication: Type.String(),
      unit: Type.String(),
      error: Type.String(),
      inUseMpe: Type.String(),
      mpeSource: Type.String({ enum: ['stated', 'derived'] }),
      withinMpe: Type.Boolean(),
    }),
  ),
  photos: Type.Array(Type.String()),
  outcome: Enum(INSPECTION_OUTCOMES),
  reasons: Type.Array(Enum(REASON_CODES)),
  rectifyBy: Nullable(Type.String()),
  remarks: Nullable(Type.String()),
  recordedAt: Type.Optional(Type.String()),
  outcomeName: Type.Object({ zh: Type.String(), en: Type.String() }),
});

export const Measure = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  kind: Enum(MEASURE_KINDS),
  decidedOn: Type.String(),
  reason: Nullable(Type.String()),
  regulatorId: Nullable(Type.String()),
});

export const GradeEnum = Enum(GRADES);

export type InspectionInputShape = Static<typeof InspectionInput>;
export type PlanInputShape = Static<typeof PlanInput>;
export type SampleInputShape = Static<typeof SampleInput>;
export type MeasureInputShape = Static<typeof MeasureInput>;
