/**
 * The registry's contracts (organisations, scopes, CMCs and their amendments,
 * equipment, calibration and verification records): the one structural
 * description of each resource, for HTTP bodies and responses (and so the
 * OpenAPI document), CSV and data-set rows and DCC imports alike. The codecs
 * (../registry.ts) turn a shape that passed it into domain values and back.
 */
import { type Static, Type } from '@sinclair/typebox';
import {
  ACCURACY_KINDS,
  AMENDMENT_KINDS,
  CERTIFICATE_KINDS,
  CONFORMITY,
  EQUIPMENT_STATUSES,
  HIERARCHY_LEVELS,
  ORGANISATION_KINDS,
  QUANTITIES,
  RECORD_KINDS,
  USAGES,
  VERIFICATION_TYPES,
} from '../../core/registry/vocabulary.ts';
import { CalendarDateString, DateString, DecimalString, Enum, Id, Nullable, PageQuery, RegionCode, Text } from './common.ts';

export const OrganisationKind = Enum(ORGANISATION_KINDS, 'legal metrology institute, accredited calibration lab, enterprise, energy-using unit or regulator');
export const Quantity = Enum(QUANTITIES, 'the kind of quantity measured');
export const Level = Enum(HIERARCHY_LEVELS, 'place in the value-transfer hierarchy, national primary standard down to working instrument');
export const UsageEnum = Enum(USAGES, 'what the instrument is used for; the first four can make verification mandatory');
export const StatusEnum = Enum(EQUIPMENT_STATUSES);
export const RecordKind = Enum(RECORD_KINDS);
export const VerificationTypeEnum = Enum(
  VERIFICATION_TYPES,
  'why a verification was performed: initial 首次检定, subsequent 后续检定, periodic 周期检定, after_repair 修理后检定, in_use_check 使用中检查; never on a calibration',
);
export const CertificateKindEnum = Enum(
  CERTIFICATE_KINDS,
  'the document issued: verification_certificate 检定证书 (verification passed), result_notice 检定结果通知书 (verification failed), calibration_certificate 校准证书; derived when absent, refused when it contradicts kind and conformity',
);

export const OrganisationInput = Type.Object(
  {
    id: Type.Optional(Id),
    name: Text(200),
    kind: OrganisationKind,
    regionCode: RegionCode,
    accreditation: Type.Optional(Nullable(Text(100))),
  },
  { additionalProperties: false },
);

export const Organisation = Type.Object({
  id: Id,
  name: Type.String(),
  kind: OrganisationKind,
  regionCode: Type.String(),
  accreditation: Nullable(Type.String()),
});

export const RangeInput = Type.Object(
  { min: Type.Optional(Nullable(DecimalString)), max: Type.Optional(Nullable(DecimalString)), unit: Text(32) },
  { additionalProperties: false },
);
export const Range = Type.Object({ min: Nullable(Type.String()), max: Nullable(Type.String()), unit: Type.String() });

export const ScopeInput = Type.Object(
  {
    id: Type.Optional(Id),
    quantity: Quantity,
    category: Type.Optional(Nullable(Text(32))),
    range: Type.Optional(Nullable(RangeInput)),
    mandatoryVerification: Type.Optional(Type.Boolean()),
    validFrom: CalendarDateString,
    validUntil: CalendarDateString,
    authorisationNo: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 100, description: '授权证书编号: the number of the authorisation certificate' })),
    ),
    issuedBy: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

const AmendmentKind = Enum(
  AMENDMENT_KINDS,
  "'amend' appends a version with the fields given changed (the rest carried over); 'withdraw' ends the scope or CMC from effectiveFrom",
);
const amendmentHead = {
  id: Type.Optional(Id),
  kind: AmendmentKind,
  effectiveFrom: DateString('the first day the new version is in force (YYYY-MM-DD), after the version before it'),
  reason: Type.Optional(Nullable(Text(2000))),
};

export const ScopeAmendmentInput = Type.Object(
  {
    ...amendmentHead,
    category: Type.Optional(Nullable(Text(32))),
    range: Type.Optional(Nullable(RangeInput)),
    mandatoryVerification: Type.Optional(Type.Boolean()),
    validUntil: Type.Optional(CalendarDateString),
    authorisationNo: Type.Optional(Nullable(Text(100))),
    issuedBy: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);

export const CmcAmendmentInput = Type.Object(
  {
    ...amendmentHead,
    range: Type.Optional(RangeInput),
    expandedUncertainty: Type.Optional(DecimalString),
    relativeExpandedUncertainty: Type.Optional(DecimalString),
    coverageFactor: Type.Optional(DecimalString),
    validUntil: Type.Optional(CalendarDateString),
  },
  { additionalProperties: false },
);

export const CmcInput = Type.Object(
  {
    id: Type.Optional(Id),
    quantity: Quantity,
    range: RangeInput,
    expandedUncertainty: Type.Optional(DecimalString),
    relativeExpandedUncertainty: Type.Optional(DecimalString),
    coverageFactor: DecimalString,
    validFrom: CalendarDateString,
    validUntil: CalendarDateString,
  },
  { additionalProperties: false },
);

export const Cmc = Type.Object({
  id: Id,
  labId: Id,
  quantity: Quantity,
  range: Range,
  expandedUncertainty: Nullable(Type.String()),
  relativeExpandedUncertainty: Nullable(Type.String()),
  coverageFactor: Type.String(),
  validFrom: Type.String(),
  validUntil: Type.String(),
});

export const Scope = Type.Object({
  id: Id,
  labId: Id,
  quantity: Quantity,
  category: Nullable(Type.String()),
  range: Nullable(Range),
  mandatoryVerification: Type.Boolean(),
  validFrom: Type.String(),
  validUntil: Type.String(),
  authorisationNo: Nullable(Type.String()),
  issuedBy: Nullable(Type.String()),
});

const versionFields = {
  id: Type.String({ description: "the version's id: the scope's (or CMC's) own for version 1, the amendment's after" }),
  version: Type.Integer({ minimum: 1 }),
  kind: Type.String({ enum: ['original', ...AMENDMENT_KINDS] }),
  effectiveFrom: Type.String(),
  reason: Nullable(Type.String()),
};

/** One version of a scope: its content from effectiveFrom (null once withdrawn). */
export const ScopeVersion = Type.Object({ scopeId: Id, ...versionFields, state: Nullable(Scope) });
/** One version of a CMC. */
export const CmcVersion = Type.Object({ cmcId: Id, ...versionFields, state: Nullable(Cmc) });

/** `?at=`: the day the versions in force are read for (default today). */
export const AtQuery = Type.Object({ at: Type.Optional(CalendarDateString) }, { additionalProperties: false });

const AccuracyInput = Type.Object(
  {
    kind: Enum(ACCURACY_KINDS, "'mpe' (± maximum permissible error), 'class' (accuracy class) or 'expanded' (U with k)"),
    mpe: Type.Optional(DecimalString),
    accuracyClass: Type.Optional(Text(32)),
    expandedUncertainty: Type.Optional(DecimalString),
    coverageFactor: Type.Optional(DecimalString),
    unit: Type.Optional(Text(32)),
  },
  { additionalProperties: false },
);

const Accuracy = Type.Object({
  kind: Type.String(),
  mpe: Type.Optional(Type.String()),
  accuracyClass: Type.Optional(Type.String()),
  expandedUncertainty: Type.Optional(Type.String()),
  coverageFactor: Type.Optional(Type.String()),
  unit: Type.Optional(Type.String()),
});

export const Assessment = Type.Object(
  { certificateNo: Text(100), validFrom: CalendarDateString, validUntil: CalendarDateString },
  { additionalProperties: false, description: 'The standard’s assessment certificate (计量标准考核证书).' },
);

export const EquipmentInput = Type.Object(
  {
    id: Type.Optional(Id),
    ownerId: Id,
    name: Text(200),
    assetCode: Type.Optional(Nullable(Text(100))),
    serialNumber: Type.Optional(Nullable(Text(100))),
    manufacturer: Type.Optional(Nullable(Text(200))),
    model: Type.Optional(Nullable(Text(100))),
    quantity: Quantity,
    range: RangeInput,
    accuracy: AccuracyInput,
    level: Level,
    category: Type.Optional(Nullable(Text(32))),
    usage: Type.Optional(UsageEnum),
    status: Type.Optional(StatusEnum),
    assessment: Type.Optional(Nullable(Assessment)),
    realisation: Type.Optional(Nullable(Text(500))),
    patternApprovalNo: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 100, description: '型式批准编号: the pattern-approval number of the instrument type' })),
    ),
  },
  { additionalProperties: false },
);

export const Equipment = Type.Object({
  id: Id,
  ownerId: Id,
  name: Type.String(),
  assetCode: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  manufacturer: Nullable(Type.String()),
  model: Nullable(Type.String()),
  quantity: Quantity,
  range: Range,
  accuracy: Accuracy,
  level: Level,
  category: Nullable(Type.String()),
  usage: UsageEnum,
  status: StatusEnum,
  assessment: Nullable(Type.Object({ certificateNo: Type.String(), validFrom: Type.String(), validUntil: Type.String() })),
  realisation: Nullable(Type.String()),
  patternApprovalNo: Nullable(Type.String()),
});

const PointInput = Type.Object(
  {
    nominal: DecimalString,
    asFound: Type.Optional(Nullable(DecimalString)),
    asLeft: Type.Optional(Nullable(DecimalString)),
    expandedUncertainty: Type.Optional(Nullable(DecimalString)),
    coverageFactor: Type.Optional(Nullable(DecimalString)),
    unit: Text(32),
  },
  { additionalProperties: false },
);

const Point = Type.Object({
  nominal: Type.String(),
  asFound: Nullable(Type.String()),
  asLeft: Nullable(Type.String()),
  expandedUncertainty: Nullable(Type.String()),
  coverageFactor: Nullable(Type.String()),
  unit: Type.String(),
});

/** A decision rule (ILAC G8:2019): simple; guard band w = r·U (r default 1); or a maximum specific false-accept probability. */
export const DecisionRuleSchema = Type.Object(
  {
    kind: Type.Unsafe<string>({ type: 'string', enum: ['simple', 'guard_band', 'max_pfa'] }),
    r: Type.Optional(DecimalString),
    pfa: Type.Optional(DecimalString),
  },
  { additionalProperties: false },
);

/** An influence condition of the measurement (temperature, humidity, …). */
export const ConditionSchema = Type.Object(
  {
    name: Text(100),
    value: DecimalString,
    unit: Text(32),
    expandedUncertainty: Type.Optional(Nullable(DecimalString)),
    coverageFactor: Type.Optional(Nullable(DecimalString)),
  },
  { additionalProperties: false },
);

export const RecordInput = Type.Object(
  {
    id: Type.Optional(Id),
    kind: RecordKind,
    subjectId: Id,
    labId: Id,
    referenceIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
    certificateNo: Text(100),
    performedOn: CalendarDateString,
    validUntil: Type.Optional(
      Nullable(
        DateString(
          'the last day the record is valid (有效期至): required for a passed verification, refused for a failed one (its result notice carries none), optional for a calibration (then the owner’s interval policy dates it, or it vouches for its own day only)',
        ),
      ),
    ),
    conformity: Type.Optional(Nullable(Enum(CONFORMITY))),
    points: Type.Optional(Type.Array(PointInput, { maxItems: 1000 })),
    supersedes: Type.Optional(Nullable(Id)),
    remarks: Type.Optional(Nullable(Text(2000))),
    decisionRule: Type.Optional(Nullable(DecisionRuleSchema)),
    conditions: Type.Optional(Type.Array(ConditionSchema, { maxItems: 50 })),
    externalReferences: Type.Optional(
      Type.Array(Text(200), {
        maxItems: 50,
        description:
          'reference standards outside this registry, as the certificate identifies them: kept, not checked, and the chain says it leaves the registry there',
      }),
    ),
    verificationType: Type.Optional(Nullable(VerificationTypeEnum)),
    procedure: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 200, description: '检定依据 / 校准依据: the regulation or specification followed, e.g. JJG 539-2016' })),
    ),
    verifier: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: '检定员 / 校准员: a name as printed (not an account)' }))),
    checker: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: '核验员' }))),
    approver: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: '批准人' }))),
    certificateKind: Type.Optional(Nullable(CertificateKindEnum)),
    labelNo: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: '合格证号: the label number' }))),
    sealNo: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100, description: '封印号: the seal number' }))),
    customerName: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 200, description: '送检单位: the customer who submitted the instrument, when not its owner' })),
    ),
  },
  { additionalProperties: false },
);

export const Record = Type.Object({
  id: Id,
  kind: RecordKind,
  subjectId: Id,
  labId: Id,
  referenceIds: Type.Array(Id),
  certificateNo: Type.String(),
  performedOn: Type.String(),
  validUntil: Nullable(Type.String()),
  conformity: Nullable(Type.String()),
  points: Type.Array(Point),
  supersedes: Nullable(Id),
  supersededBy: Nullable(Id),
  remarks: Nullable(Type.String()),
  decisionRule: Nullable(DecisionRuleSchema),
  conditions: Type.Array(ConditionSchema),
  externalReferences: Type.Array(Type.String()),
  verificationType: Nullable(Type.String()),
  procedure: Nullable(Type.String()),
  verifier: Nullable(Type.String()),
  checker: Nullable(Type.String()),
  approver: Nullable(Type.String()),
  certificateKind: CertificateKindEnum,
  labelNo: Nullable(Type.String()),
  sealNo: Nullable(Type.String()),
  customerName: Nullable(Type.String()),
});

export const OrganisationQuery = Type.Object(
  { ...PageQuery, kind: Type.Optional(OrganisationKind), region: Type.Optional(RegionCode) },
  { additionalProperties: false },
);

export const EquipmentQuery = Type.Object(
  {
    ...PageQuery,
    owner: Type.Optional(Id),
    quantity: Type.Optional(Quantity),
    level: Type.Optional(Level),
    category: Type.Optional(Type.String({ maxLength: 32 })),
    usage: Type.Optional(UsageEnum),
    status: Type.Optional(StatusEnum),
    assetCode: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export const RecordQuery = Type.Object(
  {
    ...PageQuery,
    subject: Type.Optional(Id),
    lab: Type.Optional(Id),
    kind: Type.Optional(RecordKind),
    certificateNo: Type.Optional(Type.String({ maxLength: 100 })),
    reference: Type.Optional(Id),
  },
  { additionalProperties: false },
);

export type OrganisationInputShape = Static<typeof OrganisationInput>;
export type RangeInputShape = Static<typeof RangeInput>;
export type ScopeInputShape = Static<typeof ScopeInput>;
export type ScopeAmendmentInputShape = Static<typeof ScopeAmendmentInput>;
export type CmcInputShape = Static<typeof CmcInput>;
export type CmcAmendmentInputShape = Static<typeof CmcAmendmentInput>;
export type EquipmentInputShape = Static<typeof EquipmentInput>;
export type RecordInputShape = Static<typeof RecordInput>;
