/**
 * The registry's contracts ⇄ registry values. The structure of each resource
 * (fields, types, lengths, vocabularies, unknown fields refused) is its
 * contract in contracts/registry.ts; `toX` turns a shape that passed it into
 * the domain value (ids drawn, dates and decimals branded, printed identifiers
 * and the rules between fields checked), and `readX` is the two for untrusted
 * JSON that no validator has seen (CSV and data-set rows). Writing gives the
 * canonical wire form that the API and exports share.
 */
import type { Static } from '@sinclair/typebox';
import { parseDate } from '../core/dates.ts';
import { type DecimalText, parseDecimalText, valueOf } from '../core/numeric/decimal.ts';
import type {
  InfluenceCondition,
  Cmc,
  Accuracy,
  AssessmentCertificate,
  CalibrationRecord,
  Equipment,
  LabScope,
  MeasuredPoint,
  MeasuringRange,
  Organisation,
} from '../core/registry/types.ts';
import { documentOf } from '../core/registry/vocabulary.ts';
import { checkDocumentFields } from '../core/registry/rules.ts';
import { fail } from '../core/errors.ts';
import { checkIdentifier } from '../core/registry/identifier.ts';
import type { AmendmentHead, CmcChanges, CmcVersion, ScopeChanges, ScopeVersion, Version } from '../core/registry/versions.ts';
import { readRule, writeRule } from './conformity.ts';
import { readContract } from './contracts/read.ts';
import {
  type Assessment,
  CmcAmendmentInput,
  type CmcAmendmentInputShape,
  CmcInput,
  type CmcInputShape,
  EquipmentInput,
  type EquipmentInputShape,
  OrganisationInput,
  type OrganisationInputShape,
  type RangeInputShape,
  RecordInput,
  type RecordInputShape,
  ScopeAmendmentInput,
  type ScopeAmendmentInputShape,
  ScopeInput,
  type ScopeInputShape,
} from './contracts/registry.ts';

export { ID_HINT, ID_PATTERN } from './contracts/common.ts';

export type NewId = () => string;

const dec = (v: string, path: string): DecimalText => parseDecimalText(v, path);
const optionalDec = (v: string | null | undefined, path: string): DecimalText | null => (v == null ? null : parseDecimalText(v, path));
const optionalDate = (v: string | null | undefined, path: string) => (v == null ? null : parseDate(v, path));
const optional = <T>(v: T | null | undefined): T | null => v ?? null;

/** An optional printed identifier (an asset code): no look-alikes. */
function optionalIdentifier(v: string | null | undefined, path: string, what: string): string | null {
  return v == null ? null : checkIdentifier(v, path, what);
}

export function toOrganisation(i: OrganisationInputShape, newId: NewId): Organisation {
  return { id: i.id ?? newId(), name: i.name, kind: i.kind, regionCode: i.regionCode, accreditation: optional(i.accreditation) };
}

export const readOrganisation = (raw: unknown, newId: NewId): Organisation => toOrganisation(readContract(OrganisationInput, raw), newId);

function toRange(i: RangeInputShape, path: string): MeasuringRange {
  return { min: optionalDec(i.min, `${path}/min`), max: optionalDec(i.max, `${path}/max`), unit: i.unit };
}

const optionalRange = (i: RangeInputShape | null | undefined, path: string): MeasuringRange | null => (i == null ? null : toRange(i, path));

export function toScope(i: ScopeInputShape, labId: string, newId: NewId): LabScope {
  return {
    id: i.id ?? newId(),
    labId,
    quantity: i.quantity,
    category: optional(i.category),
    range: optionalRange(i.range, '/range'),
    mandatoryVerification: i.mandatoryVerification ?? false,
    validFrom: parseDate(i.validFrom, '/validFrom'),
    validUntil: parseDate(i.validUntil, '/validUntil'),
    authorisationNo: optionalIdentifier(i.authorisationNo, '/authorisationNo', 'the authorisation certificate number'),
    issuedBy: optional(i.issuedBy),
  };
}

export const readScope = (raw: unknown, labId: string, newId: NewId): LabScope => toScope(readContract(ScopeInput, raw), labId, newId);

/** The head of an amendment: its id, kind, effective date and reason. */
function toAmendmentHead(i: ScopeAmendmentInputShape | CmcAmendmentInputShape, newId: NewId): AmendmentHead {
  return { id: i.id ?? newId(), kind: i.kind, effectiveFrom: parseDate(i.effectiveFrom, '/effectiveFrom'), reason: optional(i.reason) };
}

/** A field an amendment may clear: absent (undefined) keeps it, null clears it. */
const clearable = <T, U>(v: T | null | undefined, to: (v: T) => U): U | null | undefined => (v === undefined ? undefined : v === null ? null : to(v));
/** A field an amendment may change but not clear: absent (or null) keeps it. */
const changed = <T, U>(v: T | null | undefined, to: (v: T) => U): U | undefined => (v == null ? undefined : to(v));
const same = <T>(v: T) => v;

/**
 * `POST …/scopes/{scopeId}/amendments`: `{ kind: 'amend' | 'withdraw',
 * effectiveFrom, reason?, …the fields that change }`. A field left out is
 * carried over from the version before; `category`, `range`,
 * `authorisationNo` and `issuedBy` may be set to null (a scope for the whole
 * quantity, over any range).
 */
export function toScopeAmendment(i: ScopeAmendmentInputShape, newId: NewId): { head: AmendmentHead; changes: ScopeChanges } {
  const changes: ScopeChanges = {
    category: clearable(i.category, same),
    range: clearable(i.range, (r) => toRange(r, '/range')),
    mandatoryVerification: changed(i.mandatoryVerification, same),
    validUntil: changed(i.validUntil, (d) => parseDate(d, '/validUntil')),
    authorisationNo: clearable(i.authorisationNo, (n) => checkIdentifier(n, '/authorisationNo', 'the authorisation certificate number')),
    issuedBy: clearable(i.issuedBy, same),
  };
  return { head: toAmendmentHead(i, newId), changes };
}

export const readScopeAmendment = (raw: unknown, newId: NewId) => toScopeAmendment(readContract(ScopeAmendmentInput, raw), newId);

/** `POST …/cmcs/{cmcId}/amendments`: as for a scope; range, the uncertainty (either form), coverageFactor, validUntil. */
export function toCmcAmendment(i: CmcAmendmentInputShape, newId: NewId): { head: AmendmentHead; changes: CmcChanges } {
  const changes: CmcChanges = {
    range: changed(i.range, (r) => toRange(r, '/range')),
    expandedUncertainty: changed(i.expandedUncertainty, (u) => dec(u, '/expandedUncertainty')),
    relativeExpandedUncertainty: changed(i.relativeExpandedUncertainty, (u) => dec(u, '/relativeExpandedUncertainty')),
    coverageFactor: changed(i.coverageFactor, (k) => dec(k, '/coverageFactor')),
    validUntil: changed(i.validUntil, (d) => parseDate(d, '/validUntil')),
  };
  return { head: toAmendmentHead(i, newId), changes };
}

export const readCmcAmendment = (raw: unknown, newId: NewId) => toCmcAmendment(readContract(CmcAmendmentInput, raw), newId);

/** One version of a scope or CMC on the wire: what it is, when it took effect, and the content then (null once withdrawn). */
function writeVersion<T, W>(v: Version<T>, write: (t: T) => W) {
  return { id: v.id, version: v.version, kind: v.kind, effectiveFrom: v.effectiveFrom, reason: v.reason, state: v.state === null ? null : write(v.state) };
}

export const writeScopeVersion = (v: ScopeVersion) => ({ scopeId: v.subjectId, ...writeVersion(v, writeScope) });
export const writeCmcVersion = (v: CmcVersion) => ({ cmcId: v.subjectId, ...writeVersion(v, writeCmc) });

export function toCmc(i: CmcInputShape, labId: string, newId: NewId): Cmc {
  return {
    id: i.id ?? newId(),
    labId,
    quantity: i.quantity,
    range: toRange(i.range, '/range'),
    expandedUncertainty: optionalDec(i.expandedUncertainty, '/expandedUncertainty'),
    relativeExpandedUncertainty: optionalDec(i.relativeExpandedUncertainty, '/relativeExpandedUncertainty'),
    coverageFactor: dec(i.coverageFactor, '/coverageFactor'),
    validFrom: parseDate(i.validFrom, '/validFrom'),
    validUntil: parseDate(i.validUntil, '/validUntil'),
  };
}

export const readCmc = (raw: unknown, labId: string, newId: NewId): Cmc => toCmc(readContract(CmcInput, raw), labId, newId);

export function writeCmc(c: Cmc) {
  return {
    id: c.id,
    labId: c.labId,
    quantity: c.quantity,
    range: writeRange(c.range),
    expandedUncertainty: c.expandedUncertainty,
    relativeExpandedUncertainty: c.relativeExpandedUncertainty,
    coverageFactor: c.coverageFactor,
    validFrom: c.validFrom,
    validUntil: c.validUntil,
  };
}

/** The fields each kind of accuracy states: the others are refused, as unknown fields are. */
const ACCURACY_FIELDS = { mpe: ['mpe', 'unit'], class: ['accuracyClass'], expanded: ['expandedUncertainty', 'coverageFactor', 'unit'] } as const;

function toAccuracy(i: EquipmentInputShape['accuracy']): Accuracy {
  const fields: readonly string[] = ACCURACY_FIELDS[i.kind];
  for (const key of ['mpe', 'accuracyClass', 'expandedUncertainty', 'coverageFactor', 'unit'] as const) {
    const given = i[key] !== undefined && i[key] !== null;
    if (given && !fields.includes(key)) fail('UNKNOWN_FIELD', `/accuracy/${key}`, `unknown field '${key}'; check its spelling against the documentation`);
    if (!given && fields.includes(key)) fail('MISSING_FIELD', `/accuracy/${key}`, `'${key}' is required`);
  }
  if (i.kind === 'mpe') {
    const mpe = dec(i.mpe!, '/accuracy/mpe');
    if (!valueOf(mpe).isPositive() || valueOf(mpe).isZero())
      fail('INVALID_FIELD', '/accuracy/mpe', 'a maximum permissible error is positive (give its magnitude; ± is implied)');
    return { kind: i.kind, mpe, unit: i.unit! };
  }
  if (i.kind === 'class') return { kind: i.kind, accuracyClass: i.accuracyClass! };
  const expandedUncertainty = dec(i.expandedUncertainty!, '/accuracy/expandedUncertainty');
  if (valueOf(expandedUncertainty).isNegative()) fail('NEGATIVE_UNCERTAINTY', '/accuracy/expandedUncertainty', 'an expanded uncertainty is never negative');
  const coverageFactor = dec(i.coverageFactor!, '/accuracy/coverageFactor');
  if (!valueOf(coverageFactor).isPositive() || valueOf(coverageFactor).isZero())
    fail('INVALID_FIELD', '/accuracy/coverageFactor', 'the coverage factor k is positive');
  return { kind: i.kind, expandedUncertainty, coverageFactor, unit: i.unit! };
}

export function toAssessment(i: Static<typeof Assessment>, path: string): AssessmentCertificate {
  return {
    certificateNo: checkIdentifier(i.certificateNo, `${path}/certificateNo`, 'the assessment certificate number'),
    validFrom: parseDate(i.validFrom, `${path}/validFrom`),
    validUntil: parseDate(i.validUntil, `${path}/validUntil`),
  };
}

export function toEquipment(i: EquipmentInputShape, newId: NewId): Equipment {
  return {
    id: i.id ?? newId(),
    ownerId: i.ownerId,
    name: i.name,
    assetCode: optionalIdentifier(i.assetCode, '/assetCode', 'the asset code'),
    serialNumber: optional(i.serialNumber),
    manufacturer: optional(i.manufacturer),
    model: optional(i.model),
    quantity: i.quantity,
    range: toRange(i.range, '/range'),
    accuracy: toAccuracy(i.accuracy),
    level: i.level,
    category: optional(i.category),
    usage: i.usage ?? 'other',
    status: i.status ?? 'in_service',
    assessment: i.assessment == null ? null : toAssessment(i.assessment, '/assessment'),
    realisation: optional(i.realisation),
    patternApprovalNo: optionalIdentifier(i.patternApprovalNo, '/patternApprovalNo', 'the pattern-approval number (型式批准编号)'),
  };
}

export const readEquipment = (raw: unknown, newId: NewId): Equipment => toEquipment(readContract(EquipmentInput, raw), newId);

function toPoint(p: NonNullable<RecordInputShape['points']>[number], path: string): MeasuredPoint {
  return {
    nominal: dec(p.nominal, `${path}/nominal`),
    asFound: optionalDec(p.asFound, `${path}/asFound`),
    asLeft: optionalDec(p.asLeft, `${path}/asLeft`),
    expandedUncertainty: optionalDec(p.expandedUncertainty, `${path}/expandedUncertainty`),
    coverageFactor: optionalDec(p.coverageFactor, `${path}/coverageFactor`),
    unit: p.unit,
  };
}

function toCondition(c: NonNullable<RecordInputShape['conditions']>[number], path: string): InfluenceCondition {
  if ((c.expandedUncertainty == null) !== (c.coverageFactor == null))
    fail('INCONSISTENT_RECORD', `${path}/coverageFactor`, 'give the expanded uncertainty and its coverage factor k together');
  return {
    name: c.name,
    value: dec(c.value, `${path}/value`),
    unit: c.unit,
    expandedUncertainty: optionalDec(c.expandedUncertainty, `${path}/expandedUncertainty`),
    coverageFactor: optionalDec(c.coverageFactor, `${path}/coverageFactor`),
  };
}

export function toRecord(i: RecordInputShape, newId: NewId): CalibrationRecord {
  const rec: CalibrationRecord = {
    id: i.id ?? newId(),
    kind: i.kind,
    subjectId: i.subjectId,
    labId: i.labId,
    referenceIds: [...(i.referenceIds ?? [])],
    certificateNo: checkIdentifier(i.certificateNo, '/certificateNo', 'the certificate number'),
    performedOn: parseDate(i.performedOn, '/performedOn'),
    validUntil: optionalDate(i.validUntil, '/validUntil'),
    conformity: optional(i.conformity),
    points: (i.points ?? []).map((p, n) => toPoint(p, `/points/${n}`)),
    supersedes: optional(i.supersedes),
    remarks: optional(i.remarks),
    decisionRule: i.decisionRule == null ? null : readRule(i.decisionRule, '/decisionRule'),
    conditions: (i.conditions ?? []).map((c, n) => toCondition(c, `/conditions/${n}`)),
    externalReferences: (i.externalReferences ?? []).map((v, n) => {
      if (v.trim() === '')
        fail(
          'INVALID_FIELD',
          `/externalReferences/${n}`,
          'an external reference is the name or identification of a standard outside this registry, 1–200 characters',
        );
      return v;
    }),
    verificationType: optional(i.verificationType),
    procedure: optional(i.procedure),
    verifier: optional(i.verifier),
    checker: optional(i.checker),
    approver: optional(i.approver),
    certificateKind: optional(i.certificateKind),
    labelNo: optionalIdentifier(i.labelNo, '/labelNo', 'the label number (合格证号)'),
    sealNo: optionalIdentifier(i.sealNo, '/sealNo', 'the seal number (封印号)'),
    customerName: optional(i.customerName),
  };
  // refused here already (not only by the registry's rules) so every reader of a record says the same
  checkDocumentFields(rec);
  return rec;
}

export const readRecord = (raw: unknown, newId: NewId): CalibrationRecord => toRecord(readContract(RecordInput, raw), newId);

/**
 * A record built in code (a DCC import) held to the record's contract, as one
 * read from JSON is: its structure, printed identifiers and document fields.
 * A record's fields are its contract's (decimals and dates as text) but for
 * the decision rule, written back for the check.
 */
export function conformingRecord(record: CalibrationRecord): CalibrationRecord {
  const shape = { ...record, decisionRule: record.decisionRule && writeRule(record.decisionRule) };
  return toRecord(readContract(RecordInput, shape), () => record.id);
}

// ---- writing ----------------------------------------------------------------

export function writeOrganisation(o: Organisation) {
  return { id: o.id, name: o.name, kind: o.kind, regionCode: o.regionCode, accreditation: o.accreditation };
}

function writeRange(r: MeasuringRange | null) {
  return r === null ? null : { min: r.min, max: r.max, unit: r.unit };
}

export function writeScope(s: LabScope) {
  return {
    id: s.id,
    labId: s.labId,
    quantity: s.quantity,
    category: s.category,
    range: writeRange(s.range),
    mandatoryVerification: s.mandatoryVerification,
    validFrom: s.validFrom,
    validUntil: s.validUntil,
    authorisationNo: s.authorisationNo ?? null,
    issuedBy: s.issuedBy ?? null,
  };
}

function writeAccuracy(a: Accuracy) {
  switch (a.kind) {
    case 'mpe':
      return { kind: a.kind, mpe: a.mpe, unit: a.unit };
    case 'class':
      return { kind: a.kind, accuracyClass: a.accuracyClass };
    case 'expanded':
      return { kind: a.kind, expandedUncertainty: a.expandedUncertainty, coverageFactor: a.coverageFactor, unit: a.unit };
  }
}

export function writeEquipment(e: Equipment) {
  return {
    id: e.id,
    ownerId: e.ownerId,
    name: e.name,
    assetCode: e.assetCode,
    serialNumber: e.serialNumber,
    manufacturer: e.manufacturer,
    model: e.model,
    quantity: e.quantity,
    range: writeRange(e.range),
    accuracy: writeAccuracy(e.accuracy),
    level: e.level,
    category: e.category,
    usage: e.usage,
    status: e.status,
    assessment: e.assessment,
    realisation: e.realisation,
    patternApprovalNo: e.patternApprovalNo ?? null,
  };
}

export function writeRecord(rec: CalibrationRecord, supersededBy: string | null = null) {
  return {
    id: rec.id,
    kind: rec.kind,
    subjectId: rec.subjectId,
    labId: rec.labId,
    referenceIds: [...rec.referenceIds],
    certificateNo: rec.certificateNo,
    performedOn: rec.performedOn,
    validUntil: rec.validUntil,
    conformity: rec.conformity,
    points: rec.points.map((p) => ({
      nominal: p.nominal,
      asFound: p.asFound,
      asLeft: p.asLeft,
      expandedUncertainty: p.expandedUncertainty,
      coverageFactor: p.coverageFactor,
      unit: p.unit,
    })),
    supersedes: rec.supersedes,
    supersededBy,
    decisionRule: rec.decisionRule ? writeRule(rec.decisionRule) : null,
    conditions: (rec.conditions ?? []).map((c) => ({ ...c })),
    externalReferences: [...(rec.externalReferences ?? [])],
    remarks: rec.remarks,
    verificationType: rec.verificationType ?? null,
    procedure: rec.procedure ?? null,
    verifier: rec.verifier ?? null,
    checker: rec.checker ?? null,
    approver: rec.approver ?? null,
    // as stated, or the one the record is issued as (never absent on the wire)
    certificateKind: documentOf(rec),
    labelNo: rec.labelNo ?? null,
    sealNo: rec.sealNo ?? null,
    customerName: rec.customerName ?? null,
  };
}
