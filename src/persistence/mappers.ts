/**
 * Row ⇄ domain. The only place where numeric column text becomes a Decimal and
 * back; the database gives numerics as exact text, so nothing passes a float.
 */
import { readRule, writeRule } from '../codecs/conformity.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { DecimalText } from '../core/numeric/decimal.ts';
import type {
  Cmc,
  InfluenceCondition,
  Accuracy,
  CalibrationRecord,
  Equipment,
  LabScope,
  MeasuredPoint,
  MeasuringRange,
  Organisation,
} from '../core/registry/types.ts';
import type {
  CertificateKind,
  Conformity,
  VerificationType,
  EquipmentStatus,
  HierarchyLevel,
  OrganisationKind,
  QuantityKind,
  RecordKind,
  Usage,
} from '../core/registry/vocabulary.ts';
import type { calibrationRecords, equipment, labCmcs, labCmcVersions, labScopes, labScopeVersions, measuredPoints, organisations } from './schema/registry.ts';
import { type CmcVersion, originalVersion, type ScopeVersion } from '../core/registry/versions.ts';
import { groupBy } from './sql-helpers.ts';

type OrgRow = typeof organisations.$inferSelect;
type ScopeRow = typeof labScopes.$inferSelect;
type EquipmentRow = typeof equipment.$inferSelect;
type RecordRow = typeof calibrationRecords.$inferSelect;
type PointRow = typeof measuredPoints.$inferSelect;

const dec = (s: string | null): DecimalText | null => s as DecimalText | null;
const text = (d: DecimalText | null): string | null => d;
const date = (s: string | null): CalendarDate | null => s as CalendarDate | null;

export function organisationFromRow(r: OrgRow): Organisation {
  return { id: r.id, name: r.name, kind: r.kind as OrganisationKind, regionCode: r.regionCode, accreditation: r.accreditation };
}

export function organisationToRow(o: Organisation): typeof organisations.$inferInsert {
  return { id: o.id, name: o.name, kind: o.kind, regionCode: o.regionCode, accreditation: o.accreditation };
}

function rangeFromColumns(min: string | null, max: string | null, unit: string | null): MeasuringRange | null {
  return unit === null ? null : { min: dec(min), max: dec(max), unit };
}

export function scopeFromRow(r: ScopeRow): LabScope {
  return {
    id: r.id,
    labId: r.labId,
    quantity: r.quantity as QuantityKind,
    category: r.category,
    range: rangeFromColumns(r.rangeMin, r.rangeMax, r.rangeUnit),
    mandatoryVerification: r.mandatoryVerification,
    validFrom: r.validFrom as CalendarDate,
    validUntil: r.validUntil as CalendarDate,
    authorisationNo: r.authorisationNo ?? null,
    issuedBy: r.issuedBy ?? null,
  };
}

type ScopeVersionRow = typeof labScopeVersions.$inferSelect;
type CmcVersionRow = typeof labCmcVersions.$inferSelect;

/** A scope's amendment row as a version: the scope's fixed fields (lab, quantity, validFrom) with the amended ones. */
export function scopeVersionFromRow(scope: LabScope, r: ScopeVersionRow): ScopeVersion {
  const state: LabScope | null =
    r.kind === 'withdraw'
      ? null
      : {
          ...scope,
          category: r.category,
          range: rangeFromColumns(r.rangeMin, r.rangeMax, r.rangeUnit),
          mandatoryVerification: r.mandatoryVerification!,
          validUntil: r.validUntil as CalendarDate,
          authorisationNo: r.authorisationNo,
          issuedBy: r.issuedBy,
        };
  return {
    id: r.id,
    subjectId: r.scopeId,
    version: r.version,
    kind: r.kind as ScopeVersion['kind'],
    effectiveFrom: r.effectiveFrom as CalendarDate,
    reason: r.reason,
    state,
  };
}

export function scopeVersionToRow(v: ScopeVersion): typeof labScopeVersions.$inferInsert {
  const s = v.state;
  return {
    id: v.id,
    scopeId: v.subjectId,
    version: v.version,
    kind: v.kind,
    effectiveFrom: v.effectiveFrom,
    reason: v.reason,
    category: s?.category ?? null,
    rangeMin: text(s?.range?.min ?? null),
    rangeMax: text(s?.range?.max ?? null),
    rangeUnit: s?.range?.unit ?? null,
    mandatoryVerification: s ? s.mandatoryVerification : null,
    validUntil: s?.validUntil ?? null,
    authorisationNo: s?.authorisationNo ?? null,
    issuedBy: s?.issuedBy ?? null,
  };
}

export function cmcFromRow(r: typeof labCmcs.$inferSelect): Cmc {
  return {
    id: r.id,
    labId: r.labId,
    quantity: r.quantity as QuantityKind,
    range: { min: dec(r.rangeMin), max: dec(r.rangeMax), unit: r.rangeUnit },
    expandedUncertainty: dec(r.expandedUncertainty),
    relativeExpandedUncertainty: dec(r.relativeExpandedUncertainty),
    coverageFactor: r.coverageFactor as DecimalText,
    validFrom: r.validFrom as CalendarDate,
    validUntil: r.validUntil as CalendarDate,
  };
}

/** A CMC's amendment row as a version: the CMC's lab, quantity and validFrom with the amended fields. */
export function cmcVersionFromRow(cmc: Cmc, r: CmcVersionRow): CmcVersion {
  const state: Cmc | null =
    r.kind === 'withdraw'
      ? null
      : {
          ...cmc,
          range: { min: dec(r.rangeMin), max: dec(r.rangeMax), unit: r.rangeUnit! },
          expandedUncertainty: dec(r.expandedUncertainty),
          relativeExpandedUncertainty: dec(r.relativeExpandedUncertainty),
          coverageFactor: r.coverageFactor as DecimalText,
          validUntil: r.validUntil as CalendarDate,
        };
  return {
    id: r.id,
    subjectId: r.cmcId,
    version: r.version,
    kind: r.kind as CmcVersion['kind'],
    effectiveFrom: r.effectiveFrom as CalendarDate,
    reason: r.reason,
    state,
  };
}

export function cmcVersionToRow(v: CmcVersion): typeof labCmcVersions.$inferInsert {
  const c = v.state;
  return {
    id: v.id,
    cmcId: v.subjectId,
    version: v.version,
    kind: v.kind,
    effectiveFrom: v.effectiveFrom,
    reason: v.reason,
    rangeMin: text(c?.range.min ?? null),
    rangeMax: text(c?.range.max ?? null),
    rangeUnit: c?.range.unit ?? null,
    expandedUncertainty: text(c?.expandedUncertainty ?? null),
    relativeExpandedUncertainty: text(c?.relativeExpandedUncertainty ?? null),
    coverageFactor: text(c?.coverageFactor ?? null),
    validUntil: c?.validUntil ?? null,
  };
}

export function scopeToRow(s: LabScope): typeof labScopes.$inferInsert {
  return {
    id: s.id,
    labId: s.labId,
    quantity: s.quantity,
    category: s.category,
    rangeMin: text(s.range?.min ?? null),
    rangeMax: text(s.range?.max ?? null),
    rangeUnit: s.range?.unit ?? null,
    mandatoryVerification: s.mandatoryVerification,
    validFrom: s.validFrom,
    validUntil: s.validUntil,
    authorisationNo: s.authorisationNo ?? null,
    issuedBy: s.issuedBy ?? null,
  };
}

function accuracyFromRow(r: EquipmentRow): Accuracy {
  switch (r.accuracyKind) {
    case 'mpe':
      return { kind: 'mpe', mpe: r.mpe! as DecimalText, unit: r.accuracyUnit ?? r.rangeUnit };
    case 'class':
      return { kind: 'class', accuracyClass: r.accuracyClass! };
    default:
      return {
        kind: 'expanded',
        expandedUncertainty: r.expandedUncertainty! as DecimalText,
        coverageFactor: r.coverageFactor! as DecimalText,
        unit: r.accuracyUnit ?? r.rangeUnit,
      };
  }
}

export function equipmentFromRow(r: EquipmentRow): Equipment {
  return {
    id: r.id,
    ownerId: r.ownerId,
    name: r.name,
    assetCode: r.assetCode,
    serialNumber: r.serialNumber,
    manufacturer: r.manufacturer,
    model: r.model,
    quantity: r.quantity as QuantityKind,
    range: rangeFromColumns(r.rangeMin, r.rangeMax, r.rangeUnit)!,
    accuracy: accuracyFromRow(r),
    level: r.level as HierarchyLevel,
    category: r.category,
    usage: r.usage as Usage,
    status: r.status as EquipmentStatus,
    assessment:
      r.assessmentNo === null
        ? null
        : { certificateNo: r.assessmentNo, validFrom: r.assessmentValidFrom as CalendarDate, validUntil: r.assessmentValidUntil as CalendarDate },
    realisation: r.realisation,
    patternApprovalNo: r.patternApprovalNo ?? null,
  };
}

export function equipmentToRow(e: Equipment): typeof equipment.$inferInsert {
  const a = e.accuracy;
  return {
    id: e.id,
    ownerId: e.ownerId,
    name: e.name,
    assetCode: e.assetCode,
    serialNumber: e.serialNumber,
    manufacturer: e.manufacturer,
    model: e.model,
    quantity: e.quantity,
    rangeMin: text(e.range.min),
    rangeMax: text(e.range.max),
    rangeUnit: e.range.unit,
    accuracyKind: a.kind,
    mpe: a.kind === 'mpe' ? a.mpe : null,
    accuracyClass: a.kind === 'class' ? a.accuracyClass : null,
    expandedUncertainty: a.kind === 'expanded' ? a.expandedUncertainty : null,
    coverageFactor: a.kind === 'expanded' ? a.coverageFactor : null,
    accuracyUnit: a.kind === 'class' ? null : a.unit,
    level: e.level,
    category: e.category,
    usage: e.usage,
    status: e.status,
    assessmentNo: e.assessment?.certificateNo ?? null,
    assessmentValidFrom: e.assessment?.validFrom ?? null,
    assessmentValidUntil: e.assessment?.validUntil ?? null,
    realisation: e.realisation,
    patternApprovalNo: e.patternApprovalNo ?? null,
  };
}

export function pointFromRow(p: PointRow): MeasuredPoint {
  return {
    nominal: p.nominal as DecimalText,
    asFound: dec(p.asFound),
    asLeft: dec(p.asLeft),
    expandedUncertainty: dec(p.expandedUncertainty),
    coverageFactor: dec(p.coverageFactor),
    unit: p.unit,
  };
}

export function pointToRow(recordId: string, seq: number, p: MeasuredPoint): typeof measuredPoints.$inferInsert {
  return {
    recordId,
    seq,
    nominal: p.nominal,
    asFound: text(p.asFound),
    asLeft: text(p.asLeft),
    expandedUncertainty: text(p.expandedUncertainty),
    coverageFactor: text(p.coverageFactor),
    unit: p.unit,
  };
}

export function recordFromRow(r: RecordRow, referenceIds: string[], points: MeasuredPoint[]): CalibrationRecord {
  return {
    id: r.id,
    kind: r.kind as RecordKind,
    subjectId: r.subjectId,
    labId: r.labId,
    referenceIds,
    certificateNo: r.certificateNo,
    performedOn: r.performedOn as CalendarDate,
    validUntil: (r.validUntil ?? null) as CalendarDate | null,
    conformity: r.conformity as Conformity | null,
    points,
    supersedes: r.supersedes,
    remarks: r.remarks,
    decisionRule: r.decisionRule ? readRule(r.decisionRule, '/decisionRule') : null,
    conditions: (r.conditions as InfluenceCondition[] | null) ?? [],
    externalReferences: (r.externalReferences as string[] | null) ?? [],
    // `?? null`: some queries select only the columns they need (recordsUsingSince)
    verificationType: (r.verificationType ?? null) as VerificationType | null,
    procedure: r.procedure ?? null,
    verifier: r.verifier ?? null,
    checker: r.checker ?? null,
    approver: r.approver ?? null,
    certificateKind: (r.certificateKind ?? null) as CertificateKind | null,
    labelNo: r.labelNo ?? null,
    sealNo: r.sealNo ?? null,
    customerName: r.customerName ?? null,
  };
}

export function recordToRow(r: CalibrationRecord): typeof calibrationRecords.$inferInsert {
  return {
    id: r.id,
    kind: r.kind,
    subjectId: r.subjectId,
    labId: r.labId,
    certificateNo: r.certificateNo,
    performedOn: r.performedOn,
    validUntil: r.validUntil,
    conformity: r.conformity,
    supersedes: r.supersedes,
    remarks: r.remarks,
    decisionRule: r.decisionRule ? writeRule(r.decisionRule) : null,
    conditions: r.conditions && r.conditions.length > 0 ? r.conditions : null,
    externalReferences: r.externalReferences && r.externalReferences.length > 0 ? [...r.externalReferences] : null,
    verificationType: r.verificationType ?? null,
    procedure: r.procedure ?? null,
    verifier: r.verifier ?? null,
    checker: r.checker ?? null,
    approver: r.approver ?? null,
    certificateKind: r.certificateKind ?? null,
    labelNo: r.labelNo ?? null,
    sealNo: r.sealNo ?? null,
    customerName: r.customerName ?? null,
  };
}

export { date as asCalendarDate };

/** Each scope's history: as created, then its amendments in version order (rows of any of the scopes). */
export function scopeHistoriesOf(scopes: readonly LabScope[], amendments: ReadonlyArray<typeof labScopeVersions.$inferSelect>): ScopeVersion[][] {
  const byScope = groupBy(
    [...amendments],
    (a) => a.scopeId,
    (a) => a,
  );
  return scopes.map((scope) => [originalVersion(scope), ...(byScope.get(scope.id) ?? []).map((a) => scopeVersionFromRow(scope, a))]);
}

export function cmcHistoriesOf(cmcs: readonly Cmc[], amendments: ReadonlyArray<typeof labCmcVersions.$inferSelect>): CmcVersion[][] {
  const byCmc = groupBy(
    [...amendments],
    (a) => a.cmcId,
    (a) => a,
  );
  return cmcs.map((cmc) => [originalVersion(cmc), ...(byCmc.get(cmc.id) ?? []).map((a) => cmcVersionFromRow(cmc, a))]);
}
