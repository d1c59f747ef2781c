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
  readonly open: () => Promise<Database>;
}

let pglite: Promise<Database> | undefined;
let server: Promise<Database> | undefined;
let serverName: string | undefined;

function openPglite(): Promise<Database> {
  pglite ??= (async () => {
    const db = await openDb({});
    await db.migrate();
    return db;
  })();
  return pglite;
}

function openServer(): Promise<Database> {
  server ??= (async () => {
    const url = new URL(process.env.DATABASE_URL!);
    serverName = `metrotrace_test_${process.pid}_${Date.now()}`;
    const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${serverName}`);
    await admin.end();
    url.pathname = '/' + serverName;
    const db = await openDb({ url: url.toString(), poolSize: 4 });
    await db.migrate();
    return db;
  })();
  return server;
}

/** The databases every contract test runs on: PGlite always, the server when DATABASE_URL is set. */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ name: 'pglite', open: openPglite }];
  if (process.env.DATABASE_URL) list.push({ name: 'postgres', open: openServer });
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
  if (pglite) await (await pglite).close();
  if (server) {
    await (await server).close();
    const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${serverName} with (force)`);
    await admin.end();
  }
}
