/**
 * The contracts of mandatory verification: the catalogue, a regulator's local
 * policy, an institution's capacity, a plan request and the plan, the status
 * of an instrument, the due list and interval recommendations. The codec
 * (../verification.ts) reads policies, capacities and plan requests through
 * them (with the rules between fields) and writes the rest.
 */
import { type Static, Type } from '@sinclair/typebox';
import { USAGES, type Usage } from '../../core/registry/vocabulary.ts';
import { VERIFICATION_FORMS } from '../../core/verification/catalogue.ts';
import { VERIFICATION_STATES } from '../../core/verification/status.ts';
import { CalendarDateString, DateString, Enum, HINT, Id, Nullable, RegionCodeOf, Text } from './common.ts';
import { Finding, RecordSummary } from './traceability.ts';

/** A verification state, each described (core/verification/status.ts). */
export const VerificationState = Type.Unsafe<string>({
  type: 'string',
  enum: Object.keys(VERIFICATION_STATES),
  description: Object.entries(VERIFICATION_STATES)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; '),
});

export const CATEGORY_HINT = 'a catalogue category is a key like MV016 (see GET /v1/catalogue)';
export const Category = Type.String({ pattern: '^MV[0-9]{3}$', description: 'A catalogue category key (MV001 …).', [HINT]: CATEGORY_HINT });
export const Region = RegionCodeOf('A GB/T 2260 region code; a province or city code covers its districts.');
const UsageEnum = Type.Unsafe<Usage>({ type: 'string', enum: [...USAGES] });
const FormEnum = Enum(VERIFICATION_FORMS, 'periodic, initial_then_replace (限期使用，到期轮换), initial_until_inaccurate (失准报废), initial_only, none');

const asKnownAtQuery = (description: string) => Type.Optional(Type.String({ maxLength: 40, description }));
const AS_KNOWN_AT =
  'an instant (RFC 3339 with offset): answer as the registry knew it then, from what had been written by that moment (records, corrections, findings, events are append-only); default: as known now';
const AsKnownAtAnswer = Nullable(Type.String({ description: 'the instant this answer is as known at (UTC); null: as known now' }));

export const AtQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });
export const StatusQuery = Type.Object({ at: Type.Optional(CalendarDateString), asKnownAt: asKnownAtQuery(AS_KNOWN_AT) }, { additionalProperties: false });

/** An entry of the catalogue of instruments under compulsory administration (codecs/catalogue.ts writeCatalogueEntry). */
export const CatalogueEntry = Type.Object({
  id: Type.String({ description: 'our stable key (MV001 …); the official item numbers are not used' }),
  categoryZh: Type.String(),
  instrumentZh: Type.String(),
  instrumentEn: Type.String(),
  usages: Type.Array(UsageEnum, { description: 'the usages for which verification is mandatory' }),
  quantities: Type.Array(Type.String(), { description: 'the registry quantity kinds an instrument of this entry measures (our mapping)' }),
  patternApproval: Type.Boolean(),
  mandatoryVerification: Type.Boolean(),
  form: FormEnum,
  regulation: Nullable(Type.String()),
  intervalMonths: Nullable(Type.Integer({ description: 'the legal interval of periodic verification, when known' })),
  serviceLifeMonths: Nullable(Type.Integer({ description: 'the maximum service life from first verification, for initial_then_replace' })),
  mandatoryFrom: Nullable(Type.String({ description: 'compulsory verification starts on this date, when the catalogue deferred it' })),
  confidence: Type.String(),
  notes: Type.String(),
});

export const Catalogue = Type.Object({
  id: Type.String(),
  title: Type.String(),
  publishedOn: Type.String(),
  source: Type.String(),
  entries: Type.Array(CatalogueEntry),
});

export const Status = Type.Object(
  {
    equipmentId: Type.String(),
    name: Type.String(),
    assetCode: Nullable(Type.String()),
    ownerId: Type.String(),
    ownerName: Nullable(Type.String()),
    at: Type.String(),
    state: VerificationState,
    mandatory: Type.Boolean(),
    reason: Type.String(),
    message: Type.String(),
    category: Nullable(Type.String()),
    usage: Type.String(),
    catalogue: Nullable(
      Type.Object(
        {
          catalogueId: Nullable(Type.String()),
          entryId: Type.String(),
          instrumentZh: Type.String(),
          instrumentEn: Type.String(),
          form: FormEnum,
          regulation: Nullable(Type.String()),
        },
        { description: 'the catalogue entry that makes verification mandatory' },
      ),
    ),
    policy: Nullable(
      Type.Object(
        {
          form: FormEnum,
          intervalMonths: Nullable(Type.Integer()),
          serviceLifeMonths: Nullable(Type.Integer()),
          graceDays: Type.Integer(),
          dueSoonDays: Type.Integer(),
          basis: Type.Array(Type.String(), { description: 'where each number came from, in words' }),
        },
        { description: 'the policy in force for the instrument: the legal one, as a regulator’s local policy changes it' },
      ),
    ),
    certificate: Nullable(RecordSummary),
    firstVerifiedOn: Nullable(Type.String()),
    dueOn: Nullable(Type.String()),
    daysToDue: Nullable(Type.Integer()),
    serviceLifeEndsOn: Nullable(Type.String()),
    graceEndsOn: Nullable(
      Type.String({ description: 'the last day of a local grace period after the due date (expired_in_grace): enforcement waits until then, use does not' }),
    ),
    suspectBecause: Type.Array(Finding, { description: 'for a suspect verification, the findings of the chain behind it on the day it was performed' }),
    usable: Type.Boolean({ description: 'whether the instrument may be used for its purpose at the date (what the public label says)' }),
    traceability: Nullable(Type.Object({ traceable: Type.Boolean(), at: Type.String(), findings: Type.Array(Finding) })),
    asKnownAt: AsKnownAtAnswer,
  },
  { $id: 'VerificationStatus' },
);

export const LookupQuery = Type.Object(
  {
    certificateNo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    assetCode: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    ownerId: Type.Optional(Id),
    at: Type.Optional(CalendarDateString),
    asKnownAt: asKnownAtQuery(AS_KNOWN_AT),
  },
  { additionalProperties: false },
);

export const DueQuery = Type.Object(
  {
    from: Type.Optional(CalendarDateString),
    to: CalendarDateString,
    region: Type.Optional(Region),
    owner: Type.Optional(Id),
    category: Type.Optional(Category),
    usage: Type.Optional(UsageEnum),
    format: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['json', 'csv'] })),
    lang: Type.Optional(
      Type.Unsafe<'en' | 'zh'>({ type: 'string', enum: ['en', 'zh'], description: "The CSV's header row: English field names (default) or Chinese terms" }),
    ),
    limit: Type.Optional(
      Type.String({ pattern: '^[0-9]{1,5}$', description: 'items per page of the JSON list, 1–10,000 (default 1,000; the CSV carries them all)' }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 400, description: 'The nextCursor of the previous page.' })),
    asKnownAt: asKnownAtQuery(
      'an instant (RFC 3339 with offset): the list as the registry gave it then, from what had been written by that moment (records, corrections, findings, events, policies); default: as known now. Each instrument is then worked out one by one: for reproducing an answer, not for the daily list',
    ),
  },
  { additionalProperties: false },
);

const Counts = (description: string) => Type.Record(Type.String(), Type.Integer(), { description });

/** One instrument of the due list: the CSV's columns in camelCase (codecs/verification.ts). */
export const DueItem = Type.Object({
  equipmentId: Type.String(),
  name: Type.String(),
  assetCode: Nullable(Type.String()),
  ownerId: Type.String(),
  ownerName: Nullable(Type.String()),
  regionCode: Type.String(),
  category: Type.String(),
  usage: Type.String(),
  state: Type.String(),
  dueOn: Nullable(Type.String()),
  daysToDue: Nullable(Type.Integer()),
  certificateNo: Nullable(Type.String()),
  performedOn: Nullable(Type.String()),
  labId: Nullable(Type.String()),
});

export const DueList = Type.Object({
  asKnownAt: AsKnownAtAnswer,
  from: Type.String(),
  to: Type.String(),
  count: Type.Integer({ description: 'the whole list’s length (all pages)' }),
  summary: Type.Object(
    {
      byState: Counts('instruments by verification state'),
      byCategory: Counts('instruments by catalogue category'),
      byRegion: Counts('instruments by the owner’s region'),
      byOwner: Counts('instruments by owner'),
    },
    { description: 'the whole list (all pages), counted' },
  ),
  items: Type.Array(DueItem),
  nextCursor: Nullable(Type.String()),
});

export const PolicyInput = Type.Object(
  {
    id: Type.Optional(Id),
    regulatorId: Id,
    category: Category,
    intervalMonths: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 240 }))),
    serviceLifeMonths: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 480 }))),
    graceDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
    dueSoonDays: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 365 }))),
    validFrom: CalendarDateString,
    validUntil: CalendarDateString,
    remarks: Type.Optional(Nullable(Text(2000))),
  },
  { additionalProperties: false },
);

export const Policy = Type.Object({
  id: Type.String(),
  regulatorId: Type.String(),
  regionCode: Type.String({ description: "the regulator's region: the policy applies to owners inside it" }),
  category: Type.String(),
  intervalMonths: Nullable(Type.Integer()),
  serviceLifeMonths: Nullable(Type.Integer()),
  graceDays: Nullable(Type.Integer()),
  dueSoonDays: Nullable(Type.Integer()),
  validFrom: Type.String(),
  validUntil: Type.String(),
  remarks: Nullable(Type.String()),
});

export const PolicyQuery = Type.Object({ category: Type.Optional(Category) }, { additionalProperties: false });

export const CapacityInput = Type.Object(
  {
    id: Type.Optional(Id),
    labId: Id,
    category: Category,
    monthly: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    validFrom: CalendarDateString,
    validUntil: DateString('the last day of the capacity (YYYY-MM-DD), not before validFrom'),
  },
  { additionalProperties: false },
);

export const Capacity = Type.Object({
  id: Type.String(),
  labId: Type.String(),
  category: Type.String(),
  monthly: Type.Integer({ description: 'verifications per month' }),
  validFrom: Type.String(),
  validUntil: Type.String(),
});

export const PlanInput = Type.Object(
  {
    id: Type.Optional(Id),
    from: DateString('the first month of the plan is the month of this date (YYYY-MM-DD)'),
    months: Type.Integer({ minimum: 1, maximum: 120 }),
    regionCode: Type.Optional(Nullable(Region)),
    category: Type.Optional(Nullable(Category)),
  },
  { additionalProperties: false },
);

export const Plan = Type.Object({
  id: Type.String(),
  from: Type.String(),
  months: Type.Integer(),
  assignments: Type.Array(
    Type.Object({
      equipmentId: Type.String(),
      category: Type.String(),
      labId: Type.String(),
      month: Type.String({ description: 'YYYY-MM' }),
      dueOn: Nullable(Type.String()),
      late: Type.Boolean({ description: 'true when the month is after the due month (or the instrument was already overdue)' }),
    }),
  ),
  unplaced: Type.Array(
    Type.Object({
      equipmentId: Type.String(),
      category: Type.String(),
      dueOn: Nullable(Type.String()),
      reason: Type.String({ enum: ['no_authorised_institution', 'no_capacity_in_horizon'] }),
    }),
  ),
  overflow: Type.Array(
    Type.Object({
      month: Type.String({ description: 'the month the verifications were due in (YYYY-MM)' }),
      category: Type.String(),
      count: Type.Integer({ description: 'how many cannot be verified by their due date' }),
      unplaced: Type.Integer({ description: 'of those, how many could not be placed in the horizon at all' }),
    }),
  ),
  load: Type.Array(Type.Object({ labId: Type.String(), month: Type.String(), category: Type.String(), assigned: Type.Integer(), capacity: Type.Integer() })),
  summary: Type.Object({ due: Type.Integer(), onTime: Type.Integer(), late: Type.Integer(), unplaced: Type.Integer(), alreadyOverdue: Type.Integer() }),
  method: Type.Array(Type.String()),
});

export const IntervalQuery = Type.Object(
  {
    at: Type.Optional(CalendarDateString),
    method: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: ['staircase', 'reliability_target'] })),
    reliability: Type.Optional(Type.String({ pattern: '^0?\\.[0-9]{1,6}$', description: 'Reliability target R in (0, 1); default 0.90 (JJF 1139).' })),
    extension: Type.Optional(Type.String({ pattern: '^[0-9]*\\.?[0-9]{1,6}$', description: 'Staircase extension factor a; default 0.10.' })),
    initial: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}(\\.[0-9]{1,3})?$', description: 'The interval in use before the first result, in months.' })),
  },
  { additionalProperties: false },
);

export const IntervalRecommendation = Type.Object({
  method: Type.String({ enum: ['staircase', 'reliability_target'] }),
  recommendedMonths: Nullable(Type.Integer({ description: 'whole months, after the legal cap; null when the data cannot support a recommendation' })),
  computedMonths: Nullable(Type.String({ description: "the method's own answer in months before rounding and capping" })),
  legalMonths: Nullable(Type.Integer()),
  capped: Type.Boolean(),
  parameters: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
    description: 'the parameters the method used (decimals as strings)',
  }),
  steps: Type.Array(Type.Object({ recordId: Type.String(), result: Type.String(), months: Type.String() })),
  reasoning: Type.Array(Type.String()),
});

export const IntervalAnswer = Type.Object({
  equipmentId: Type.String(),
  at: Type.String(),
  state: Type.String(),
  mandatory: Type.Boolean(),
  recommendations: Type.Array(IntervalRecommendation),
});

export type PolicyInputShape = Static<typeof PolicyInput>;
export type CapacityInputShape = Static<typeof CapacityInput>;
export type PlanInputShape = Static<typeof PlanInput>;
