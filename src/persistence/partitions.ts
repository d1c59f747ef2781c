/**
 * The tables that grow without end (the audit log, the ledger, the calibration
 * records) are partitioned by year, with a DEFAULT partition that takes a row
 * whose year has no partition yet (migrations 0039, 0040, 0041). metrotrace_partitions_ensure() makes
 * this year's and next year's partitions, and the partition of any year with
 * rows waiting in DEFAULT (moving them there); it is idempotent and costs a
 * few catalog lookups when there is nothing to make.
 * @impure talks to the database.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db.ts';

/** Makes the year partitions due (this year's and next, and those DEFAULT holds rows of); returns how many it made. */
export async function ensurePartitions(db: Db): Promise<number> {
  return Number(rowsOf<{ made: number | string }>(await db.execute(sql`select metrotrace_partitions_ensure() as made`))[0]!.made);
}

/** One partition of a partitioned table: its name, its range and its row count. */
export interface PartitionInfo {
  readonly parent: string;
  readonly name: string;
  /** The partition bound as PostgreSQL states it: `FOR VALUES FROM (...) TO (...)` or `DEFAULT`. */
  readonly bound: string;
}

/** The partitions of the tables partitioned by year, by table then name. */
export async function listPartitions(db: Db): Promise<PartitionInfo[]> {
  const r = await db.execute(sql`
    select p.parent, c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from metrotrace_partitioned_tables() p
    join pg_inherits i on i.inhparent = to_regclass(p.parent)
    join pg_class c on c.oid = i.inhrelid
    order by p.parent, c.relname`);
  return rowsOf<PartitionInfo>(r);
}
