/**
 * Statements whose text is written once, for the writes every request of a
 * kind makes. drizzle-orm works a statement's text out from its builder on
 * every execution, column by column: for a record's 22 columns about 60 µs and
 * 60 KB of garbage, and a write of a record made six such statements. At
 * 100 writes a second that garbage set the pace of the major collections whose
 * pauses made the write's slowest 1 % (issue #19). Here the text is built once
 * (per table and set of columns, for an insert) and only the values are bound.
 *
 * The statement still runs through the drizzle session of the db or
 * transaction at hand (its prepareQuery, as drizzle's own `execute` does after
 * building the text), so it takes the transaction's connection, the driver's
 * prepared statements and the same error path as any other.
 *
 * @impure talks to the database.
 */
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './db.ts';

/** Runs a statement written with $1, $2, … for its values; the driver's raw result (rowsOf reads its rows). */
export function runStatement(db: Db, text: string, values: readonly unknown[]): Promise<unknown> {
  return db._.session.prepareQuery({ sql: text, params: values as unknown[] }, undefined, undefined, false).execute();
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A table's columns by drizzle field name, in the table's order. */
const columnsOf = new WeakMap<PgTable, ReadonlyArray<readonly [string, PgColumn]>>();
/** Insert texts by table and by which fields of which rows are given. */
const texts = new WeakMap<PgTable, Map<string, string>>();

/**
 * Inserts rows (drizzle field names, as `db.insert(table).values(rows)` takes
 * them) with a text built once per table and pattern of given fields, and
 * lands what drizzle's insert lands: a field left undefined takes its
 * column's default (`default` in that row's values, or the column left out
 * when no row gives it), a field the table has no column for is ignored, and
 * each value is mapped to the driver by its column, as drizzle maps it (a
 * JSON column's value is serialised, and so on).
 *
 * What it does not do that drizzle's insert does, because no table here needs
 * it: a value given as SQL (`sql\`…\``) is not spliced in, a JavaScript
 * default (`$defaultFn`, `$onUpdate`) is not called (the database's default
 * applies), and a generated column is not left out. A table that comes to use
 * any of these goes through drizzle's insert.
 */
export function insertRows<T extends PgTable>(db: Db, table: T, rows: ReadonlyArray<T['$inferInsert']>): Promise<unknown> {
  if (rows.length === 0) return Promise.resolve(undefined);
  let columns = columnsOf.get(table);
  if (!columns) columnsOf.set(table, (columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>)));
  // which fields each row gives: the text depends on that alone
  let pattern = '';
  const given: boolean[] = new Array(columns.length).fill(false);
  for (const row of rows as ReadonlyArray<Record<string, unknown>>) {
    for (let i = 0; i < columns.length; i++) {
      const has = row[columns[i]![0]] !== undefined;
      pattern += has ? '1' : '0';
      if (has) given[i] = true;
    }
    pattern += '|';
  }
  // a row that gives no field at all: every column takes its default
  if (!given.includes(true)) given.fill(true);
  let byPattern = texts.get(table);
  if (!byPattern) texts.set(table, (byPattern = new Map()));
  let text = byPattern.get(pattern);
  const values: unknown[] = [];
  const build = text === undefined;
  if (build) {
    const names = columns.filter((_, i) => given[i]).map(([, c]) => quoted(c.name));
    text = `insert into ${quoted(getTableName(table))} (${names.join(', ')}) values `;
  }
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    const parts: string[] = [];
    for (let i = 0; i < columns.length; i++) {
      if (!given[i]) continue;
      const [field, column] = columns[i]!;
      const v = row[field];
      if (v === undefined) {
        if (build) parts.push('default');
        continue;
      }
      values.push(v === null ? null : column.mapToDriverValue(v));
      if (build) parts.push(`$${values.length}`);
    }
    if (build) text += `${r === 0 ? '' : ', '}(${parts.join(', ')})`;
  }
  if (build) {
    // patterns are few (a record's points vary in number): a bound all the same
    if (byPattern.size >= 256) byPattern.clear();
    byPattern.set(pattern, text!);
  }
  return runStatement(db, text!, values);
}
