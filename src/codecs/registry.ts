/**
 * JSON ⇄ registry values. The wire form has decimals and dates as strings;
 * reading checks every field and rejects unknown ones; writing gives the
 * canonical wire form that the API and exports share.
 */
import { valueOf } from '../core/numeric/decimal.ts';
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
import {
  ACCURACY_KINDS,
  CERTIFICATE_KINDS,
  certificateKindOf,
  CONFORMITY,
  EQUIPMENT_STATUSES,
  HIERARCHY_LEVELS,
  ORGANISATION_KINDS,
  QUANTITIES,
  RECORD_KINDS,
  USAGES,
  VERIFICATION_TYPES,
} from '../core/registry/vocabulary.ts';
import { checkDocumentFields } from '../core/registry/rules.ts';
import { fail } from '../core/errors.ts';
import { checkIdentifier } from '../core/registry/identifier.ts';
import { ObjectReader } from './reader.ts';
import {
  AMENDMENT_KINDS,
  type AmendmentHead,
  type CmcChanges,
  type CmcVersion,
  type ScopeChanges,
  type ScopeVersion,
  type Version,
} from '../core/registry/versions.ts';
import { readRule, writeRule } from './conformity.ts';

/** Ids chosen by callers: letters, digits and . _ - (so they are safe in URLs and files). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const ID_HINT = 'an id is 1–64 letters, digits, dots, underscores or hyphens, starting with a letter or digit';
const REGION_PATTERN = /^\d{6}$/;
const UNIT_OPTS = { max: 32 };

export type NewId = () => string;

function readId(r: ObjectReader, newId: NewId): string {
  return r.optionalString('id', { pattern: ID_PATTERN, hint: ID_HINT }) ?? newId();
}

/** An optional printed identifier (an asset code): at most 100 characters, no look-alikes. */
function optionalIdentifier(r: ObjectReader, key: string, what: string): string | null {
  const v = r.optionalString(key, { max: 100 });
  return v === null ? null : checkIdentifier(v, r.at(key), what);
}

function ref(r: ObjectReader, key: string): string {
  return r.string(key, { pattern: ID_PATTERN, hint: ID_HINT });
}

export function readOrganisation(raw: unknown, newId: NewId): Organisation {
  const r = ObjectReader.of(raw, '');
  const org: Organisation = {
    id: readId(r, newId),
    name: r.string('name', { max: 200 }),
    kind: r.oneOf('kind', ORGANISATION_KINDS),
    regionCode: r.string('regionCode', {
      pattern: REGION_PATTERN,
      hint: 'a region code is the six-digit administrative division code of GB/T 2260, e.g. "310000"',
    }),
    accreditation: r.optionalString('accreditation', { max: 100 }),
  };
  r.done();
  return org;
}

function readRange(r: ObjectReader | null): MeasuringRange | null {
  if (!r) return null;
  const range = { min: r.optionalDecimalText('min'), max: r.optionalDecimalText('max'), unit: r.string('unit', UNIT_OPTS) };
  r.done();
  return range;
}

export function readScope(raw: unknown, labId: string, newId: NewId): LabScope {
  const r = ObjectReader.of(raw, '');
  const scope: LabScope = {
    id: readId(r, newId),
    labId,
    quantity: r.oneOf('quantity', QUANTITIES),
    category: r.optionalString('category', { max: 32 }),
    range: readRange(r.optionalObject('range')),
    mandatoryVerification: r.boolean('mandatoryVerification', false),
    validFrom: r.date('validFrom'),
    validUntil: r.date('validUntil'),
    authorisationNo: optionalIdentifier(r, 'authorisationNo', 'the authorisation certificate number'),
    issuedBy: r.optionalString('issuedBy', { pattern: ID_PATTERN, hint: ID_HINT }),
  };
  r.done();
  return scope;
}

/** The head of an amendment: its id, kind, effective date and reason. */
function readAmendmentHead(r: ObjectReader, newId: NewId): AmendmentHead {
  return {
    id: readId(r, newId),
    kind: r.oneOf('kind', AMENDMENT_KINDS),
    effectiveFrom: r.date('effectiveFrom'),
    reason: r.optionalString('reason', { max: 2000 }),
  };
}

/** A field an amendment may set: absent (undefined) keeps it, null clears it where it may be cleared. */
function change<T>(r: ObjectReader, key: string, read: () => T): T | undefined {
  return r.has(key) ? read() : (r.value(key), undefined);
}

/**
 * `POST …/scopes/{scopeId}/amendments`: `{ kind: 'amend' | 'withdraw',
 * effectiveFrom, reason?, …the fields that change }`. A field left out is
 * carried over from the version before; `category`, `range`,
 * `authorisationNo` and `issuedBy` may be set to null (a scope for the whole
 * quantity, over any range).
 */
export function readScopeAmendment(raw: unknown, newId: NewId): { head: AmendmentHead; changes: ScopeChanges } {
  const r = ObjectReader.of(raw, '');
  const head = readAmendmentHead(r, newId);
  const changes: ScopeChanges = {
    category: change(r, 'category', () => r.optionalString('category', { max: 32 })),
    range: change(r, 'range', () => readRange(r.optionalObject('range'))),
    mandatoryVerification: change(r, 'mandatoryVerification', () => r.boolean('mandatoryVerification')),
    validUntil: change(r, 'validUntil', () => r.date('validUntil')),
    authorisationNo: change(r, 'authorisationNo', () => optionalIdentifier(r, 'authorisationNo', 'the authorisation certificate number')),
    issuedBy: change(r, 'issuedBy', () => r.optionalString('issuedBy', { pattern: ID_PATTERN, hint: ID_HINT })),
  };
  r.done();
  return { head, changes };
}

/** `POST …/cmcs/{cmcId}/amendments`: as for a scope; range, the uncertainty (either form), coverageFactor, validUntil. */
export function readCmcAmendment(raw: unknown, newId: NewId): { head: AmendmentHead; changes: CmcChanges } {
  const r = ObjectReader.of(raw, '');
  const head = readAmendmentHead(r, newId);
  const changes: CmcChanges = {
    range: change(r, 'range', () => readRange(r.object('range'))!),
    expandedUncertainty: change(r, 'expandedUncertainty', () => r.decimalText('expandedUncertainty')),
    relativeExpandedUncertainty: change(r, 'relativeExpandedUncertainty', () => r.decimalText('relativeExpandedUncertainty')),
    coverageFactor: change(r, 'coverageFactor', () => r.decimalText('coverageFactor')),
    validUntil: change(r, 'validUntil', () => r.date('validUntil')),
  };
  r.done();
  return { head, changes };
}

/** One version of a scope or CMC on the wire: what it is, when it took effect, and the content then (null once withdrawn). */
function writeVersion<T, W>(v: Version<T>, write: (t: T) => W) {
  return { id: v.id, version: v.version, kind: v.kind, effectiveFrom: v.effectiveFrom, reason: v.reason, state: v.state === null ? null : write(v.state) };
}

export const writeScopeVersion = (v: ScopeVersion) => ({ scopeId: v.subjectId, ...writeVersion(v, writeScope) });
export const writeCmcVersion = (v: CmcVersion) => ({ cmcId: v.subjectId, ...writeVersion(v, writeCmc) });

export function readCmc(raw: unknown, labId: string, newId: NewId): Cmc {
  const r = ObjectReader.of(raw, '');
  const range = readRange(r.object('range'))!;
  const cmc: Cmc = {
    id: readId(r, newId),
    labId,
    quantity: r.oneOf('quantity', QUANTITIES),
    range,
    expandedUncertainty: r.optionalDecimalText('expandedUncertainty'),
    relativeExpandedUncertainty: r.optionalDecimalText('relativeExpandedUncertainty'),
    coverageFactor: r.decimalText('coverageFactor'),
    validFrom: r.date('validFrom'),
    validUntil: r.date('validUntil'),
  };
  r.done();
  return cmc;
}

export function writeCmc(c: Cmc) {
  return { ...c, range: writeRange(c.range) };
}

function readAccuracy(r: ObjectReader): Accuracy {
  const kind = r.oneOf('kind', ACCURACY_KINDS);
  let accuracy: Accuracy;
  if (kind === 'mpe') {
    const mpe = r.decimalText('mpe');
    if (!valueOf(mpe).isPositive() || valueOf(mpe).isZero())
      fail('INVALID_FIELD', r.at('mpe'), 'a maximum permissible error is positive (give its magnitude; ± is implied)');
    accuracy = { kind, mpe, unit: r.string('unit', UNIT_OPTS) };
  } else if (kind === 'class') {
    accuracy = { kind, accuracyClass: r.string('accuracyClass', { max: 32 }) };
  } else {
    const expandedUncertainty = r.decimalText('expandedUncertainty');
    if (valueOf(expandedUncertainty).isNegative()) fail('NEGATIVE_UNCERTAINTY', r.at('expandedUncertainty'), 'an expanded uncertainty is never negative');
    const coverageFactor = r.decimalText('coverageFactor');
    if (!valueOf(coverageFactor).isPositive() || valueOf(coverageFactor).isZero())
      fail('INVALID_FIELD', r.at('coverageFactor'), 'the coverage factor k is positive');
    accuracy = { kind, expandedUncertainty, coverageFactor, unit: r.string('unit', UNIT_OPTS) };
  }
  r.done();
  return accuracy;
}

export function readAssessment(r: ObjectReader | null): AssessmentCertificate | null {
  if (!r) return null;
  const a = {
    certificateNo: checkIdentifier(r.string('certificateNo', { max: 100 }), r.at('certificateNo'), 'the assessment certificate number'),
    validFrom: r.date('validFrom'),
    validUntil: r.date('validUntil'),
  };
  r.done();
  return a;
}

export function readEquipment(raw: unknown, newId: NewId): Equipment {
  const r = ObjectReader.of(raw, '');
  const range = readRange(r.object('range'));
  const e: Equipment = {
    id: readId(r, newId),
    ownerId: ref(r, 'ownerId'),
    name: r.string('name', { max: 200 }),
    assetCode: optionalIdentifier(r, 'assetCode', 'the asset code'),
    serialNumber: r.optionalString('serialNumber', { max: 100 }),
    manufacturer: r.optionalString('manufacturer', { max: 200 }),
    model: r.optionalString('model', { max: 100 }),
    quantity: r.oneOf('quantity', QUANTITIES),
    range: range!,
    accuracy: readAccuracy(r.object('accuracy')),
    level: r.oneOf('level', HIERARCHY_LEVELS),
    category: r.optionalString('category', { max: 32 }),
    usage: r.optionalOneOf('usage', USAGES) ?? 'other',
    status: r.optionalOneOf('status', EQUIPMENT_STATUSES) ?? 'in_service',
    assessment: readAssessment(r.optionalObject('assessment')),
    realisation: r.optionalString('realisation', { max: 500 }),
    patternApprovalNo: optionalIdentifier(r, 'patternApprovalNo', 'the pattern-approval number (型式批准编号)'),
  };
  r.done();
  return e;
}

function readPoint(raw: unknown, path: string): MeasuredPoint {
  const r = ObjectReader.of(raw, path);
  const p: MeasuredPoint = {
    nominal: r.decimalText('nominal'),
    asFound: r.optionalDecimalText('asFound'),
    asLeft: r.optionalDecimalText('asLeft'),
    expandedUncertainty: r.optionalDecimalText('expandedUncertainty'),
    coverageFactor: r.optionalDecimalText('coverageFactor'),
    unit: r.string('unit', UNIT_OPTS),
  };
  r.done();
  return p;
}

function readCondition(raw: unknown, path: string): InfluenceCondition {
  const r = ObjectReader.of(raw, path, 'an influence condition');
  const c = {
    name: r.string('name', { max: 100 }),
    value: r.decimalText('value'),
    unit: r.string('unit', UNIT_OPTS),
    expandedUncertainty: r.optionalDecimalText('expandedUncertainty'),
    coverageFactor: r.optionalDecimalText('coverageFactor'),
  };
  r.done();
  if ((c.expandedUncertainty === null) !== (c.coverageFactor === null))
    fail('INCONSISTENT_RECORD', `${path}/coverageFactor`, 'give the expanded uncertainty and its coverage factor k together');
  return c;
}

export function readRecord(raw: unknown, newId: NewId): CalibrationRecord {
  const r = ObjectReader.of(raw, '');
  const rec: CalibrationRecord = {
    id: readId(r, newId),
    kind: r.oneOf('kind', RECORD_KINDS),
    subjectId: ref(r, 'subjectId'),
    labId: ref(r, 'labId'),
    referenceIds: r.array('referenceIds', { optional: true, max: 50 }).map((v, i) => {
      if (typeof v !== 'string' || !ID_PATTERN.test(v)) fail('INVALID_FIELD', `/referenceIds/${i}`, ID_HINT);
      return v;
    }),
    certificateNo: checkIdentifier(r.string('certificateNo', { max: 100 }), r.at('certificateNo'), 'the certificate number'),
    performedOn: r.date('performedOn'),
    validUntil: r.optionalDate('validUntil'),
    conformity: r.optionalOneOf('conformity', CONFORMITY),
    points: r.array('points', { optional: true, max: 1000 }).map((p, i) => readPoint(p, `/points/${i}`)),
    supersedes: r.optionalString('supersedes', { pattern: ID_PATTERN, hint: ID_HINT }),
    remarks: r.optionalString('remarks', { max: 2000 }),
    decisionRule:
      r.has('decisionRule') && r.raw['decisionRule'] !== null ? readRule(r.value('decisionRule'), '/decisionRule') : (r.value('decisionRule'), null),
    conditions: r.array('conditions', { optional: true, max: 50 }).map((c, i) => readCondition(c, `/conditions/${i}`)),
    externalReferences: r.array('externalReferences', { optional: true, max: 50 }).map((v, i) => {
      if (typeof v !== 'string' || v.trim() === '' || v.length > 200)
        fail(
          'INVALID_FIELD',
          `/externalReferences/${i}`,
          'an external reference is the name or identification of a standard outside this registry, 1–200 characters',
        );
      return v;
    }),
    verificationType: r.optionalOneOf('verificationType', VERIFICATION_TYPES),
    procedure: r.optionalString('procedure', { max: 200 }),
    verifier: r.optionalString('verifier', { max: 100 }),
    checker: r.optionalString('checker', { max: 100 }),
    approver: r.optionalString('approver', { max: 100 }),
    certificateKind: r.optionalOneOf('certificateKind', CERTIFICATE_KINDS),
    labelNo: optionalIdentifier(r, 'labelNo', 'the label number (合格证号)'),
    sealNo: optionalIdentifier(r, 'sealNo', 'the seal number (封印号)'),
    customerName: r.optionalString('customerName', { max: 200 }),
  };
  r.done();
  // refused here already (not only by the registry's rules) so every reader of a record says the same
  checkDocumentFields(rec);
  return rec;
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
    certificateKind: rec.certificateKind ?? certificateKindOf(rec.kind, rec.conformity),
    labelNo: rec.labelNo ?? null,
    sealNo: rec.sealNo ?? null,
    customerName: rec.customerName ?? null,
  };
}
