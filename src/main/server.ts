/**
 * Starting the API: configuration → database → migrations → demo data (on an
 * empty database) → buildApp → listen, and a graceful close on SIGINT/SIGTERM.
 *
 * @impure reads the environment, opens the database and a socket.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessService } from '../app/access.ts';
import { parseDate } from '../core/dates.ts';
import { today } from '../runtime/ambient.ts';
import { sql } from 'drizzle-orm';
import { isEmpty, loadRegistryData } from '../app/demo.ts';
import type { Db } from '../persistence/db.ts';
import { ensurePartitions } from '../persistence/partitions.ts';
import { openReadReplicas, postgresPositions, routedDb } from '../persistence/read-replicas.ts';
import type { LedgerService } from '../app/ledger.ts';
import type { AnchorLog, StatusFactsListener } from '../app/ports.ts';
import { createComputePool } from '../runtime/compute-pool.ts';
import { installDriverGuard } from '../runtime/driver-guard.ts';
import { demoStart } from '../runtime/demo-template.ts';
import { buildApp } from '../http/app.ts';
import { readConfig } from './config.ts';
import { openLedgeredDatabase } from './database.ts';
import { createServices } from './services.ts';
import { VERSION } from './version.ts';

export const DEMO_FILE = new URL('../../fixtures/demo/registry.json', import.meta.url);

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; close(): Promise<void> }> {
  installDriverGuard();
  const config = readConfig(env);
  // A new embedded database with the demo starts from the demo prepared at build time, when current.
  const demo = config.seedDemo && !config.databaseUrl ? demoStart() : undefined;
  const database = await openLedgeredDatabase(config, env, { createKey: true, template: demo?.template, log: (m) => console.error(`metrotrace: ${m}`) });
  const { keys, anchors, database: ledgerOf } = database.ledger;
  // The audit log and the ledger are partitioned by year: this year's and next year's partitions exist from the start, and a daily look keeps them so.
  const partitions = keepPartitions(database.db, DAY_MS);
  await partitions.ready;
  // Uncertainty evaluations, decisions and DCC parses run in worker threads with a
  // deadline and a memory cap, so that no request can stall the others.
  const pool = createComputePool(config.compute);
  // Streaming replicas (DATABASE_READ_URL): the read-only routes' queries go to one shown fresh
  // within the bound (http/replica-reads.ts); without them the services use the primary directly.
  const reads =
    config.reads.urls.length === 0
      ? undefined
      : openReadReplicas(database.db, config.reads.urls, {
          maxLagMs: config.reads.maxLagMs,
          checkMs: config.reads.checkMs,
          prepare: config.databasePrepare,
          log: (m) => console.error(`metrotrace: ${m}`),
        });
  if (reads) await reads.replicas.start();
  const services = createServices(reads ? routedDb(database.db) : database.db, randomUUID, undefined, undefined, pool, { keys, anchors, database: ledgerOf });
  const { store } = services;
  // The label answers a process keeps hold while the database tells it of every change to what they are
  // worked out from (app/verification.ts), without a round trip per lookup. Not with read replicas: the
  // primary's notification says nothing of what a replica has replayed; each lookup reads the version
  // from the replica that serves it instead.
  let shuttingDown = false;
  const stopWatching = reads
    ? undefined
    : await database.watchStatusFacts(loggedWatch(services.verification.statusFacts, (m) => shuttingDown || console.error(`metrotrace: ${m}`)));
  const prepared = demo?.prepared(database.startedFrom);
  if (prepared || (config.seedDemo && (await isEmpty(store)))) {
    const summary = prepared ?? (await loadRegistryData(services.unitOfWork, JSON.parse(readFileSync(DEMO_FILE, 'utf8')), randomUUID, services.rules));
    console.error(
      `metrotrace: loaded demo data (${summary.organisations} organisations, ${summary.equipment} equipment, ${summary.events} events, ${summary.records} records)`,
    );
    const file = await issueDemoKeys(services.access, config);
    console.error(`metrotrace: demo API keys (one per role) written to ${file}; \`. ${file}\` puts them in your shell`);
  } else if ((await services.access.listKeys()).length === 0) {
    console.error(
      'metrotrace: no API key exists yet; create the first with `metrotrace keys create --role admin --label "your name"` (with the server stopped when the database is embedded)',
    );
  }
  // several API processes count each client once, in the Redis they share
  const redis =
    config.redisUrl === undefined
      ? undefined
      : (await import('../runtime/redis.ts')).openRateLimitRedis(config.redisUrl, (m) => console.error(`metrotrace: ${m}`));
  const app = await buildApp({
    rateLimitRedis: redis && { client: redis },
    registry: services.registry,
    computations: pool,
    traceability: services.traceability,
    verification: services.verification,
    energy: services.energy,
    dcc: services.dcc,
    access: services.access,
    ledger: services.ledger,
    supervision: services.supervision,
    lots: services.lots,
    imports: services.imports,
    sessions: services.sessions,
    visibility: services.visibility,
    protection: config.protection,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    reads: { replicas: reads?.replicas, primaryPosition: reads && postgresPositions(database.db).primary, maxLagMs: config.reads.maxLagMs },
    database: { kind: database.kind, ping: async () => void (await database.db.execute(sql`select 1`)) },
    version: VERSION,
    logger: config.logger,
  });
  const url = await app.listen({ port: config.port, host: config.host });
  const anchoring = config.ledgerAnchorIntervalS > 0 ? anchorPeriodically(services.ledger, anchors, config.ledgerAnchorIntervalS * 1000) : null;
  const where =
    database.kind === 'pglite'
      ? `embedded PGlite at ${config.dataDir}`
      : `PostgreSQL server${reads ? `; reads of ${reads.replicas.replicas.map((r) => r.name).join(', ')} within ${config.reads.maxLagMs} ms` : ''}`;
  console.error(
    `metrotrace ${VERSION}: API on ${url} (${where}${redis ? '; rate limits shared in Redis' : ''}); docs at ${url}/docs, public lookup at ${url}/lookup`,
  );
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      shuttingDown = true;
      anchoring?.stop();
      partitions.stop();
      await app.close();
      redis?.disconnect();
      await pool.close();
      await reads?.close();
      await stopWatching?.();
      await database.close();
    })());
  return { url, close };
}

/**
 * The listener, with each loss of the database's notifications logged, and
 * each return after one (the first start is not news).
 */
export function loggedWatch(listener: StatusFactsListener, log: (message: string) => void): StatusFactsListener {
  let up: boolean | undefined;
  return {
    changed: () => listener.changed(),
    watching: (now) => {
      if (now !== up) {
        if (!now) log('lost the database notifications of changes; every label lookup reads the facts version until they are back');
        else if (up === false) log('database notifications of changes are back; label answers are kept between changes again');
        up = now;
      }
      listener.watching(now);
    },
  };
}

/**
 * Anchors the ledger head now and every `everyMs` when it has moved since the
 * latest anchor in the log (the log is outside the database; a second party
 * should copy its new lines). Failures are logged, never fatal.
 */
export function anchorPeriodically(ledger: LedgerService, log: AnchorLog, everyMs: number): { stop(): void } {
  let last: number | null = null;
  const tick = async () => {
    try {
      if (last === null) last = Math.max(0, ...(await log.read()).map((a) => a.seq));
      const taken = await ledger.anchorIfMoved(last, log);
      if (taken) {
        last = taken.seq;
        console.error(`metrotrace: anchored ledger head ${taken.seq} ${taken.hash} in ${log.source}`);
      }
    } catch (e) {
      console.error(`metrotrace: could not anchor the ledger head: ${(e as Error).message}`);
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Makes the year partitions due now and every `everyMs` (persistence/partitions.ts):
 * a process running across New Year makes the next year's before it begins. A
 * failure is logged, never fatal: a row of a year without its partition goes
 * to the DEFAULT partition and moves to its year's once that is made.
 */
export function keepPartitions(db: Db, everyMs: number): { ready: Promise<void>; stop(): void } {
  const tick = async () => {
    try {
      const made = await ensurePartitions(db);
      if (made > 0) console.error(`metrotrace: made ${made} year partition${made === 1 ? '' : 's'} of the audit log and ledger`);
    } catch (e) {
      console.error(`metrotrace: could not make the year partitions: ${(e as Error).message}`);
    }
  };
  const ready = tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { ready, stop: () => clearInterval(timer) };
}

/** The demo's organisation for each role's key. */
const DEMO_KEYS = [
  ['ADMIN', 'admin', null],
  ['LAB', 'lab', 'district-station'],
  ['OWNER', 'owner', 'city-market'],
  ['INSPECTOR', 'inspector', 'city-samr'],
  ['AUDITOR', 'auditor', 'city-samr'],
] as const;

/**
 * One key per role for the demo data, written (owner-readable only) as shell
 * variables: METROTRACE_ADMIN_KEY, METROTRACE_LAB_KEY, … Only ever done when
 * the demo data is loaded into an empty database. Returns the file.
 *
 * Where: with the embedded database, beside it in its directory
 * (`$METROTRACE_DATA/demo-keys.env`). With a PostgreSQL server, whose
 * database has no directory here, in `./demo-keys/` under the working
 * directory, named after the server and database (`127.0.0.1-5432-test.env`;
 * never the user or password) — never in the embedded database's directory,
 * whose keys file belongs to that database. An existing file is never
 * overwritten (it may hold the only copy of other keys): the next free name
 * is taken (`demo-keys-2.env`, …), created exclusively.
 */
export async function issueDemoKeys(access: AccessService, config: { readonly dataDir: string; readonly databaseUrl: string | undefined }): Promise<string> {
  const on = parseDate(today(), '');
  const lines = [`# metrotrace demo API keys, issued ${on} with the demo data. Whoever reads this file holds these roles.`];
  for (const [name, role, organisationId] of DEMO_KEYS) {
    const { token } = await access.issue({ role, organisationId, label: `demo ${role}` }, on);
    lines.push(`export METROTRACE_${name}_KEY=${token}`);
  }
  let dir = config.dataDir;
  let base = 'demo-keys';
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    const [host, port, database] = [
      url.hostname || url.searchParams.get('host') || 'localhost',
      url.port || '5432',
      decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username) || 'postgres',
    ];
    dir = join(process.cwd(), 'demo-keys');
    base = [host, port, database].map((s) => s.replace(/[^A-Za-z0-9._-]/g, '_')).join('-');
    lines.splice(1, 0, `# for the database ${database} on the PostgreSQL server ${host}:${port}`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let n = 1; n <= 1000; n++) {
    const file = join(dir, n === 1 ? `${base}.env` : `${base}-${n}.env`);
    try {
      writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600, flag: 'wx' });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new Error(`${dir} already holds 1000 demo key files named ${base}*.env; remove the old ones`);
}
