/**
 * Benchmark helpers. Machines here are shared and noisy, so every figure is
 * taken as the median of several rounds and reported next to a baseline
 * measured in the same run; the ratio is what the committed results compare.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { type GraphSize, generateGraph } from '../fixtures/generate-graph.ts';
import { type Database, openDb } from '../src/persistence/db.ts';
import { distIsCurrent } from '../bin/dist-current.mjs';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs `work` `rounds` times (after one warm-up) and returns the median wall time in ms. */
export function time(work: () => void, rounds = 5): number {
  work();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    work();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function machine() {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
}

export interface Row {
  workload: string;
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  ratio: number;
  target?: string;
  met?: boolean;
}

export const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;

/**
 * The median and p99 rows of a latency next to a baseline's timings from the
 * same run; the p99 carries the target (checked on PostgreSQL only).
 */
export function latencyRows(
  workload: string,
  detail: string,
  times: number[],
  baseline: string,
  baselineTimes: number[],
  p99TargetMs: number,
  onPostgres: boolean,
): Row[] {
  return [
    {
      workload: `${workload} (${detail})`,
      figure: 'median ms',
      value: median(times),
      unit: 'ms',
      baseline: `${baseline}, median ms`,
      baselineValue: median(baselineTimes),
      ratio: median(times) / median(baselineTimes),
    },
    {
      workload,
      figure: 'p99 ms',
      value: p99(times),
      unit: 'ms',
      baseline: `${baseline}, p99 ms`,
      baselineValue: p99(baselineTimes),
      ratio: p99(times) / p99(baselineTimes),
      target: `< ${p99TargetMs} ms on PostgreSQL`,
      met: onPostgres ? p99(times) < p99TargetMs : undefined,
    },
  ];
}

export async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await work();
  return [r, performance.now() - t0];
}

/** The database name of DATABASE_URL: the benches make theirs beside it (`<it>_<suffix>`), so sessions sharing a server do not collide. */
function serverAndBase(server: string): { base: string } {
  return { base: decodeURIComponent(new URL(server).pathname.slice(1)) || 'postgres' };
}

function urlOf(server: string, name: string): string {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh database for a benchmark: a new database `<DATABASE_URL's database>_<suffix>` on the server of
 * DATABASE_URL (dropped by cleanup), or in-memory PGlite. With `template`, the new database is a copy of it.
 */
export async function benchDatabase(suffix: string, template?: string): Promise<{ database: Database; url: string | undefined; cleanup: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) return { database: await openDb({}), url: undefined, cleanup: async () => {} };
  const name = `${serverAndBase(server).base}_${suffix}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  if (template) {
    // FILE_COPY (PostgreSQL 15+): the copy is a file copy between two checkpoints, where the default
    // (WAL_LOG) writes the whole template into the WAL: 1.5 GB for the 1,000,000-instrument graph, which set
    // off checkpoints that ran on through the measured runs (their writes, and every page's first change
    // after each start written whole into the WAL, made the inserts of a record 25-65 ms instead of ~1).
    await admin.unsafe(`create database ${name} template ${template} strategy file_copy`).catch(async (e: { code?: string }) => {
      if (e.code !== '42601' && e.code !== '42704') throw e; // before 15: no STRATEGY
      await admin.unsafe(`create database ${name} template ${template}`);
    });
  } else await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = urlOf(server, name);
  return {
    database: await openDb({ url, poolSize: 4, prepare: process.env.DATABASE_PREPARE?.trim() !== '0' }),
    url,
    cleanup: async () => {
      const a = postgres(server, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/**
 * A fresh, migrated database holding the generated graph of fixtures/generate-graph.ts, for a benchmark.
 * Generating 1,000,000 instruments takes minutes, so with METROTRACE_BENCH_REUSE_GRAPH=1 (and DATABASE_URL) the
 * graph is generated once into a kept database `<DATABASE_URL's database>_graph_<instruments>`, marked complete
 * (with the size and a hash of the generator) only when generation committed; every run then copies it
 * (CREATE DATABASE … TEMPLATE, a file copy) and migrates the copy, so runs still start from the same state and
 * never see each other's writes. `generated` is undefined when the graph was copied (no load time to report).
 * Drop the kept database by hand (`drop database <name>`) when done; a changed generator or size makes a new one.
 */
export async function benchGraphDatabase(
  suffix: string,
  size: GraphSize,
): Promise<{ database: Database; generated: { rows: number; ms: number } | undefined; cleanup: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server || !process.env.METROTRACE_BENCH_REUSE_GRAPH) {
    const { database, cleanup } = await benchDatabase(suffix);
    await database.migrate();
    const [{ rows }, ms] = await timed(() => generateGraph(database.db, size));
    return { database, generated: { rows, ms }, cleanup };
  }
  const graph = `${serverAndBase(server).base}_graph_${size.instruments}`;
  const marker = `metrotrace bench graph ${JSON.stringify(size)} ${createHash('sha256').update(readFileSync(GENERATOR)).digest('hex').slice(0, 16)}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  const found = await admin<{ comment: string | null }[]>`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${graph}`;
  let generated: { rows: number; ms: number } | undefined;
  if (found[0]?.comment !== marker) {
    console.error(`bench: generating the graph into ${graph} (kept for reuse: METROTRACE_BENCH_REUSE_GRAPH) …`);
    await admin.unsafe(`drop database if exists ${graph} with (force)`);
    await admin.unsafe(`create database ${graph}`);
    const kept = await openDb({ url: urlOf(server, graph), poolSize: 1 });
    try {
      await kept.migrate();
      const [{ rows }, ms] = await timed(() => generateGraph(kept.db, size));
      generated = { rows, ms };
      await kept.db.execute(sql.raw('vacuum analyze'));
    } finally {
      await kept.close();
    }
    await admin.unsafe(`comment on database ${graph} is '${marker.replaceAll("'", "''")}'`);
  } else console.error(`bench: copying the generated graph from ${graph} (METROTRACE_BENCH_REUSE_GRAPH) …`);
  await admin.end();
  const { database, cleanup } = await benchDatabase(suffix, graph);
  await database.migrate();
  await database.db.execute(sql.raw('analyze'));
  // the set-up's writes (migrations, statistics) flushed now, not by a checkpoint running during the measurements
  await database.db.execute(sql.raw('checkpoint'));
  return { database, generated, cleanup };
}

const GENERATOR = fileURLToPath(new URL('../fixtures/generate-graph.ts', import.meta.url));

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A bench of whole processes measures the build; a stale one would send bin/metrotrace to the sources (compiled at run time). */
export function assertBuilt(): void {
  if (!distIsCurrent(ROOT)) throw new Error('dist/ is missing or older than src/: run `npm run build` first');
}
