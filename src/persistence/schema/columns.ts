/** Column helpers: every decimal is `numeric` in string mode, every date a calendar `date` as text. */
import { date, numeric, timestamp } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

export const decimalColumn = (name: string) => numeric(name, { mode: 'string' });
export const dateColumn = (name: string) => date(name, { mode: 'string' });
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow();

/** `column IN ('a','b',…)` for a check constraint over a closed vocabulary. */
export function inList(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', '))})`;
}
