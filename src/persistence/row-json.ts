/**
 * Rows as JSON built inside PostgreSQL, and back to domain values: for
 * statements that return a whole document in one round trip (the traceability
 * closure, an equipment's events). Every numeric and date is cast to text in
 * SQL, so no value passes through a JSON number.
 */
import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../core/dates.ts';
import type { CalibrationRecord, Equipment, Organisation } from '../core/registry/types.ts';
import type { EquipmentEvent, EventKind } from '../core/registry/events.ts';
import { equipmentFromRow, organisationFromRow, pointFromRow, recordFromRow } from './mappers.ts';
import type { calibrationRecords, equipment, measuredPoints, organisations } from './schema/registry.ts';

/** An equipment event as JSON built in SQL (dates as text). */
export const EVENT_JSON = sql.raw(`json_build_object('id', ev.id, 'equipmentId', ev.equipment_id, 'kind', ev.kind, 'effectiveOn', ev.effective_on::text,
  'reason', ev.reason, 'assessmentNo', ev.assessment_no, 'assessmentValidFrom', ev.assessment_valid_from::text,
  'assessmentValidUntil', ev.assessment_valid_until::text, 'newOwnerId', ev.new_owner_id, 'location', ev.location)`);

export interface EventJson {
  id: string;
  equipmentId: string;
  kind: EventKind;
  effectiveOn: string;
  reason: string | null;
  assessmentNo: string | null;
  assessmentValidFrom: string | null;
  assessmentValidUntil: string | null;
  newOwnerId: string | null;
  location: string | null;
}

export function eventFromJson(j: EventJson): EquipmentEvent {
  return {
    id: j.id,
    equipmentId: j.equipmentId,
    kind: j.kind,
    effectiveOn: j.effectiveOn as CalendarDate,
    reason: j.reason,
    assessment:
      j.assessmentNo === null
        ? null
        : { certificateNo: j.assessmentNo, validFrom: j.assessmentValidFrom as CalendarDate, validUntil: j.assessmentValidUntil as CalendarDate },
    newOwnerId: j.newOwnerId,
    location: j.location,
  };
}

/*
 * Rows as JSON objects built inside PostgreSQL, with the drizzle row's field
 * names and every numeric and date cast to text (no value passes through a JSON
 * number): for statements that return a whole document in one round trip.
 * The table aliases are fixed: e (equipment), r (calibration_records), o (organisations).
 */
export const EQUIPMENT_JSON = sql.raw(`json_build_object(
          'id', e.id, 'ownerId', e.owner_id, 'name', e.name, 'assetCode', e.asset_code, 'serialNumber', e.serial_number,
          'manufacturer', e.manufacturer, 'model', e.model, 'quantity', e.quantity, 'rangeMin', e.range_min::text,
          'rangeMax', e.range_max::text, 'rangeUnit', e.range_unit, 'accuracyKind', e.accuracy_kind, 'mpe', e.mpe::text,
          'accuracyClass', e.accuracy_class, 'expandedUncertainty', e.expanded_uncertainty::text, 'coverageFactor', e.coverage_factor::text,
          'accuracyUnit', e.accuracy_unit, 'level', e.level, 'category', e.category, 'usage', e.usage, 'status', e.status,
          'assessmentNo', e.assessment_no, 'assessmentValidFrom', e.assessment_valid_from::text,
          'assessmentValidUntil', e.assessment_valid_until::text, 'realisation', e.realisation,
          'patternApprovalNo', e.pattern_approval_no)`);
export const RECORD_JSON = sql.raw(`json_build_object(
          'id', r.id, 'kind', r.kind, 'subjectId', r.subject_id, 'labId', r.lab_id, 'certificateNo', r.certificate_no,
          'performedOn', r.performed_on::text, 'validUntil', r.valid_until::text, 'conformity', r.conformity,
          'supersedes', r.supersedes, 'remarks', r.remarks, 'decisionRule', r.decision_rule, 'conditions', r.conditions,
          'externalReferences', r.external_references, 'verificationType', r.verification_type, 'procedure', r.procedure,
          'verifier', r.verifier, 'checker', r.checker, 'approver', r.approver, 'certificateKind', r.certificate_kind,
          'labelNo', r.label_no, 'sealNo', r.seal_no, 'customerName', r.customer_name,
          'refs', (select coalesce(json_agg(rr.reference_id order by rr.position), '[]'::json) from record_references rr where rr.record_id = r.id),
          'points', (select coalesce(json_agg(json_build_object('nominal', p.nominal::text, 'asFound', p.as_found::text, 'asLeft', p.as_left::text,
            'expandedUncertainty', p.expanded_uncertainty::text, 'coverageFactor', p.coverage_factor::text, 'unit', p.unit) order by p.seq), '[]'::json)
            from measured_points p where p.record_id = r.id))`);
export const ORGANISATION_JSON = sql.raw(
  `json_build_object('id', o.id, 'name', o.name, 'kind', o.kind, 'regionCode', o.region_code, 'accreditation', o.accreditation)`,
);
export const ROW_JSON = { equipment: EQUIPMENT_JSON, record: RECORD_JSON, organisation: ORGANISATION_JSON } as const;

export type JsonRecord = { id: string; subjectId: string; refs: string[]; points: Array<Record<string, string | null>> } & Record<string, unknown>;
export const equipmentFromJson = (r: Record<string, unknown>): Equipment => equipmentFromRow(r as unknown as typeof equipment.$inferSelect);
export const organisationFromJson = (o: Record<string, unknown>): Organisation => organisationFromRow(o as unknown as typeof organisations.$inferSelect);
export function recordFromJson(r: JsonRecord): CalibrationRecord {
  const points = r.points.map((p, seq) => pointFromRow({ ...p, recordId: r.id, seq } as unknown as typeof measuredPoints.$inferSelect));
  return recordFromRow(r as unknown as typeof calibrationRecords.$inferSelect, r.refs, points);
}
