/**
 * Test databases. Migrating PGlite costs seconds, so each process migrates one
 * in-memory PGlite (and, when DATABASE_URL is set, one fresh database on that
 * server) and every test runs inside a transaction that is rolled back.
 */
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDb, rowsOf, type Database, type Db } from '../../src/persistence/db.ts';

export interface TestDatabase {
  readonly name: 'pglite' | 'postgres';
  /** The process's migrated database, empty of data. */
  readonly open: () => Promise<Database>;
  /**
   * A second migrated database of the same kind, for data loaded once per
   * process and committed (the demo: see withApp), so that tests wanting it
   * do not load it again in every rolled-back transaction.
   */
  readonly openPreloaded: () => Promise<Database>;
}

type Slot = 'empty' | 'preloaded';
const pglites = new Map<Slot, Promise<Database>>();
const servers = new Map<Slot, { db: Promise<Database>; name: string }>();

function openPglite(slot: Slot): Promise<Database> {
  let db = pglites.get(slot);
  if (!db) {
    db = (async () => {
      const opened = await openDb({});
      await opened.migrate();
      return opened;
    })();
    pglites.set(slot, db);
  }
  return db;
}

function openServer(slot: Slot): Promise<Database> {
  let entry = servers.get(slot);
  if (!entry) {
    const name = `metrotrace_test_${process.pid}_${Date.now()}_${slot}`;
    entry = {
      name,
      db: (async () => {
        const url = new URL(process.env.DATABASE_URL!);
        const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
        await admin.unsafe(`create database ${name}`);
        await admin.end();
        url.pathname = '/' + name;
        const opened = await openDb({ url: url.toString(), poolSize: 4 });
        await opened.migrate();
        return opened;
      })(),
    };
    servers.set(slot, entry);
  }
  return entry.db;
}

/** The databases every contract test runs on: PGlite always, the server when DATABASE_URL is set. */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'pglite', open: () => openPglite('empty'), openPreloaded: () => openPglite('preloaded') }];
  if (process.env.DATABASE_URL) list.push({ name: 'postgres', open: () => openServer('empty'), openPreloaded: () => openServer('preloaded') });
  return list;
}

/** The number a statement of the form `select … as n` gives (a count, a sequence number). */
export async function countOf(db: Db, query: string): Promise<number> {
  return Number(rowsOf<{ n: number | string }>(await db.execute(sql.raw(query)))[0]!.n);
}

class Rollback extends Error {}

/** Runs `work` in a transaction that is always rolled back, so tests do not see each other. */
export async function inRollback(db: Db, work: (tx: Db) => Promise<void>): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      await work(tx as unknown as Db);
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
}

export async function closeTestDatabases(): Promise<void> {
  for (const db of pglites.values()) await (await db).close();
  for (const { db, name } of servers.values()) {
    await (await db).close();
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
