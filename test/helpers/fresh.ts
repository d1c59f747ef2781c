/**
 * A fresh database of its own (not a rolled-back transaction) and the app over
 * it, for tests that need real concurrency, real connections and real commits:
 * a new database on the PostgreSQL server of DATABASE_URL, or a PGlite (in
 * memory, or in a directory another process can reopen).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { loadRegistryData } from '../../src/app/demo.ts';
import { inProcess } from '../../src/app/computations.ts';
import { buildApp } from '../../src/http/app.ts';
import { createServices, referenceData, type Services } from '../../src/main/services.ts';
import { openDb, type Database } from '../../src/persistence/db.ts';
import { TEST_TODAY } from './app.ts';
import { countOf } from './db.ts';
import { TEST_LEDGER_KEYS } from './ledger.ts';

export const DEMO_DATA: unknown = JSON.parse(readFileSync(new URL('../../fixtures/demo/registry.json', import.meta.url), 'utf8'));

let n = 0;

/** A new, migrated database on the server; `url` reaches it, `drop` removes it. */
export async function freshServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const server = new URL(process.env.DATABASE_URL!);
  const name = `metrotrace_fault_${process.pid}_${++n}`;
  const admin = postgres(server.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = '/' + name;
  const db = await openDb({ url: url.toString(), poolSize: 1 });
  await db.migrate();
  await db.close();
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(server.toString(), { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface LiveApp {
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly services: Services;
  readonly adminKey: string;
  close(): Promise<void>;
}

/** The app over an opened database, with the demo loaded when the database is empty. */
export async function liveApp(database: Database, opts: { demo?: boolean } = {}): Promise<LiveApp> {
  await database.migrate();
  const services = createServices(database.db, randomUUID, referenceData(), () => TEST_TODAY, undefined, { keys: TEST_LEDGER_KEYS });
  const empty = (await countOf(database.db, 'select count(*)::int as n from organisations')) === 0;
  if (opts.demo !== false && empty) await loadRegistryData(services.unitOfWork, DEMO_DATA, randomUUID, services.rules);
  const app = await buildApp({
    ...services,
    computations: inProcess(),
    database: { kind: database.kind, ping: async () => void (await database.db.execute(sql`select 1`)) },
    version: 'test',
    protection: { publicPerMinute: 0, keyPerMinute: 0 },
    today: () => TEST_TODAY,
  });
  const { token } = await services.access.issue({ role: 'admin', label: 'fault test' }, TEST_TODAY);
  return { app, database, services, adminKey: token, close: async () => void (await app.close()) };
}

/** A verification of a demo scale by the district station, unique by `n`. */
export function recordPayload(n: number | string, subjectId = 'scale-stall-17') {
  return {
    id: `fault-${n}`,
    kind: 'verification',
    subjectId,
    labId: 'district-station',
    referenceIds: ['district-f1-set'],
    certificateNo: `FAULT-${n}`,
    performedOn: '2026-11-20',
    validUntil: '2027-11-19',
    conformity: 'pass',
    points: [{ nominal: '15', asFound: '15.005', unit: 'kg' }],
  };
}
