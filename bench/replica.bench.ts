/**
 * Replica reads (#23): on the local cluster of scripts/cluster.sh (its own
 * PostgreSQL primary, a streaming replica, two API processes reading the
 * replica), with the generated graph (METROTRACE_BENCH_INSTRUMENTS, default
 * 100,000) written on the primary and streamed to the replica:
 *   R0 label lookups, one API process on the primary alone (no DATABASE_READ_URL),
 *   R1 label lookups, one API process reading the replica,
 *   R2 label lookups, two API processes reading the replica (the load split
 *      between them, their throughputs added),
 *   W0 a write, POST /v1/organisations (admin key; a registration with its
 *      ledger entry and audit-log entry), on the primary-only process,
 *   W1 the same write on a process with replicas configured (it also asks the
 *      primary its WAL position for Metrotrace-Written-Lsn),
 * all in one run, autocannon in separate processes, 10 connections in all.
 * Everything shares the machine's cores: on 2 cores the ratio measures how
 * the CPU is shared, not what a second machine would add.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { CalendarDate } from '../src/core/dates.ts';
import { createServices } from '../src/main/services.ts';
import { openDb, rowsOf } from '../src/persistence/db.ts';
import { generateGraph } from '../fixtures/generate-graph.ts';
import { load, type LoadResult } from './api.bench.ts';
import type { Row } from './lib.ts';

export let notes = '';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** scripts/cluster.sh, up: its addresses, and how to tear it down. */
function cluster(): Promise<{ env: Record<string, string>; stop(): Promise<void> }> {
  const child = spawn('bash', [`${ROOT}scripts/cluster.sh`], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, METROTRACE_RATE_PUBLIC: '0', METROTRACE_RATE_KEY: '0', LOG: '0' },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('cluster: ready\n')) {
        const env = Object.fromEntries(
          out
            .split('\n')
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        resolve({ env, stop: async () => void (child.kill('SIGTERM'), await exited) });
      }
    });
    void exited.then(() => reject(new Error(`scripts/cluster.sh ended before it was ready (exit 3: no PostgreSQL binaries here)\n${out}`)));
  });
}

/** One more API process, on the primary only. */
async function primaryOnly(env: Record<string, string>): Promise<{ base: string; proc: ChildProcess }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = spawn(process.execPath, [`${ROOT}bin/metrotrace`, 'serve'], {
    cwd: env.CLUSTER_DIR,
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: env.PRIMARY_URL,
      DATABASE_READ_URL: '',
      METROTRACE_DATA: `${env.CLUSTER_DIR}/data`,
      METROTRACE_RATE_PUBLIC: '0',
      METROTRACE_RATE_KEY: '0',
      LOG: '0',
      METROTRACE_LEDGER_ANCHOR_INTERVAL_S: '0',
    },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, proc };
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  proc.kill();
  throw new Error('the primary-only API process did not start');
}

/** Several load clients at once, one per base, their throughputs added. */
async function together(runs: Array<Record<string, unknown>>): Promise<LoadResult> {
  const results = await Promise.all(runs.map((r) => load(r)));
  const sum = (f: (r: LoadResult) => number) => results.reduce((s, r) => s + f(r), 0);
  return {
    requestsPerSecond: sum((r) => r.requestsPerSecond),
    total: sum((r) => r.total),
    p50: Math.max(...results.map((r) => r.p50)),
    p99: Math.max(...results.map((r) => r.p99)),
    max: Math.max(...results.map((r) => r.max)),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    statuses: Object.assign({}, ...results.map((r) => r.statuses)),
  };
}

export async function runReplicaBenchmarks(): Promise<Row[]> {
  const instruments = Number(process.env.METROTRACE_BENCH_INSTRUMENTS ?? 100_000);
  const seconds = Number(process.env.METROTRACE_BENCH_SECONDS ?? 15);
  const connections = 10;
  const c = await cluster();
  const rows: Row[] = [];
  let solo: ChildProcess | undefined;
  const database = await openDb({ url: c.env.PRIMARY_URL, poolSize: 4 });
  try {
    const db = database.db;
    console.error(`bench replica: generating ${instruments.toLocaleString('en')} instruments on the primary …`);
    await generateGraph(db, { instruments, standards: Math.max(200, instruments / 50), owners: Math.max(50, instruments / 200), labs: 200 });
    const certs = rowsOf<{ certificate_no: string }>(
      await db.execute(sql`select certificate_no from calibration_records where id like 'gen-ri-%' order by md5(id) limit 2000`),
    );
    const lookups = certs.map((r) => `/v1/label?certificateNo=${encodeURIComponent(r.certificate_no)}`);
    const services = createServices(db, randomUUID);
    const { token } = await services.access.issue({ role: 'admin', organisationId: null, label: 'bench' }, '2026-11-25' as CalendarDate);
    const p = await primaryOnly(c.env);
    solo = p.proc;
    const [A, B] = [c.env.API_A!, c.env.API_B!];
    // the graph replayed on the replica and the replica in use by both processes
    for (let i = 0; ; i++) {
      const r = await fetch(`${B}${lookups.at(-1)}`);
      const a = await fetch(`${A}${lookups.at(-1)}`);
      if (r.ok && a.ok && r.headers.get('metrotrace-read-from') === 'replica' && a.headers.get('metrotrace-read-from') === 'replica') break;
      if (i > 600) throw new Error('the replica did not catch up with the generated graph in 2 minutes');
      await new Promise((res) => setTimeout(res, 200));
    }
    const get = (base: string, conns: number) => ({ base, method: 'GET', paths: lookups, connections: conns, seconds });
    const write = (base: string) => ({
      base,
      method: 'POST',
      paths: ['/v1/organisations'],
      headers: { authorization: `Bearer ${token}` },
      body: { id: `bench-${base.slice(-5)}-{n}`, name: 'Bench enterprise {n}', kind: 'enterprise', regionCode: '310104' },
      connections,
      seconds,
    });
    console.error('bench replica: warm-up …');
    await together([
      { ...get(p.base, connections), seconds: 3 },
      { ...get(A, 5), seconds: 3 },
      { ...get(B, 5), seconds: 3 },
    ]);
    // each configuration twice, interleaved, so that a change in the machine's load (shared with
    // other work) shows as the spread between a configuration's two runs rather than as a ratio
    const runs: Record<string, LoadResult[]> = { r0: [], r1: [], r2: [], w0: [], w1: [] };
    for (const round of [1, 2]) {
      console.error(`bench replica: round ${round}: R0, R1, R2, W0, W1 …`);
      runs.r0!.push(await load(get(p.base, connections)));
      runs.r1!.push(await load(get(A, connections)));
      runs.r2!.push(await together([get(A, connections / 2), get(B, connections / 2)]));
      runs.w0!.push(await load(write(p.base)));
      runs.w1!.push(await load(write(A)));
    }
    const mean = (rs: LoadResult[]): LoadResult => ({
      ...rs[0]!,
      requestsPerSecond: rs.reduce((a, r) => a + r.requestsPerSecond, 0) / rs.length,
      total: rs.reduce((a, r) => a + r.total, 0),
      p50: Math.max(...rs.map((r) => r.p50)),
      p99: Math.max(...rs.map((r) => r.p99)),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      timeouts: rs.reduce((a, r) => a + r.timeouts, 0),
      non2xx: rs.reduce((a, r) => a + r.non2xx, 0),
    });
    const [r0, r1, r2, w0, w1] = (['r0', 'r1', 'r2', 'w0', 'w1'] as const).map((k) => mean(runs[k]!)) as [
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
      LoadResult,
    ];
    const each = (k: string) => runs[k]!.map((r) => r.requestsPerSecond.toFixed(1)).join(' and ');
    const bad = (r: LoadResult) => r.errors + r.timeouts + r.non2xx;
    for (const [name, r] of Object.entries({ r0, r1, r2, w0, w1 }))
      if (bad(r) > 0) throw new Error(`failed requests under load in ${name}: ${JSON.stringify(r.statuses)}, errors ${r.errors}, timeouts ${r.timeouts}`);
    const on = `${instruments.toLocaleString('en')} instruments`;
    const baseline = 'R0 one process on the primary, req/s';
    rows.push(
      {
        workload: `R0 label lookups, one process on the primary, ${on}`,
        figure: 'requests/s',
        value: r0.requestsPerSecond,
        unit: 'req/s',
        baseline: 'itself',
        baselineValue: r0.requestsPerSecond,
        ratio: 1,
      },
      {
        workload: 'R1 label lookups, one process reading the replica',
        figure: 'requests/s',
        value: r1.requestsPerSecond,
        unit: 'req/s',
        baseline,
        baselineValue: r0.requestsPerSecond,
        ratio: r1.requestsPerSecond / r0.requestsPerSecond,
      },
      {
        workload: 'R2 label lookups, two processes reading the replica',
        figure: 'requests/s',
        value: r2.requestsPerSecond,
        unit: 'req/s',
        baseline,
        baselineValue: r0.requestsPerSecond,
        ratio: r2.requestsPerSecond / r0.requestsPerSecond,
      },
      {
        workload: 'R0 label lookups, one process on the primary',
        figure: 'p99 ms',
        value: r0.p99,
        unit: 'ms',
        baseline: 'itself',
        baselineValue: r0.p99,
        ratio: 1,
      },
      {
        workload: 'R2 label lookups, two processes reading the replica',
        figure: 'p99 ms',
        value: r2.p99,
        unit: 'ms',
        baseline: 'R0, p99 ms',
        baselineValue: r0.p99,
        ratio: r2.p99 / Math.max(r0.p99, 1),
      },
      {
        workload: 'W0 write POST /v1/organisations (admin), process on the primary alone',
        figure: 'requests/s',
        value: w0.requestsPerSecond,
        unit: 'req/s',
        baseline: 'itself',
        baselineValue: w0.requestsPerSecond,
        ratio: 1,
      },
      {
        workload: 'W1 the same write, process with DATABASE_READ_URL',
        figure: 'requests/s',
        value: w1.requestsPerSecond,
        unit: 'req/s',
        baseline: 'W0, req/s',
        baselineValue: w0.requestsPerSecond,
        ratio: w1.requestsPerSecond / w0.requestsPerSecond,
      },
      {
        workload: 'W1 the same write, process with DATABASE_READ_URL',
        figure: 'p99 ms',
        value: w1.p99,
        unit: 'ms',
        baseline: 'W0, p99 ms',
        baselineValue: w0.p99,
        ratio: w1.p99 / Math.max(w0.p99, 1),
      },
    );
    notes = `\n${seconds} s per run, each configuration run twice, interleaved (figures: the mean of the two, p99 the worse); req/s of each run: R0 ${each('r0')}, R1 ${each('r1')}, R2 ${each('r2')}, W0 ${each('w0')}, W1 ${each('w1')}. ${connections} connections in all (R2: 5 on each process), autocannon in separate processes. Lookups spread over 2,000 certificate numbers, so most miss the process's label cache and work the status out. The primary, the replica (scripts/cluster.sh: fsync off, on this machine), the API processes and the load clients all share the same cores, so on a 2-core machine a second process and a replica add no CPU: R2/R0 shows what reading through the replica costs or saves here, not what a replica on its own machine would add; and on a machine busy with other work, two processes also get a larger share of the contended CPU than one. Requests: R0 ${r0.total.toLocaleString('en')}, R1 ${r1.total.toLocaleString('en')}, R2 ${r2.total.toLocaleString('en')}; writes W0 ${w0.total.toLocaleString('en')} (median ${w0.p50} ms), W1 ${w1.total.toLocaleString('en')} (median ${w1.p50} ms); no errors, no non-2xx. Load average when the run ended: ${(
      await import('node:os')
    )
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}.\n`;
  } finally {
    solo?.kill('SIGTERM');
    await database.close();
    await c.stop();
  }
  return rows;
}
