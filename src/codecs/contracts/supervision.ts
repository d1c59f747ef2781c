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

function withoutExamples<T extends object>(schema: T): T {
  const { examples: _e, ...rest } = schema as T & { examples?: unknown };
  return rest as T;
}

const SampleInput = Type.Object(
  {
    size: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
    // without `examples`: a record's values are not rewritten for OpenAPI 3.0, which knows only `example`
    rate: Type.Optional(Nullable({ ...withoutExamples(DecimalString), description: 'a fraction in (0, 1]' })),
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

const SampleRuleOut = Type.Object(
  { size: Type.Optional(Type.Integer()), rate: Type.Optional(Type.String()) },
  { description: 'a sample size {"size": n} or a rate {"rate": "0.05"}' },
);
const WeightsOut = Type.Object({ A: Type.Integer(), B: Type.Integer(), C: Type.Integer(), D: Type.Integer(), ungraded: Type.Integer() });
const GradeCount = Type.Object({ units: Type.Integer(), drawn: Type.Integer() });

const PlanRules = Type.Object({
  filter: Type.Object({
    region: Type.String(),
    organisationKinds: Type.Array(Type.String()),
    category: Nullable(Type.String()),
    usage: Nullable(Type.String()),
  }),
  stratifyBy: Type.String({ enum: ['none', 'region'] }),
  weights: WeightsOut,
  sample: SampleRuleOut,
  strata: Type.Record(Type.String(), SampleRuleOut),
  inspectorsPerTarget: Type.Integer(),
  coolingOffMonths: Type.Integer(),
});

const DrawResultOut = Type.Object({
  populationHash: Type.String(),
  populationSize: Type.Integer(),
  strata: Type.Array(
    Type.Object({
      stratum: Type.String(),
      size: Type.Integer(),
      drawn: Type.Integer(),
      byGrade: Type.Object({ A: GradeCount, B: GradeCount, C: GradeCount, D: GradeCount, ungraded: GradeCount }),
    }),
  ),
  targets: Type.Array(
    Type.Object({
      unitId: Type.String(),
      stratum: Type.String(),
      organisationId: Type.String(),
      region: Type.String(),
      grade: Nullable(GradeEnum),
      key: Type.String({ description: 'the unit’s key (16 hex digits): the larger, the earlier it was drawn' }),
      inspectors: Type.Array(Type.String()),
      unassigned: Nullable(Type.String({ description: 'why fewer inspectors than the plan asks were assigned' })),
    }),
  ),
  load: Type.Record(Type.String(), Type.Integer(), { description: 'targets per inspector, every inspector of the pool listed' }),
});

const planHead = {
  id: Type.String(),
  regulatorId: Type.String(),
  title: Type.String(),
  unit: Type.String({ enum: ['instrument', 'organisation'] }),
  drawDate: Type.String(),
  seed: Type.String(),
  rules: PlanRules,
  inspectors: Type.Array(Type.Object({ id: Type.String(), regions: Type.Array(Type.String()), conflicts: Type.Array(Type.String()) })),
  populationHash: Type.String(),
  result: DrawResultOut,
};

/** A plan as drawn (POST /v1/spot-checks): the population by its size. */
export const DrawnPlan = Type.Object({ ...planHead, populationSize: Type.Integer() });
/** A plan as read, with the day it was closed. */
export const PlanView = Type.Object({ ...planHead, closedOn: Nullable(Type.String()), populationSize: Type.Integer() });
/** The whole plan as published for re-drawing (app/supervision.ts PublishedPlan). */
export const PublishedPlanFile = Type.Object({
  ...planHead,
  pastInspections: Type.Array(Type.Object({ inspectorId: Type.String(), organisationId: Type.String(), on: Type.String() })),
  population: Type.Array(
    Type.Object({ id: Type.String(), stratum: Type.String(), grade: Nullable(GradeEnum), organisationId: Type.String(), region: Type.String() }),
  ),
  closedOn: Nullable(Type.String()),
});

export const PlanList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      drawDate: Type.String(),
      regulatorId: Type.String(),
      populationSize: Type.Integer(),
      targets: Type.Integer(),
      closedOn: Nullable(Type.String()),
    }),
  ),
});

/** The published results of a closed plan (一公开): no inspectors or other personal data. */
export const Disclosure = Type.Object({
  id: Type.String(),
  title: Type.String(),
  regulatorId: Type.String(),
  drawDate: Type.String(),
  closedOn: Nullable(Type.String()),
  seed: Type.String(),
  populationHash: Type.String(),
  populationSize: Type.Integer(),
  weights: WeightsOut,
  sample: SampleRuleOut,
  targets: Type.Array(
    Type.Object({
      unitId: Type.String(),
      organisationId: Type.String(),
      organisationName: Nullable(Type.String()),
      region: Type.String(),
      inspectedOn: Nullable(Type.String()),
      outcome: Type.String({ enum: [...INSPECTION_OUTCOMES, 'not_inspected'] }),
      rectifyBy: Nullable(Type.String()),
      rectification: Nullable(Type.String({ enum: ['made', 'pending', 'overdue'] })),
    }),
  ),
  redraw: Type.String(),
});

/** Organisations under a dishonesty measure on a date. */
export const Listed = Type.Object({
  at: Type.String(),
  region: Type.String(),
  items: Type.Array(
    Type.Object({
      organisationId: Type.String(),
      region: Type.String(),
      listedOn: Type.String(),
      reason: Nullable(Type.String()),
      regulatorId: Nullable(Type.String()),
      appeals: Type.Array(Type.Object({ on: Type.String(), reason: Nullable(Type.String()) })),
    }),
  ),
});

/** An organisation's integrity grade at a date, with the facts and the rules that set it (core/supervision/integrity.ts). */
export const IntegrityGrade = Type.Object({
  organisationId: Type.String(),
  at: Type.String(),
  grade: GradeEnum,
  rulesVersion: Type.String(),
  reasons: Type.Array(
    Type.Object({
      fact: Type.String(),
      value: Type.String(),
      atLeast: Type.String(),
      grade: GradeEnum,
      text: Type.Object({ zh: Type.String(), en: Type.String() }),
    }),
  ),
  facts: Type.Object({
    organisationId: Type.String(),
    at: Type.String(),
    mandatoryInstruments: Type.Integer(),
    notUsable: Type.Integer(),
    suspect: Type.Integer(),
    failedVerifications: Type.Integer(),
    inspections: Type.Object({ compliant: Type.Integer(), rectify: Type.Integer(), prohibited: Type.Integer() }),
    rectificationsOverdue: Type.Integer(),
    commitment: Type.Boolean(),
    dishonest: Type.Boolean(),
  }),
});

/** The grade with its grades at the ends of the four quarters before and the organisation's measures. */
export const IntegrityView = Type.Object({
  ...IntegrityGrade.properties,
  history: Type.Array(Type.Object({ at: Type.String(), grade: GradeEnum })),
  measures: Type.Array(Measure),
});

export const RegionGrades = Type.Object({
  at: Type.String(),
  region: Type.String(),
  distribution: Type.Object({ A: Type.Integer(), B: Type.Integer(), C: Type.Integer(), D: Type.Integer() }),
  items: Type.Array(IntegrityGrade),
});
