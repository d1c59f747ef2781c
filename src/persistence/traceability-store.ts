/**
 * The traceability closure queries over drizzle-orm: everything a resolution
 * reads in one statement (loadUpwardClosure), the records that used a
 * reference since a date (recordsUsingSince, the impact of a finding), and the
 * out-of-tolerance findings themselves. Takes the db (or a transaction).
 *
 * @impure talks to the database.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { ClosureRoots, LedgerKeys, StoredToleranceFinding, TraceabilityStore, UpwardClosure } from '../app/ports.ts';
import { NO_LEDGER_KEYS } from '../app/ledger.ts';
import type { CalendarDate } from '../core/dates.ts';
import type { CalibrationRecord } from '../core/registry/types.ts';
import type { ToleranceFinding } from '../core/traceability/chain.ts';
import { rowsOf, type Db } from './db.ts';
import { appendToLedger } from './ledger-store.ts';
import { recordFromRow } from './mappers.ts';
import {
  type EventJson,
  equipmentFromJson,
  eventFromJson,
  JSON_TEXT,
  type JsonRecord,
  organisationFromJson,
  recordFromJson,
  scopePeriodsFromJson,
} from './row-json.ts';
import { runStatement } from './statement.ts';
import { type calibrationRecords, toleranceFindings } from './schema/registry.ts';
import { groupBy, guarded, textArray } from './sql-helpers.ts';

export class DrizzleTraceabilityStore implements TraceabilityStore {
  constructor(
    private readonly db: Db,
    /** The ledger key ring every entry this store appends is signed with. */
    readonly ledgerKeys: LedgerKeys = NO_LEDGER_KEYS,
  ) {}

  async loadUpwardClosure(
    rootIds: readonly string[],
    maxEquipment: number,
    at: CalendarDate,
    asKnownAt: string | null = null,
    roots: ClosureRoots = 'instruments',
  ): Promise<UpwardClosure> {
    // one statement, one round trip: closureText (below) says what it reads and why
    const values: unknown[] = [textArray(rootIds), at, maxEquipment];
    if (asKnownAt !== null) values.push(asKnownAt);
    const result = await runStatement(this.db, closureText(asKnownAt !== null, roots), values);
    const doc = JSON.parse(rowsOf<{ doc: string }>(result)[0]!.doc) as ClosureDocument;
    const equipmentMap = new Map(doc.equipment.map((r) => [r.id, equipmentFromJson(r)]));
    const records = new Map<string, CalibrationRecord[]>([...equipmentMap.keys()].map((id) => [id, []]));
    for (const r of doc.records) records.get(r.subjectId)?.push(recordFromJson(r));
    const organisationsMap = new Map(doc.labs.map((o) => [o.id, organisationFromJson(o)]));
    // each lab's scopes as in force over time: the version in force on a record's day is what its checks read
    const scopes = groupBy(
      scopePeriodsFromJson(doc.scopes, doc.scopeVersions),
      (p) => p.labId,
      (p) => p,
    );
    const tolerance = groupBy(
      doc.tolerance,
      (f) => f.equipmentId,
      (f) => f,
    );
    const events = groupBy(doc.events, (e) => e.equipmentId, eventFromJson);
    return { equipment: equipmentMap, records, organisations: organisationsMap, scopes, tolerance, events };
  }

  async recordsUsingSince(references: ReadonlyArray<readonly [string, string]>): Promise<CalibrationRecord[]> {
    if (references.length === 0) return [];
    const ids = references.map(([id]) => id);
    const dates = references.map(([, d]) => d);
    // The references and their dates as a relation (unnest of two arrays), joined to the
    // reference index; only current records (superseded ones are left out).
    const result = await this.db.execute(sql`
      select cr.id, cr.kind, cr.subject_id as "subjectId", cr.lab_id as "labId", cr.certificate_no as "certificateNo",
             cr.performed_on::text as "performedOn", cr.valid_until::text as "validUntil", cr.conformity, cr.supersedes, cr.remarks,
             rr.reference_id as "referenceId"
      from unnest(${textArray(ids)}::text[], ${textArray(dates)}::date[]) as f(id, since)
      join record_references rr on rr.reference_id = f.id
      join current_records cr on cr.id = rr.record_id and cr.performed_on >= f.since`);
    const rows = rowsOf<typeof calibrationRecords.$inferSelect & { referenceId: string }>(result);
    const byId = new Map<string, CalibrationRecord>();
    for (const r of rows) {
      const existing = byId.get(r.id);
      if (existing) (existing.referenceIds as string[]).push(r.referenceId);
      else byId.set(r.id, recordFromRow(r, [r.referenceId], []));
    }
    return [...byId.values()];
  }

  async insertToleranceFinding(f: ToleranceFinding & { readonly id: string; readonly remarks: string | null }): Promise<void> {
    await guarded(async () => {
      await this.db
        .insert(toleranceFindings)
        .values({ id: f.id, equipmentId: f.equipmentId, foundOn: f.foundOn, lastKnownGood: f.lastKnownGood, remarks: f.remarks });
      await appendToLedger(this.db, this.ledgerKeys, 'tolerance_finding', f.id);
    });
  }

  async listToleranceFindings(equipmentId?: string): Promise<StoredToleranceFinding[]> {
    const rows = await this.db
      .select()
      .from(toleranceFindings)
      .where(equipmentId === undefined ? undefined : eq(toleranceFindings.equipmentId, equipmentId))
      .orderBy(asc(toleranceFindings.foundOn), asc(toleranceFindings.id));
    return rows.map((r) => ({
      id: r.id,
      equipmentId: r.equipmentId,
      foundOn: r.foundOn as CalendarDate,
      lastKnownGood: r.lastKnownGood as CalendarDate,
      remarks: r.remarks ?? null,
    }));
  }
}

/** The closure of a chain as the single query of loadUpwardClosure returns it (every value text). */
interface ClosureDocument {
  equipment: Array<{ id: string } & Record<string, unknown>>;
  records: JsonRecord[];
  labs: Array<{ id: string } & Record<string, unknown>>;
  scopes: Array<{ labId: string } & Record<string, unknown>>;
  scopeVersions: Array<Record<string, unknown>>;
  tolerance: ToleranceFinding[];
  events: EventJson[];
}

/**
 * loadUpwardClosure's statement, by whether it is asked as known at an instant
 * and by what its roots are: four fixed texts, each written once (the lookups
 * and every write with references run it; drizzle built it chunk by chunk on
 * every call). $1 the roots as an array, $2 the date, $3 the most equipment,
 * $4 the instant when asked as known then.
 *
 * One statement, one round trip. The recursion walks only the links a resolution at
 * `at` can use: from each (equipment, date of use) the current record in force then
 * (the latest performed on or before it, ties by id as the core breaks them), and on
 * to its references at that record's date. Roots that are instruments asked about keep
 * all their current records (a status needs the first verification too) and the
 * references of each, so the chain behind any of them (the verification in force, when
 * a later calibration exists) can be resolved; roots that are standards used on `at` (a
 * new record's references) are links like any other. Everything a resolution reads comes back as one JSON
 * document; numerics and dates are cast to text inside, so no value passes through
 * a JSON number. The tables around the chain are read by `= any(array(select …))`:
 * an index lookup for each id found, where `in (select …)` let the planner guess
 * hundreds of rows from the recursion and scan all the organisations instead
 * (execution 1.8 → 1.2 ms for a chain of depth 7 in the 1,000,000-instrument graph).
 */
const closureTexts = new Map<string, string>();
function closureText(asKnown: boolean, roots: ClosureRoots): string {
  const key = `${asKnown}|${roots}`;
  let text = closureTexts.get(key);
  if (text) return text;
  // As known at a moment: only what had been written by then (every table read here is
  // append-only, so this is a filter, not a copy); a correction written later supersedes nothing yet.
  const known = (alias: string) => (asKnown ? `${alias}.created_at <= $4::timestamptz` : 'true');
  // The records current at the moment asked about: now, current_records (migration 0043); as known
  // at an instant, those written by then that no correction written by then supersedes.
  const current = asKnown
    ? `(select c1.* from calibration_records c1 where c1.created_at <= $4::timestamptz
            and not exists (select 1 from calibration_records c2 where c2.supersedes = c1.id and c2.created_at <= $4::timestamptz))`
    : 'current_records';
  // The roots' every current record and the references of each, for instruments asked about;
  // nothing more than any link's record in force for standards used on `at` (roots: 'references').
  const rootHistory = (part: string) => (roots === 'instruments' ? part : '');
  text = `
      with recursive up(id, at) as (
        select unnest($1::text[]), $2::date
        union
        ${rootHistory(`select rr.reference_id, cr.performed_on from ${current} cr
        join record_references rr on rr.record_id = cr.id
        where cr.subject_id in (select unnest($1::text[])) and cr.performed_on <= $2::date
        union`)}
        select rr.reference_id, lr.performed_on from up
        cross join lateral (
          select cr.id, cr.performed_on from ${current} cr
          where cr.subject_id = up.id and cr.performed_on <= up.at
          order by cr.performed_on desc, cr.id collate "C" desc limit 1
        ) lr
        join record_references rr on rr.record_id = lr.id
      ),
      ids as (select distinct id from up limit $3::bigint),
      recs as (
        ${rootHistory(`select cr.* from ${current} cr
        where cr.subject_id in (select unnest($1::text[]))
        union`)}
        select lr.* from up
        cross join lateral (
          select cr.* from ${current} cr
          where cr.subject_id = up.id and cr.performed_on <= up.at
          order by cr.performed_on desc, cr.id collate "C" desc limit 1
        ) lr
      ),
      labs as (select lab_id from recs union select owner_id from equipment where id in (select unnest($1::text[])))
      select json_build_object(
        'equipment', coalesce((select json_agg(${JSON_TEXT.equipment})
          from equipment e where e.id = any(array(select id from ids)) and ${known('e')}), '[]'::json),
        'records', coalesce((select json_agg(${JSON_TEXT.record})
          from recs r), '[]'::json),
        'labs', coalesce((select json_agg(${JSON_TEXT.organisation})
          from organisations o where o.id = any(array(select lab_id from labs)) and ${known('o')}), '[]'::json),
        'scopes', coalesce((select json_agg(${JSON_TEXT.scope})
          from lab_scopes s where s.lab_id = any(array(select lab_id from labs)) and ${known('s')}), '[]'::json),
        'scopeVersions', coalesce((select json_agg(${JSON_TEXT.scopeVersion} order by v.version)
          from lab_scope_versions v join lab_scopes s on s.id = v.scope_id where s.lab_id = any(array(select lab_id from labs)) and ${known('v')}), '[]'::json),
        'tolerance', coalesce((select json_agg(${JSON_TEXT.tolerance})
          from tolerance_findings t where t.equipment_id = any(array(select id from ids)) and ${known('t')}), '[]'::json),
        'events', coalesce((select json_agg(${JSON_TEXT.event} order by ev.seq)
          from equipment_events ev where ev.equipment_id = any(array(select id from ids)) and ${known('ev')}), '[]'::json)
      )::text as doc`;
  closureTexts.set(key, text);
  return text;
}
