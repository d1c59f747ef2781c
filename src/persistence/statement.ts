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

interface InsertShape {
  readonly head: string;
  readonly keys: readonly string[];
  readonly columns: readonly PgColumn[];
}

const shapes = new WeakMap<PgTable, Map<string, InsertShape>>();

function shapeOf(table: PgTable, row: Record<string, unknown>): InsertShape {
  const keys = Object.keys(row).filter((k) => row[k] !== undefined);
  const id = keys.join(',');
  let byKeys = shapes.get(table);
  if (!byKeys) shapes.set(table, (byKeys = new Map()));
  let shape = byKeys.get(id);
  if (shape) return shape;
  const all = getTableColumns(table) as Record<string, PgColumn>;
  const columns = keys.map((k) => {
    const column = all[k];
    if (!column) throw new Error(`table ${getTableName(table)} has no column for the field '${k}'`);
    return column;
  });
  shape = { head: `insert into ${quoted(getTableName(table))} (${columns.map((c) => quoted(c.name)).join(', ')}) values `, keys, columns };
  byKeys.set(id, shape);
  return shape;
}

/**
 * Inserts rows (drizzle field names, as `db.insert(table).values(rows)` takes
 * them) with a text built once per table and set of fields. Every row gives
 * the same fields; a field left undefined takes its column's default, as in
 * drizzle's insert. Each value is mapped to the driver by its column, as
 * drizzle maps it (a JSON column's value is serialised, and so on).
 */
export function insertRows<T extends PgTable>(db: Db, table: T, rows: ReadonlyArray<T['$inferInsert']>): Promise<unknown> {
  if (rows.length === 0) return Promise.resolve(undefined);
  const shape = shapeOf(table, rows[0] as Record<string, unknown>);
  const values: unknown[] = [];
  let text = shape.head;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    if (r > 0 && shapeOf(table, row) !== shape) throw new Error(`rows inserted together into ${getTableName(table)} give different fields`);
    text += r === 0 ? '(' : ', (';
    for (let i = 0; i < shape.keys.length; i++) {
      const v = row[shape.keys[i]!];
      values.push(v === null ? null : shape.columns[i]!.mapToDriverValue(v));
      text += i === 0 ? `$${values.length}` : `, $${values.length}`;
    }
    text += ')';
  }
  return runStatement(db, text, values);
}
