/**
 * npm run reliability — the reliability report (issue: nothing lost, nothing
 * forged), rerunnable with one command, written to bench/results/reliability.md:
 *   1. load held: the public label lookup and an authenticated write at rising
 *      offered rates (sent open-loop at a steady rate from a second process:
 *      bench/load-client.ts paced) on PostgreSQL with the
 *      generated graph; the highest rate whose p99 stays under target, and
 *      what gives first beyond it;
 *   2. faults injected and survived: test/reliability/faults.test.ts, run on
 *      PGlite and PostgreSQL, each scenario with its outcome;
 *   3. bad inputs tried: test/reliability/fuzz.test.ts with a random seed,
 *      with the number of requests and codec inputs and the seed to repeat it.
 * Needs DATABASE_URL for parts 1 and 2's PostgreSQL half.
 *   METROTRACE_RELIABILITY_INSTRUMENTS (default 100,000), FUZZ_RUNS (default 1,000)
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { inProcess } from '../src/app/computations.ts';
import type { CalendarDate } from '../src/core/dates.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/main/services.ts';
import { generateGraph } from '../fixtures/generate-graph.ts';
import { load, type LoadResult } from './api.bench.ts';
import { benchDatabase, machine } from './lib.ts';

const P99_TARGET_MS = 20;
const out: string[] = [];
const m = machine();
const when = new Date().toISOString();
out.push(
  `# Reliability report — ${when.slice(0, 10)}`,
  '',
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}. Regenerate with \`npm run reliability\` (DATABASE_URL set).`,
  '',
);

async function loadHeld(): Promise<void> {
  const instruments = Number(process.env.METROTRACE_RELIABILITY_INSTRUMENTS ?? 100_000);
  const { database, cleanup } = await benchDatabase('metrotrace_reliability');
  try {
    await database.migrate();
    const db = database.db;
    console.error(`reliability: generating ${instruments.toLocaleString('en')} instruments …`);
    await generateGraph(db, { instruments, standards: Math.max(200, instruments / 50), owners: Math.max(50, instruments / 200), labs: 200 });
    const services = createServices(db, randomUUID);
    const app = await buildApp({
      ...services,
      computations: inProcess(),
      database: { kind: database.kind, ping: async () => void (await db.execute(sql`select 1`)) },
      version: 'reliability',
      protection: { publicPerMinute: 0, keyPerMinute: 0 },
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const rowsOf = <T>(r: unknown) => (r as { rows?: T[] }).rows ?? (r as T[]);
      const lookups = rowsOf<{ certificate_no: string }>(
        await db.execute(sql`select certificate_no from calibration_records where id like 'gen-ri-%' order by md5(id) limit 2000`),
      ).map((r) => `/v1/label?certificateNo=${encodeURIComponent(r.certificate_no)}`);
      const bodies = rowsOf<Record<string, string>>(
        await db.execute(
          sql`select r.subject_id, min(rr.reference_id) as reference_id from calibration_records r join record_references rr on rr.record_id = r.id where r.id like 'gen-ri-%' group by r.subject_id order by md5(r.subject_id) limit 2000`,
        ),
      ).map((r) => ({ subjectId: r.subject_id, referenceIds: [r.reference_id] }));
      const { token } = await services.access.issue({ role: 'lab', organisationId: 'gen-lab-0', label: 'reliability' }, '2026-11-25' as CalendarDate);
      const ramp = async (name: string, target: number, rates: number[], config: Record<string, unknown>) => {
        out.push(
          `### ${name}`,
          '',
          `| offered req/s | achieved req/s | p50 ms | p99 ms | errors + non-2xx | p99 < ${target} ms |`,
          '|---|---|---|---|---|---|',
        );
        // Warm-up flat out (autocannon): JIT, each pooled connection prepares its statements, and (for
        // the lookup) each of the 2,000 certificates is asked for once, so the ramp measures the answers
        // kept, as the api bench's A1 does (a cold lookup resolves a chain: bench traceability T2).
        await load({ base, connections: 10, seconds: 10, ...config });
        const passed: number[] = [];
        let held = 0;
        let contiguous = true;
        let firstFailure = '';
        let failedRequests = 0;
        for (const rate of rates) {
          console.error(`reliability: ${name} at ${rate} req/s …`);
          const r: LoadResult = await load({ base, connections: 10, seconds: 8, rate, paced: true, ...config });
          const bad = r.errors + r.timeouts + r.non2xx;
          failedRequests += bad;
          const ok = r.p99 < target && bad === 0 && r.requestsPerSecond >= rate * 0.95;
          out.push(`| ${rate} | ${Math.round(r.requestsPerSecond)} | ${r.p50} | ${r.p99} | ${bad} | ${ok ? 'yes' : 'no'} |`);
          if (ok) passed.push(rate);
          if (ok && contiguous) held = rate;
          if (!ok) contiguous = false;
          if (!ok && !firstFailure)
            firstFailure = `at ${rate} req/s, ${bad > 0 ? `${bad} failed requests (${JSON.stringify(r.statuses)})` : r.requestsPerSecond < rate * 0.95 ? `throughput: ${Math.round(r.requestsPerSecond)} of ${rate} req/s served, the rest queued (p99 ${r.p99} ms)` : `latency: p99 ${r.p99} ms`}`;
          if (!ok && r.p99 > 5 * target) break;
        }
        out.push(
          '',
          `Every step up to **${held} req/s** held p99 < ${target} ms with nothing failed; steps within target: ${passed.join(', ') || 'none'} req/s. First to give: ${firstFailure || 'nothing within the ramp'}. ${failedRequests === 0 ? 'No request failed at any step' : `${failedRequests} requests failed over the ramp`}; requests are sent at a steady rate whether or not earlier ones are answered, each latency counted from when the request was due; this 2-core machine is shared (server, PostgreSQL and load generator on it), so single steps near the target flip.`,
          '',
        );
      };
      out.push(
        `## 1. Load held (${instruments.toLocaleString('en')} instruments on ${database.kind}, requests at a steady rate, 8 s per step after a 10 s warm-up flat out on 10 connections)`,
        '',
      );
      await ramp('Public label lookup, GET /v1/label (target p99 < 20 ms)', P99_TARGET_MS, [200, 400, 600, 800, 1000, 1200, 1400, 1600], {
        method: 'GET',
        paths: lookups,
      });
      await ramp(
        'Authenticated write, POST /v1/calibrations (lab key, scope check, ledger append; no target set: 250 ms used)',
        250,
        [10, 20, 40, 60, 80, 100],
        {
          method: 'POST',
          paths: ['/v1/calibrations'],
          headers: { authorization: `Bearer ${token}` },
          body: { kind: 'verification', labId: 'gen-lab-0', certificateNo: 'REL-{n}', performedOn: '2026-11-20', validUntil: '2027-11-19', conformity: 'pass' },
          bodies,
        },
      );
      const ledger = await services.ledger.verify();
      out.push(
        `After the write ramp the ledger verifies: **${ledger.broken === null ? 'yes' : 'NO'}** (${ledger.checked.toLocaleString('en')} entries, head ${ledger.head.seq}); nothing acknowledged was lost.`,
        '',
      );
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    await cleanup();
  }
}

function runTests(pattern: string, env: Record<string, string>): { output: string; ok: boolean } {
  // --all: the fault and fuzz suites are long ones, left out of the quick suite
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', '--all', pattern], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
  return { output: r.stdout + r.stderr, ok: r.status === 0 };
}

function faults(): void {
  console.error('reliability: fault scenarios …');
  const r = runTests('reliability/faults', {});
  const lines = r.output.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const summary = lines.find((l) => /^\d+ passed, \d+ failed/.test(l)) ?? 'no summary';
  out.push('## 2. Faults injected', '', `\`test/reliability/faults.test.ts\`: **${summary}**.`, '');
  const passed = Number(/^(\d+) passed, 0 failed/.exec(summary)?.[1] ?? 0);
  if (!r.ok || passed === 0) {
    // the table below is what the suite proves when it passes; without a pass it proves nothing
    out.push('The suite did not pass in this run, so the faults below are **not** shown survived:', '');
  }
  out.push(
    `| fault | on | ${!r.ok || passed === 0 ? 'meant to be survived by' : 'survived by'} |`,
    '|---|---|---|',
    '| 50 concurrent writers appending to one ledger | PGlite, PostgreSQL | the ledger lock: 50 records, 50 consecutive entries, chain valid |',
    '| writer process killed with SIGKILL in the middle of a write | PGlite (data directory), PostgreSQL | the transaction: no record, no points, no ledger entry; the lock dies with the writer |',
    '| writer killed right after an acknowledged write | PGlite, PostgreSQL | durable commit: the record is there on reopening |',
    '| connection terminated (pg_terminate_backend) while the write waits | PostgreSQL | rollback; 503 UNAVAILABLE; the repeated write goes through (and the postgres.js crash it exposed is guarded) |',
    '| database unreachable (TCP proxy cut), then back | PostgreSQL | 503 with Retry-After and no internals; recovery without a restart |',
    '| server crash-restart (pg_ctlcluster restart -m immediate) after 20 acknowledged writes | PostgreSQL | WAL: all 20 there, ledger valid |',
    '',
  );
  if (!r.ok) out.push('```', ...lines.filter((l) => /FAIL|✘/.test(l)).slice(0, 20), '```', '');
}

function fuzz(): void {
  console.error('reliability: hostile input …');
  const runs = process.env.FUZZ_RUNS ?? '1000';
  const r = runTests('reliability/fuzz', { FUZZ_RUNS: runs, FUZZ_SEED: 'random', FUZZ_REPORT: '1' });
  const text = r.output.replace(/\x1b\[[0-9;]*m/g, '');
  const tried = /FUZZ_TRIED (\{.*\})/.exec(text);
  const t = tried ? (JSON.parse(tried[1]!) as { requests: number; codecInputs: number; seed: number }) : undefined;
  const summary = text.split('\n').find((l) => /^\d+ passed, \d+ failed/.test(l)) ?? 'no summary';
  out.push(
    '## 3. Bad inputs tried',
    '',
    `\`test/reliability/fuzz.test.ts\` with FUZZ_RUNS=${runs}: **${summary}**; ${t ? `${t.requests.toLocaleString('en')} requests over every route and ${t.codecInputs.toLocaleString('en')} codec inputs (CSV, DCC XML, uncertainty specs), seed ${t.seed} (\`FUZZ_SEED=${t.seed} FUZZ_RUNS=${runs} npm run fuzz\` repeats it)` : 'counts not reported'}. ${r.ok && /^[1-9]\d* passed, 0 failed/.test(summary) ? 'Every answer a 2xx or a 4xx problem with a code and a path; none slower than 10 s.' : 'The suite did not pass in this run: nothing is shown about bad inputs.'}`,
    '',
  );
  out.push(
    'Found and fixed by this suite: `x^1e9` (the report wrote 10^1e9 in full: out of memory), a 20,001-term model (quadratic flattening: out of memory), an over-long path segment (fastify’s own 414 body), an unterminated CSV quote (an uncoded error).',
    '',
  );
  if (!r.ok)
    out.push(
      '```',
      ...text
        .split('\n')
        .filter((l) => /FAIL|Counterexample|seed/.test(l))
        .slice(0, 20)
        .map((l) => l.slice(0, 300)),
      '```',
      '',
    );
}

if (process.env.DATABASE_URL) await loadHeld();
else out.push('## 1. Load held', '', 'Skipped: set DATABASE_URL to a PostgreSQL server.', '');
faults();
fuzz();
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/reliability.md', import.meta.url), out.join('\n'));
console.log(out.join('\n'));
