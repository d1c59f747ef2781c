/**
 * Rows as JSON built inside PostgreSQL, and back to domain values: for
 * statements that return a whole document in one round trip (the traceability
 * closure, an equipment's events). Every numeric and date is cast to text in
 * SQL, so no value passes through a JSON number. The column lists come from the
 * drizzle schema (schema/registry.ts), so they are written once.
 */
import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { CalendarDate } from '../core/dates.ts';
import type { CalibrationRecord, Cmc, Equipment, LabScope, Organisation } from '../core/registry/types.ts';
import { periods } from '../core/registry/versions.ts';
import type { EquipmentEvent, EventKind } from '../core/registry/events.ts';
import { cmcFromRow, cmcHistoriesOf, equipmentFromRow, organisationFromRow, pointFromRow, recordFromRow, scopeFromRow, scopeHistoriesOf } from './mappers.ts';
import {
  calibrationRecords,
  equipment,
  equipmentEvents,
  labCmcs,
  labCmcVersions,
  labScopes,
  labScopeVersions,
  measuredPoints,
  organisations,
  toleranceFindings,
} from './schema/registry.ts';

/** Which of a table's columns go into its JSON: all but the insertion time by default. */
type Columns = { readonly omit?: readonly string[]; readonly pick?: readonly string[]; readonly extra?: string };

/** Column types that would lose digits or change form as JSON numbers or timestamps: sent as their text. */
const AS_TEXT = new Set(['numeric', 'date', 'bigint', 'bigserial', 'timestamp with time zone']);

/** `json_build_object('field', alias.column, …)` over a table's columns, keyed by the drizzle field names. */
export function rowJsonText(table: PgTable, alias: string, columns: Columns = {}): string {
  const omit = columns.omit ?? ['createdAt'];
  const pairs = Object.entries(getTableColumns(table))
    .filter(([key]) => (columns.pick ? columns.pick.includes(key) : !omit.includes(key)))
    .map(([key, c]) => `'${key}', ${alias}.${c.name}${AS_TEXT.has(c.getSQLType()) ? '::text' : ''}`);
  return `json_build_object(${[...pairs, ...(columns.extra ? [columns.extra] : [])].join(', ')})`;
}

/** An equipment event as JSON built in SQL (dates as text); who recorded it is not part of the event. */
const EVENT_JSON_TEXT = rowJsonText(equipmentEvents, 'ev', { omit: ['seq', 'recordedByKey', 'recordedByOrganisation', 'createdAt'] });

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
 * The table aliases are fixed: e (equipment), r (calibration_records), o
 * (organisations), s (lab_scopes), v (lab_scope_versions), c (lab_cmcs), cv
 * (lab_cmc_versions), t (tolerance_findings).
 */
/** The JSON objects' texts, written into a statement's fixed text (persistence/statement.ts), or into a drizzle one with `sql.raw`. */
export const JSON_TEXT = {
  equipment: rowJsonText(equipment, 'e'),
  record: rowJsonText(calibrationRecords, 'r', {
    extra: `'refs', (select coalesce(json_agg(rr.reference_id order by rr.position), '[]'::json) from record_references rr where rr.record_id = r.id),
          'points', (select coalesce(json_agg(${rowJsonText(measuredPoints, 'p', { omit: ['recordId', 'seq'] })} order by p.seq), '[]'::json)
            from measured_points p where p.record_id = r.id)`,
  }),
  organisation: rowJsonText(organisations, 'o'),
  scope: rowJsonText(labScopes, 's'),
  scopeVersion: rowJsonText(labScopeVersions, 'v'),
  cmc: rowJsonText(labCmcs, 'c'),
  cmcVersion: rowJsonText(labCmcVersions, 'cv'),
  tolerance: rowJsonText(toleranceFindings, 't', { pick: ['equipmentId', 'foundOn', 'lastKnownGood'] }),
  event: EVENT_JSON_TEXT,
} as const;

export type JsonRecord = { id: string; subjectId: string; refs: string[]; points: Array<Record<string, string | null>> } & Record<string, unknown>;
export const equipmentFromJson = (r: Record<string, unknown>): Equipment => equipmentFromRow(r as unknown as typeof equipment.$inferSelect);
export const organisationFromJson = (o: Record<string, unknown>): Organisation => organisationFromRow(o as unknown as typeof organisations.$inferSelect);
export function recordFromJson(r: JsonRecord): CalibrationRecord {
  const points = r.points.map((p, seq) => pointFromRow({ ...p, recordId: r.id, seq } as unknown as typeof measuredPoints.$inferSelect));
  return recordFromRow(r as unknown as typeof calibrationRecords.$inferSelect, r.refs, points);
}

/**
 * Scopes and their amendments as JSON rows, to the scopes as in force over
 * time (what listScopes answers): the version in force on a day is what a
 * check of that day reads.
 */
export function scopePeriodsFromJson(scopes: ReadonlyArray<Record<string, unknown>>, amendments: ReadonlyArray<Record<string, unknown>>): LabScope[] {
  return scopeHistoriesOf(
    scopes.map((r) => scopeFromRow(r as unknown as typeof labScopes.$inferSelect)),
    amendments as unknown as Array<typeof labScopeVersions.$inferSelect>,
  ).flatMap((h) => periods(h));
}

/** CMCs and their amendments as JSON rows, to the CMCs as in force over time (what listCmcs answers). */
export function cmcPeriodsFromJson(cmcs: ReadonlyArray<Record<string, unknown>>, amendments: ReadonlyArray<Record<string, unknown>>): Cmc[] {
  return cmcHistoriesOf(
    cmcs.map((r) => cmcFromRow(r as unknown as typeof labCmcs.$inferSelect)),
    amendments as unknown as Array<typeof labCmcVersions.$inferSelect>,
  ).flatMap((h) => periods(h));
}
