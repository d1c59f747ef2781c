/**
 * SQL building blocks shared by the stores: conditions, pages, translated
 * database errors, identifier comparison, read scopes, chunked loads and grouping.
 * @impure talks to the database (guarded).
 */
import { and, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Page } from '../app/ports.ts';
import type { ReadScope } from '../core/access/roles.ts';
import { translateDbError } from './db-errors.ts';

/**
 * As known at an instant: the rows of an append-only table written by then
 * (their `created_at`); undefined (no condition) when asked as known now.
 */
export function writtenBy(createdAt: SQLWrapper, asKnownAt: string | null | undefined): SQL | undefined {
  return asKnownAt == null ? undefined : sql`${createdAt} <= ${asKnownAt}::timestamptz`;
}

export function conditions(parts: Array<SQL | undefined>): SQL | undefined {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length === 0 ? undefined : and(...present);
}

/**
 * A column equal to one of many values, the list sent as one text[] parameter
 * (an array literal): drizzle's inArray sends one parameter per value, and
 * PostgreSQL refuses a statement with more than 65,535 (the organisations of
 * a large region). As a constant array the planner knows its length, and
 * plans a large list as the hash it is rather than as a hundred rows.
 */
export function inValues(column: SQLWrapper, values: readonly string[]): SQL {
  return sql`${column} = any(${textArray(values)}::text[])`;
}

/**
 * An array literal ('{"a","b",NULL}'), to send as one bound parameter and cast
 * to an array in SQL (`${textArray(xs)}::text[]`, `::int[]`, `::date[]`,
 * `::boolean[]`): every value is quoted and escaped, a null is NULL. Nothing is
 * spliced into the statement's text.
 */
export function textArray(values: ReadonlyArray<string | number | boolean | null>): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)).join(',')}}`;
}

export function page<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return { items, lastId: more ? items[items.length - 1]!.id : null };
}

export async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw translateDbError(e);
  }
}

/**
 * A printed identifier column equal to a typed one, both by their comparison key
 * (metrotrace_identifier_key, migration 0020; the expression the identifier indexes use).
 */
export function sameIdentifier(column: AnyPgColumn, value: string): SQL {
  return sql`metrotrace_identifier_key(${column}) = metrotrace_identifier_key(${value})`;
}

/**
 * What a read scope sees of the equipment (core/access/roles.ts ReadScope): an
 * owner its own; a lab its own and those it has a record of; a regulator's
 * keys those owned in its region.
 */
export function equipmentVisible(scope: ReadScope, id: SQLWrapper, registeredOwner: SQLWrapper): SQL | undefined {
  // the owner now: the latest transfer's (none is dated after today), else the registered one
  const owner = sql`coalesce((select tr.new_owner_id from equipment_events tr where tr.equipment_id = ${id} and tr.kind = 'transferred' order by tr.effective_on desc, tr.seq desc limit 1), ${registeredOwner})`;
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'organisation':
      return sql`${owner} = ${scope.organisationId}`;
    case 'lab':
      return sql`(${owner} = ${scope.organisationId} or exists (select 1 from calibration_records vr where vr.subject_id = ${id} and vr.lab_id = ${scope.organisationId}))`;
    case 'region':
      return sql`exists (select 1 from organisations vo where vo.id = ${owner} and vo.region_code like ${`${scope.regionPrefix}%`})`;
  }
}

/** Rows per statement when loading by id: well under PostgreSQL's 65,535 bind parameters. */
const CHUNK = 10_000;

/** Loads by id in chunks, keeping each statement well under PostgreSQL's 65,535 bind parameters. */
export async function inChunks<T>(ids: readonly string[], load: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) out.push(...(await load(ids.slice(i, i + CHUNK))));
  return out;
}

export function groupBy<T, V>(items: T[], key: (t: T) => string, value: (t: T) => V): Map<string, V[]> {
  const out = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(value(item));
    else out.set(k, [value(item)]);
  }
  return out;
}

/**
 * The rows of a parent table left-joined to its versions (ordered by parent,
 * then version), split again: each parent once, in the order met, and the
 * versions that were there.
 */
export function parentsAndVersions<P extends { id: string }, V>(rows: ReadonlyArray<{ parent: P; version: V | null }>): { parents: P[]; versions: V[] } {
  const parents: P[] = [];
  const versions: V[] = [];
  for (const { parent, version } of rows) {
    if (parents.at(-1)?.id !== parent.id) parents.push(parent);
    if (version !== null) versions.push(version);
  }
  return { parents, versions };
}
