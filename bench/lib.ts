/**
 * Benchmark helpers. Machines here are shared and noisy, so every figure is
 * taken as the median of several rounds and reported next to a baseline
 * measured in the same run; the ratio is what the committed results compare.
 */
import { readdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { type Database, openDb } from '../src/persistence/db.ts';

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

/**
 * A fresh database for a benchmark: a new database on the server of
 * DATABASE_URL (dropped by cleanup), or in-memory PGlite.
 */
export async function benchDatabase(name: string): Promise<{ database: Database; url: string | undefined; cleanup: () => Promise<void> }> {
  const server = process.env.DATABASE_URL;
  if (!server) return { database: await openDb({}), url: undefined, cleanup: async () => {} };
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    database: await openDb({ url: url.toString(), poolSize: 4 }),
    url: url.toString(),
    cleanup: async () => {
      const a = postgres(server, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)),
  );
}

/** A bench of whole processes measures the build; a stale one would send bin/metrotrace to the sources (compiled at run time). */
export function assertBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist/.built')).mtimeMs;
  } catch {
    // no build
  }
  if (built < newest(join(ROOT, 'src'))) throw new Error('dist/ is missing or older than src/: run `npm run build` first');
}
