/**
 * The API under load (issue: the public face): autocannon, from a second
 * process, against
 *   A0 a bare fastify route (the baseline: what this machine and fastify give),
 *   A1 the public label lookup GET /v1/label?certificateNo=… (no key, real
 *      lookups spread over the generated graph),
 *   A2 an authenticated write: POST /v1/calibrations with a lab key (key check,
 *      scope check, record, its ledger entry signed with the key ring as the
 *      server signs it, audit-log entry), flat out and at a fixed offered
 *      100 req/s (the target is its p99 there: requests sent open-loop, one
 *      every 10 ms, as bench/load-client.ts `paced` explains; autocannon's own
 *      rate limit, which sends each second's budget in bursts, beside it),
 * each for a fixed time with 10 connections, on the generated graph
 * (METROTRACE_BENCH_INSTRUMENTS, default 1,000,000) in a fresh database on the
 * PostgreSQL server of DATABASE_URL (in-memory PGlite without it). Rate limits
 * are off for the run; everything else is as served.
 */
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify from 'fastify';
import { inProcess } from '../src/app/computations.ts';
import type { CalendarDate } from '../src/core/dates.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/main/services.ts';
import { newKeyLine, parseKeyRing } from '../src/runtime/ledger-keys.ts';
import { benchGraphDatabase, type Row } from './lib.ts';

export let notes = '';

/** The offered load of the write's latency target (issue #19: p99 < 50 ms at 100 req/s). */
const WRITE_RATE = 100;

export interface LoadResult {
  requestsPerSecond: number;
  total: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
}

/** One autocannon run in its own process. */
export function load(config: Record<string, unknown>): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL('./load-client.ts', import.meta.url).pathname, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    // a run that does not end (a server that never answers) fails the bench instead of holding it forever
    const seconds = Number(config.seconds ?? 10);
    const kill = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.stdout.on('data', (c) => (out += c));
    child.on('close', (code, signal) => {
      clearTimeout(kill);
      if (code === 0) resolve(JSON.parse(out.trim().split('\n').pop()!));
      else reject(new Error(`load client ${signal ? `killed (${signal}): no end ${seconds + 60} s after it started` : `exited ${code}`}`));
    });
  });
}

export async function runApiBenchmarks(): Promise<Row[]> {
  const instruments = Number(process.env.METROTRACE_BENCH_INSTRUMENTS ?? 1_000_000);
  const seconds = Number(process.env.METROTRACE_BENCH_SECONDS ?? 15);
  const connections = 10;
  const loadBefore = loadavg()[0]!.toFixed(1);
  console.error(`bench api: the graph of ${instruments.toLocaleString('en')} instruments …`);
  const { database, cleanup } = await benchGraphDatabase('metrotrace_bench_api', {
    instruments,
    standards: Math.max(200, instruments / 50),
    owners: Math.max(50, instruments / 200),
    labs: 200,
  });
  const rows: Row[] = [];
  try {
    const db = database.db;
    // a key ring, as the server always has one (main/database.ts): each ledger entry's MAC is part of a write
    const keys = parseKeyRing(`${newKeyLine().line}\n`, 'bench key ring');
    const services = createServices(db, randomUUID, undefined, undefined, undefined, { keys });
    // as the server does (main/server.ts): the label answers kept hold until the database tells of a change
    const stopWatching = await database.watchStatusFacts(services.verification.statusFacts);
    const app = await buildApp({
      ...services,
      computations: inProcess(),
      database: { kind: database.kind, ping: async () => void (await db.execute(sql`select 1`)) },
      version: 'bench',
      protection: { publicPerMinute: 0, keyPerMinute: 0 },
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const bare = Fastify();
    bare.get('/bare', async () => ({ ok: true }));
    const bareBase = await bare.listen({ port: 0, host: '127.0.0.1' });
    try {
      const certs = (await db.execute(sql`select certificate_no from calibration_records where id like 'gen-ri-%' order by md5(id) limit 2000`)) as unknown as {
        rows?: Array<{ certificate_no: string }>;
      } & Array<{ certificate_no: string }>;
      const lookups = (certs.rows ?? certs).map((r) => `/v1/label?certificateNo=${encodeURIComponent(r.certificate_no)}`);
      const refs = (await db.execute(
        sql`select r.subject_id, min(rr.reference_id) as reference_id from calibration_records r join record_references rr on rr.record_id = r.id where r.id like 'gen-ri-%' group by r.subject_id order by md5(r.subject_id) limit 2000`,
      )) as unknown as { rows?: Array<Record<string, string>> } & Array<Record<string, string>>;
      const bodies = (refs.rows ?? refs).map((r) => ({ subjectId: r.subject_id, referenceIds: [r.reference_id] }));
      const { token } = await services.access.issue({ role: 'lab', organisationId: 'gen-lab-0', label: 'bench' }, '2026-11-25' as CalendarDate);
      const run = (label: string, config: Record<string, unknown>) => {
        console.error(`bench api: ${label} …`);
        return load({ connections, seconds, ...config });
      };
      await run('warm-up', { base: bareBase, method: 'GET', paths: ['/bare'], seconds: 3 });
      // long enough to ask for each of the 2,000 certificates at least once (they are taken in turn): the run
      // then measures the answers kept; a certificate not asked for before costs a chain resolution (T2)
      await run('warm-up', { base, method: 'GET', paths: lookups, seconds: 10 });
      const b = await run('A0 bare route', { base: bareBase, method: 'GET', paths: ['/bare'] });
      const l = await run('A1 public lookup', { base, method: 'GET', paths: lookups });
      const write = {
        base,
        method: 'POST',
        paths: ['/v1/calibrations'],
        headers: { authorization: `Bearer ${token}` },
        body: { kind: 'verification', labId: 'gen-lab-0', certificateNo: 'BENCH-{n}', performedOn: '2026-11-20', validUntil: '2027-11-19', conformity: 'pass' },
        bodies,
      };
      // the target is a latency at a fixed offered load (autocannon's overallRate over all connections); flat out shows the ceiling
      const w = await run('A2 authenticated write, flat out', write);
      const wb = await run(`A2 authenticated write, autocannon's rate limit of ${WRITE_RATE} req/s (bursts)`, { ...write, rate: WRITE_RATE });
      const wr = await run(`A2 authenticated write at a steady ${WRITE_RATE} req/s`, { ...write, rate: WRITE_RATE, paced: true });
      const bad = (r: LoadResult) => r.errors + r.timeouts + r.non2xx;
      if (bad(l) > 0 || bad(w) > 0 || bad(wb) > 0 || bad(wr) > 0)
        throw new Error(
          `failed requests under load: lookup ${JSON.stringify(l.statuses)}, write ${JSON.stringify(w.statuses)}, write in bursts ${JSON.stringify(wb.statuses)}, write at ${WRITE_RATE} req/s ${JSON.stringify(wr.statuses)}, errors ${l.errors + w.errors + wb.errors + wr.errors}`,
        );
      const on = `${instruments.toLocaleString('en')} instruments on ${database.kind}`;
      const pg = database.kind === 'postgres';
      rows.push(
        {
          workload: `A0 bare fastify route, ${connections} connections`,
          figure: 'requests/s',
          value: b.requestsPerSecond,
          unit: 'req/s',
          baseline: 'itself',
          baselineValue: b.requestsPerSecond,
          ratio: 1,
        },
        {
          workload: `A1 public label lookup GET /v1/label, ${on}`,
          figure: 'requests/s',
          value: l.requestsPerSecond,
          unit: 'req/s',
          baseline: 'bare route, req/s',
          baselineValue: b.requestsPerSecond,
          ratio: l.requestsPerSecond / b.requestsPerSecond,
          target: '≥ 30 % of the bare route',
          met: pg ? l.requestsPerSecond / b.requestsPerSecond >= 0.3 : undefined,
        },
        {
          workload: 'A1 public label lookup',
          figure: 'p99 ms',
          value: l.p99,
          unit: 'ms',
          baseline: 'bare route, p99 ms',
          baselineValue: b.p99,
          ratio: l.p99 / Math.max(b.p99, 1),
          target: '< 20 ms on PostgreSQL',
          met: pg ? l.p99 < 20 : undefined,
        },
        {
          workload: `A2 authenticated write POST /v1/calibrations (lab key), ${on}`,
          figure: 'requests/s',
          value: w.requestsPerSecond,
          unit: 'req/s',
          baseline: 'bare route, req/s',
          baselineValue: b.requestsPerSecond,
          ratio: w.requestsPerSecond / b.requestsPerSecond,
        },
        {
          workload: 'A2 authenticated write, flat out',
          figure: 'p99 ms',
          value: w.p99,
          unit: 'ms',
          baseline: 'bare route, p99 ms',
          baselineValue: b.p99,
          ratio: w.p99 / Math.max(b.p99, 1),
        },
        {
          workload: `A2 authenticated write, autocannon's rate limit of ${WRITE_RATE} req/s: each second's budget sent in bursts of ${connections}`,
          figure: 'p99 ms',
          value: wb.p99,
          unit: 'ms',
          baseline: 'bare route, p99 ms',
          baselineValue: b.p99,
          ratio: wb.p99 / Math.max(b.p99, 1),
        },
        {
          workload: `A2 authenticated write at a steady ${WRITE_RATE} req/s (offered, one every ${1000 / WRITE_RATE} ms, open loop), ${on}`,
          figure: 'requests/s',
          value: wr.requestsPerSecond,
          unit: 'req/s',
          baseline: 'offered, req/s',
          baselineValue: WRITE_RATE,
          ratio: wr.requestsPerSecond / WRITE_RATE,
        },
        {
          workload: `A2 authenticated write at a steady ${WRITE_RATE} req/s`,
          figure: 'p99 ms',
          value: wr.p99,
          unit: 'ms',
          baseline: 'bare route, p99 ms',
          baselineValue: b.p99,
          ratio: wr.p99 / Math.max(b.p99, 1),
          target: `< 50 ms at ${WRITE_RATE} req/s on PostgreSQL`,
          met: pg ? wr.p99 < 50 && wr.requestsPerSecond >= WRITE_RATE * 0.95 : undefined,
        },
      );
      notes = `\n${seconds} s per run, ${connections} connections, autocannon in a second process (the steady run: bench/load-client.ts paced, open loop); the lookups after a 10 s warm-up that asked for each of their 2,000 certificates (the answers kept, told of changes by the database). Requests: bare ${b.total.toLocaleString('en')}, lookup ${l.total.toLocaleString('en')} (median ${l.p50} ms), write flat out ${w.total.toLocaleString('en')} records appended (median ${w.p50} ms), write in autocannon's bursts ${wb.total.toLocaleString('en')} (median ${wb.p50} ms), write at a steady ${WRITE_RATE} req/s ${wr.total.toLocaleString('en')} (median ${wr.p50} ms, latency counted from when each request was due); no errors, no non-2xx. Load average (1 min) ${loadBefore} before, ${loadavg()[0]!.toFixed(1)} after.\n`;
    } finally {
      await app.close();
      await bare.close();
      await stopWatching();
    }
  } finally {
    await database.close();
    await cleanup();
  }
  return rows;
}
