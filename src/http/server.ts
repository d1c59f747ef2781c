/**
 * Starting the API: configuration → database → migrations → demo data (on an
 * empty database) → buildApp → listen, and a graceful close on SIGINT/SIGTERM.
 *
 * @impure reads the environment, opens the database and a socket.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { isEmpty, loadRegistryData } from '../app/demo.ts';
import { UncertaintyService } from '../app/uncertainty.ts';
import { openDb } from '../persistence/db.ts';
import { randomSeed } from '../runtime/ambient.ts';
import { createMonteCarloPool } from '../runtime/monte-carlo-pool.ts';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { createServices, referenceData } from './services.ts';

export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
export const DEMO_FILE = new URL('../../fixtures/demo/registry.json', import.meta.url);

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; close(): Promise<void> }> {
  const config = readConfig(env);
  const database = await openDb({ url: config.databaseUrl, dataDir: config.dataDir });
  await database.migrate();
  const services = createServices(database.db, randomUUID);
  const { store } = services;
  // Monte Carlo runs use the other cores once their workers have loaded.
  const pool = createMonteCarloPool();
  if (config.seedDemo && (await isEmpty(store))) {
    const summary = await loadRegistryData(services.unitOfWork, JSON.parse(readFileSync(DEMO_FILE, 'utf8')), randomUUID, referenceData());
    console.error(`metrotrace: loaded demo data (${summary.organisations} organisations, ${summary.equipment} equipment, ${summary.records} records)`);
  }
  const app = await buildApp({
    registry: services.registry,
    uncertainty: new UncertaintyService({ defaultSeed: randomSeed, monteCarlo: pool.executor }),
    traceability: services.traceability,
    verification: services.verification,
    energy: services.energy,
    dcc: services.dcc,
    access: services.access,
    database: { kind: database.kind, ping: async () => void (await database.db.execute(sql`select 1`)) },
    version: VERSION,
    logger: config.logger,
  });
  const url = await app.listen({ port: config.port, host: config.host });
  const where = database.kind === 'pglite' ? `embedded PGlite at ${config.dataDir}` : 'PostgreSQL server';
  console.error(`metrotrace ${VERSION}: API on ${url} (${where}); docs at ${url}/openapi.json`);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await pool.close();
      await database.close();
    })());
  return { url, close };
}
