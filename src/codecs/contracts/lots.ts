/**
 * The contracts of lots of meters in service (core/sampling/): a lot and its
 * members, a sampling plan, the sample's results, a rotation, and what the
 * routes answer. One description for the HTTP bodies and responses (and so the
 * OpenAPI document) and the CLI; the codec (../lots.ts) turns a shape that
 * passed it into domain values (serial ranges expanded, cross-field rules).
 */
import { type Static, Type } from '@sinclair/typebox';
import { AQLS, INSPECTION_LEVELS } from '../../core/sampling/iso2859-tables.ts';
import { LOT_STATES } from '../../core/sampling/lot.ts';
import { SAMPLING_METHODS } from '../../core/sampling/variables.ts';
import { CalendarDateString, DecimalString, Enum, HINT, Id, Nullable, REGION_PATTERN, Text } from './common.ts';

/** The most members a lot may hold (a serial range is cheap; a listed serial costs a line of the body). */
export const MAX_LOT_SIZE = 200_000;
export const SERIAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;
export const SERIAL_HINT = 'a serial number is 1–64 letters, digits, dots, underscores, slashes or hyphens, starting with a letter or digit';

const Serial = Type.String({ pattern: SERIAL_PATTERN.source, description: 'A serial number.', [HINT]: SERIAL_HINT });

const SerialRange = Type.Object(
  {
    prefix: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 40,
          pattern: '^[A-Za-z0-9._/-]*$',
          [HINT]: 'a prefix of letters, digits, dots, underscores, slashes or hyphens',
        }),
      ),
    ),
    from: Type.Integer({ minimum: 0, maximum: 999_999_999_999 }),
    to: Type.Integer({ minimum: 0, maximum: 999_999_999_999 }),
    width: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 12, description: 'digits, zero-padded (default: the digits of `to`)' }))),
  },
  { additionalProperties: false, description: 'prefix + the whole numbers from..to, zero-padded to width digits' },
);

export const LotInput = Type.Object(
  {
    id: Type.Optional(Nullable(Id)),
    ownerId: Type.Optional(Nullable(Id)),
    category: Type.String({
      pattern: '^[A-Z]{2}\\d{3}$',
      description: 'the key of a mandatory-verification catalogue entry',
      [HINT]: 'the key of a mandatory-verification catalogue entry, e.g. "MV004"',
    }),
    model: Text(100),
    patternApprovalNo: Type.Optional(Nullable(Text(64))),
    manufacturer: Text(200),
    batch: Type.Optional(Nullable(Text(100))),
    installedFrom: CalendarDateString,
    installedTo: CalendarDateString,
    region: Type.String({
      pattern: REGION_PATTERN.source,
      description: 'the GB/T 2260 code of the district where the lot is installed',
      [HINT]: 'the GB/T 2260 code of the district where the lot is installed, e.g. "310104"',
    }),
    registeredOn: Type.Optional(Nullable(CalendarDateString)),
    members: Type.Object(
      {
        serialRanges: Type.Optional(Nullable(Type.Array(SerialRange, { maxItems: 1000 }))),
        serials: Type.Optional(Nullable(Type.Array(Serial, { maxItems: MAX_LOT_SIZE }))),
        equipmentIds: Type.Optional(Nullable(Type.Array(Id, { maxItems: 10_000, description: 'registered meters of the owner, of the lot’s category' }))),
      },
      { additionalProperties: false },
    ),
  },
  {
    additionalProperties: false,
    description: 'A lot of meters in service (运行中计量器具): ownerId only for admins (an owner key registers its own); registeredOn defaults to today.',
  },
);

export const SamplingPlanInput = Type.Object(
  {
    id: Type.Optional(Nullable(Id)),
    plannedOn: CalendarDateString,
    seed: Text(200, 'the announced public draw string (e.g. a lottery result of the draw day)'),
    method: Type.Optional(
      Nullable(
        Enum(
          SAMPLING_METHODS,
          '"attributes" (the default): GB/T 2828.1 single sampling, n, Ac, Re; or "variables": ANSI/ASQ Z1.9 s method, single-limit form k applied to each of ±MPE, n and k — not GB/T 6378.1 / ISO 3951-1, see GET /v1/sampling/tables',
        ),
      ),
    ),
    level: Type.Optional(Nullable(Enum(INSPECTION_LEVELS, 'S-1…S-4, I, II, III; variables S-3…III; default II'))),
    aql: Enum(AQLS, 'percent nonconforming, as printed: attributes 0.010 … 10, variables 0.10 … 1.5'),
    mpe: Type.Optional(
      Nullable({
        ...DecimalString,
        description:
          'variables only, required: the in-service MPE, fixed now — the limits ±MPE its results are judged against (a decimal string, e.g. "2" for ±2 %)',
      }),
    ),
    productionSteady: Type.Optional(Type.Boolean({ description: 'for reduced inspection (default false)' })),
    authorityApprovesReduced: Type.Optional(Type.Boolean({ description: 'for reduced inspection (default false)' })),
  },
  {
    additionalProperties: false,
    description: "A sampling plan. The severity follows from the switching rules over the owner's decided lots of the same category and model.",
  },
);

/**
 * A sampled meter's result: its errors at the test points, or whether it
 * conforms with a reason (the codec says which fields go together).
 */
const MeterResultInput = Type.Object(
  {
    serial: Serial,
    points: Type.Optional(
      Type.Array(
        Type.Object(
          { testPoint: Text(100), error: DecimalString, mpe: { ...DecimalString, description: 'the in-service MPE (a positive half-width)' } },
          { additionalProperties: false },
        ),
        { maxItems: 50 },
      ),
    ),
    conforming: Type.Optional(Type.Boolean()),
    reason: Type.Optional(Text(500)),
  },
  { additionalProperties: false, description: '{serial, points: [{testPoint, error, mpe}]} or {serial, conforming, reason}' },
);

export const ResultsInput = Type.Object(
  { recordedOn: CalendarDateString, meters: Type.Array(MeterResultInput, { maxItems: 5000, description: 'every drawn meter once' }) },
  {
    additionalProperties: false,
    description:
      "The results of a plan's sample. A meter conforms when |error| ≤ MPE (the in-service MPE) at every test point. For a variables plan each meter gives its error at one test point, the same for all, against the MPE the plan fixed when it was drawn (another MPE is refused): the lot is accepted when (MPE − x̄)/s ≥ k and (x̄ + MPE)/s ≥ k and no sampled meter is outside ±MPE (s = 0: not accepted); the result carries x̄, s, Q_U, Q_L. Decimals as strings.",
  },
);

export const RotationInput = Type.Object({ rotatedOn: CalendarDateString, remarks: Type.Optional(Nullable(Text(500))) }, { additionalProperties: false });

// ---- responses ----------------------------------------------------------------

export const Lot = Type.Object({
  id: Type.String(),
  ownerId: Type.String(),
  category: Type.String(),
  model: Type.String(),
  patternApprovalNo: Nullable(Type.String()),
  manufacturer: Type.String(),
  batch: Nullable(Type.String()),
  installedFrom: Type.String(),
  installedTo: Type.String(),
  region: Type.String(),
  size: Type.Integer({ description: 'the members' }),
  registeredOn: Type.String(),
});

export const RegisteredLot = Type.Object({ ...Lot.properties, members: Type.Integer() });

const LotState = Enum(LOT_STATES);

const LotStatus = Type.Object({
  state: LotState,
  planId: Nullable(Type.String({ description: 'the plan that set the state' })),
  since: Type.String(),
  until: Nullable(Type.String({ description: 'the last day an extension covers' })),
  rotateBy: Nullable(Type.String({ description: 'the last day the meters of a lot to rotate may stay in service' })),
  cause: Nullable(Type.String({ enum: ['rejected', 'extension_ended', 'life_ended'] })),
  reason: Type.String(),
  name: Type.Object({ zh: Type.String(), en: Type.String() }),
});

/** A sampling plan as drawn and published (app/ports.ts LotPlanRow). */
export const LotPlan = Type.Object({
  id: Type.String(),
  lotId: Type.String(),
  plannedOn: Type.String(),
  seed: Type.String(),
  level: Type.String(),
  aql: Type.String(),
  severity: Type.String({ enum: ['normal', 'tightened', 'reduced'] }),
  scheme: Type.Object({ state: Type.String(), switchingScore: Type.Integer(), reason: Type.String(), lotsInHistory: Type.Integer() }),
  method: Enum(SAMPLING_METHODS),
  codeLetter: Type.String(),
  planLetter: Type.String(),
  tableSampleSize: Type.Integer(),
  sampleSize: Type.Integer(),
  acceptance: Nullable(Type.Integer({ description: 'Ac of an attributes plan' })),
  rejection: Nullable(Type.Integer({ description: 'Re of an attributes plan' })),
  acceptabilityConstant: Nullable(Type.String({ description: 'k of a variables plan' })),
  mpe: Nullable(Type.String({ description: 'the in-service MPE a variables plan fixed when it was drawn' })),
  hundredPercent: Type.Boolean(),
  populationHash: Type.String(),
  sample: Type.Array(Type.Object({ serial: Type.String(), key: Type.String() })),
  regulatorId: Nullable(Type.String()),
});

export const DrawnLotPlan = Type.Object({ ...LotPlan.properties, note: Nullable(Type.String()) });

/** The results of a plan's sample and the decision (app/ports.ts LotResultRow). */
export const LotResult = Type.Object({
  planId: Type.String(),
  recordedOn: Type.String(),
  meters: Type.Array(
    Type.Object({
      serial: Type.String(),
      points: Type.Optional(Type.Array(Type.Object({ testPoint: Type.String(), error: Type.String(), mpe: Type.String() }))),
      conforming: Type.Boolean(),
      reason: Type.String(),
    }),
  ),
  inspected: Type.Integer(),
  nonconforming: Type.Integer(),
  decision: Type.String({ enum: ['accept', 'reject'] }),
  rule: Type.String(),
  statistics: Nullable(
    Type.Object({
      mean: Type.String(),
      standardDeviation: Type.String(),
      qUpper: Nullable(Type.String()),
      qLower: Nullable(Type.String()),
      k: Type.String(),
      lower: Type.String(),
      upper: Type.String(),
      outside: Type.Integer(),
    }),
  ),
});

export const LotAt = Type.Object({
  lot: Lot,
  at: Type.String(),
  status: Nullable(LotStatus),
  plans: Type.Array(Type.Object({ ...LotPlan.properties, result: Nullable(LotResult) })),
});

export const PublishedLotPlan = Type.Object({
  lot: Type.Object({ id: Type.String(), ownerId: Type.String(), region: Type.String(), size: Type.Integer() }),
  plan: LotPlan,
  members: Type.Array(Type.String(), { description: "the members' serial numbers, in byte order" }),
  howToRedraw: Type.String(),
});

export const Rotation = Type.Object({ lotId: Type.String(), rotatedOn: Type.String(), remarks: Nullable(Type.String()) });

const Count = Type.Object({ meters: Type.Integer(), lots: Type.Integer() });
const ByState = Type.Object(Object.fromEntries(LOT_STATES.map((s) => [s, Count])) as Record<(typeof LOT_STATES)[number], typeof Count>);

export const LotPopulation = Type.Object({
  at: Type.String(),
  by: Type.String({ enum: ['installation_year', 'age'] }),
  groups: Type.Array(
    Type.Object({
      key: Type.Integer({ description: 'the installation year, or the age in whole years' }),
      meters: Type.Integer(),
      lots: Type.Integer(),
      byState: ByState,
    }),
  ),
  totals: Type.Object({ meters: Type.Integer(), lots: Type.Integer(), byState: ByState }),
  regionCode: Nullable(Type.String()),
  ownerId: Nullable(Type.String()),
});

export const RotationPlan = Type.Object({
  from: Type.String(),
  to: Type.String(),
  months: Type.Integer(),
  capacityPerMonth: Nullable(Type.Integer()),
  rows: Type.Array(
    Type.Object({
      month: Type.String(),
      regionCode: Type.String(),
      due: Type.Integer(),
      overdue: Type.Integer(),
      lots: Type.Array(Type.String()),
      instruments: Type.Integer(),
      scheduled: Type.Integer(),
      late: Type.Integer(),
    }),
  ),
  items: Type.Array(
    Type.Object({
      kind: Type.String({ enum: ['lot', 'instrument'] }),
      id: Type.String(),
      ownerId: Type.String(),
      regionCode: Type.String(),
      meters: Type.Integer(),
      rotateBy: Type.String(),
      reason: Type.String(),
      dueMonth: Type.String(),
    }),
  ),
  summary: Type.Object({
    lots: Type.Integer(),
    instruments: Type.Integer(),
    meters: Type.Integer(),
    overdue: Type.Integer(),
    late: Type.Integer(),
    unplaced: Type.Integer(),
  }),
  lots: Type.Array(
    Type.Object({
      id: Type.String(),
      ownerId: Type.String(),
      region: Type.String(),
      size: Type.Integer(),
      state: Type.String(),
      rotateBy: Type.String(),
      reason: Type.String(),
    }),
  ),
});

const Sources = {
  standard: Type.String(),
  checked: Type.Array(Type.String()),
  confidence: Type.Record(Type.String(), Type.String()),
};
export const SamplingTables = Type.Object({
  ...Sources,
  variables: Type.Object({ ...Sources, missing: Type.String() }),
});

export type LotInputShape = Static<typeof LotInput>;
export type SamplingPlanInputShape = Static<typeof SamplingPlanInput>;
export type ResultsInputShape = Static<typeof ResultsInput>;
export type RotationInputShape = Static<typeof RotationInput>;
