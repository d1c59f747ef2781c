/**
 * Databases as they stood at an earlier migration, for the upgrade tests: a
 * copy of the migrations folder whose journal ends at a given migration, and
 * a bare database (no template, nothing migrated) on PGlite and, when
 * DATABASE_URL is set, on the PostgreSQL server.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import * as schema from '../../src/persistence/schema/index.ts';
import { DataDirBytes, MIGRATIONS_FOLDER, rowsOf, type Db } from '../../src/persistence/db.ts';

/** A copy, under `dir`, of the migrations up to and including index `last` (0020_… is 20); returns its folder. */
export function migrationsUpTo(dir: string, last: number): string {
  const folder = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: Array<{ idx: number }> };
  journal.entries = journal.entries.filter((e) => e.idx <= last);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}

/** An empty database that migrates from a folder of one's choosing. */
export interface Upgradable {
  readonly db: Db;
  migrate(folder: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A blank in-memory PGlite: PostgreSQL's initdb and nothing else. initdb runs
 * once per process (3.7 CPU-seconds on a 2-core machine); each later one is a
 * copy of its data directory (about 0.6).
 */
export async function bareMemoryPglite(): Promise<PGlite> {
  blank ??= (async () => {
    const first = new PGlite();
    await first.waitReady;
    const dump = await first.dumpDataDir('none');
    await first.close();
    return dump.arrayBuffer();
  })();
  const client = new PGlite({ loadDataDir: new DataDirBytes(await blank) });
  await client.waitReady;
  return client;
}
let blank: Promise<ArrayBuffer> | undefined;

async function onPglite(): Promise<Upgradable> {
  const client = await bareMemoryPglite();
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return { db, migrate: (folder) => migratePglite(db as never, { migrationsFolder: folder }), close: () => client.close() };
}

/** A database of its own on the server (`prefix` names it), dropped on close. */
async function onServer(prefix: string): Promise<Upgradable> {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = '/' + name;
  const client = postgres(url.toString(), { max: 2, onnotice: () => {} });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    db,
    migrate: (folder) => migratePostgres(db as never, { migrationsFolder: folder }),
    close: async () => {
      await client.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** PGlite always; the PostgreSQL server of DATABASE_URL too when it is set. */
export function upgradeTargets(prefix: string): Array<{ name: string; open: () => Promise<Upgradable> }> {
  const targets = [{ name: 'pglite', open: onPglite }];
  if (process.env.DATABASE_URL) targets.push({ name: 'postgres', open: () => onServer(prefix) });
  return targets;
}

/** The rows of a query as JSON text, in a stable order. */
export async function rowsAsJson(db: Db, query: string): Promise<string[]> {
  return rowsOf<{ j: string }>(await db.execute(sql.raw(`select to_jsonb(t)::text as j from (${query}) t order by 1`))).map((r) => r.j);
}
