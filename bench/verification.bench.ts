/**
 * Mandatory verification at scale (issue: mandatory verification):
 *   V1 capacity planning of 100,000 due verifications over 50 institutions and
 *      12 months, in memory, against sorting the same items by due date;
 *   V2 the inspector's status lookup through the HTTP API (a listening server,
 *      keep-alive fetch) on the generated 1,000,000-instrument graph, against
 *      GET /v1/equipment/{id} on the same server;
 *   V3 the due list of a 12-month horizon over all instruments (service, then
 *      CSV), against a count(*) over the records;
 *   G1 the integrity grades of every organisation of the region (issue #20:
 *      the organisations own ten instruments each, so 100,000 of them at
 *      1,000,000 instruments), against a count(*) over the equipment table.
 * The database is the PostgreSQL server of DATABASE_URL (a fresh database,
 * dropped afterwards) or in-memory PGlite; METROTRACE_BENCH_INSTRUMENTS scales it.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { dueCsv } from '../src/codecs/verification.ts';
import { addDays, type CalendarDate, fromDayNumber, toDayNumber } from '../src/core/dates.ts';
import { type DueVerification, type Institution, planVerifications } from '../src/core/verification/planning.ts';
import { inProcess } from '../src/app/computations.ts';
import { buildApp } from '../src/http/app.ts';
import { createServices } from '../src/main/services.ts';
import { generateGraph, INSTRUMENT_CATEGORIES } from '../fixtures/generate-graph.ts';
import { benchDatabase, latencyRows, time, timed, type Row } from './lib.ts';

export let notes = '';

/** A deterministic pseudo-random sequence (LCG), so the planning input is the same in every run. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

export function planningInput(count: number, institutionCount: number): { items: DueVerification[]; institutions: Institution[] } {
  const rnd = lcg(42);
  const categories = INSTRUMENT_CATEGORIES.map(([c]) => c);
  const regions = Array.from({ length: 16 }, (_, i) => String(310101 + i));
  const start = toDayNumber('2027-01-01' as CalendarDate);
  const items = Array.from({ length: count }, (_, i) => ({
    equipmentId: `i${i}`,
    category: categories[i % categories.length]!,
    regionCode: regions[Math.floor(rnd() * regions.length)]!,
    // 5 % already overdue, the rest due over the year
    dueOn: rnd() < 0.05 ? null : fromDayNumber(start + Math.floor(rnd() * 365)),
  }));
  // capacity sized to about 95 % of the demand, so that some months overflow
  const perInstitutionCategory = Math.ceil((count * 0.95) / 12 / ((institutionCount * 3) / 1));
  const institutions = Array.from({ length: institutionCount }, (_, k) => ({
    labId: `lab-${String(k).padStart(2, '0')}`,
    regionCode: regions[k % regions.length]!,
    capacities: [0, 1, 2].map((j) => ({
      category: categories[(k + j) % categories.length]!,
      monthly: perInstitutionCategory,
      validFrom: '2026-01-01' as CalendarDate,
      validUntil: '2030-12-31' as CalendarDate,
    })),
  }));
  return { items, institutions };
}

export async function runVerificationBenchmarks(): Promise<Row[]> {
  const rows: Row[] = [];
  const { items, institutions } = planningInput(100_000, 50);
  let plan = planVerifications({ from: '2027-01-01' as CalendarDate, months: 12, items, institutions });
  const planMs = time(() => (plan = planVerifications({ from: '2027-01-01' as CalendarDate, months: 12, items, institutions })), 3);
  const sortMs = time(() => void [...items].sort((a, b) => ((a.dueOn ?? '') < (b.dueOn ?? '') ? -1 : 1)), 3);
  rows.push({
    workload: `V1 plan 100,000 due verifications over 50 institutions, 12 months (${plan.summary.onTime.toLocaleString('en')} on time, ${plan.summary.late.toLocaleString('en')} late, ${plan.summary.unplaced.toLocaleString('en')} unplaced)`,
    figure: 'wall ms (median of 3)',
    value: planMs,
    unit: 'ms',
    baseline: 'sorting the 100,000 items by due date (ms)',
    baselineValue: sortMs,
    ratio: planMs / sortMs,
    target: '< 5 s',
    met: planMs < 5000,
  });

  const instruments = Number(process.env.METROTRACE_BENCH_INSTRUMENTS ?? 1_000_000);
  const { database, cleanup } = await benchDatabase('metrotrace_bench_verification');
  try {
    await database.migrate();
    const db = database.db;
    await generateGraph(db, { instruments, standards: 20_000, owners: Math.max(1, Math.floor(instruments / 10)), labs: 200 });
    const services = createServices(db, randomUUID);
    const app = await buildApp({
      ...services,
      computations: inProcess(),
      database: { kind: database.kind, ping: async () => void (await db.execute(sql`select 1`)) },
      version: 'bench',
      protection: { publicPerMinute: 0, keyPerMinute: 0 },
    });
    const { token } = await services.access.issue({ role: 'admin', organisationId: null, label: 'bench' }, '2026-11-25' as never);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const picks = Array.from({ length: 500 }, (_, i) => `gen-i-${(i * 7_368_787) % instruments}`);
      const get = async (url: string) => {
        const res = await fetch(base + url, { headers: { authorization: `Bearer ${token}` } });
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
        return res.json() as Promise<{ state?: string }>;
      };
      for (const id of picks.slice(0, 30)) await get(`/v1/equipment/${id}/status?at=2026-11-25`);
      const statusTimes: number[] = [];
      const states: Record<string, number> = {};
      for (const id of picks) {
        const [body, ms] = await timed(() => get(`/v1/equipment/${id}/status?at=2026-11-25`));
        statusTimes.push(ms);
        states[body.state!] = (states[body.state!] ?? 0) + 1;
      }
      const plainTimes: number[] = [];
      for (const id of picks) plainTimes.push((await timed(() => get(`/v1/equipment/${id}`)))[1]);
      const stateText = Object.entries(states)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      rows.push(
        ...latencyRows(
          `V2 status lookup through the API, ${instruments.toLocaleString('en')} instruments on ${database.kind}`,
          `${picks.length} lookups: ${stateText}`,
          statusTimes,
          'GET /v1/equipment/{id}',
          plainTimes,
          10,
          database.kind === 'postgres',
        ),
      );

      const from = '2026-11-25' as CalendarDate;
      const to = addDays(from, 364);
      await services.verification.due({ from, to: addDays(from, 30) }); // warm the plan cache
      const [due, dueMs] = await timed(() => services.verification.due({ from, to }));
      const [csv, csvMs] = await timed(async () => dueCsv(due));
      const [, countMs] = await timed(() => db.execute(sql`select count(*) from calibration_records`));
      rows.push({
        workload: `V3 due list, 12-month horizon over all ${instruments.toLocaleString('en')} instruments (${due.length.toLocaleString('en')} due, CSV ${(csv.length / 2 ** 20).toFixed(0)} MiB)`,
        figure: 'wall s (query and statuses + CSV)',
        value: (dueMs + csvMs) / 1000,
        unit: 's',
        baseline: 'count(*) over calibration_records (s)',
        baselineValue: countMs / 1000,
        ratio: (dueMs + csvMs) / countMs,
        target: '< 5 s',
        met: dueMs + csvMs < 5000,
      });
      notes = `\nV3 split: query and statuses ${(dueMs / 1000).toFixed(2)} s, CSV ${(csvMs / 1000).toFixed(2)} s.\n`;

      const [grades, gradeMs] = await timed(() => services.supervision.gradesInRegion('31', from, null));
      const [, scanMs] = await timed(() => db.execute(sql`select count(*) from equipment`));
      const distribution: Record<string, number> = {};
      for (const g of grades) distribution[g.grade] = (distribution[g.grade] ?? 0) + 1;
      rows.push({
        workload: `G1 integrity grades of every organisation of region 31 (${grades.length.toLocaleString('en')} graded: ${Object.entries(distribution)
          .sort()
          .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
          .join(', ')})`,
        figure: 'wall s (counts, due list of the day, inspections, measures, rule table)',
        value: gradeMs / 1000,
        unit: 's',
        baseline: 'count(*) over equipment (s)',
        baselineValue: scanMs / 1000,
        ratio: gradeMs / scanMs,
        target: '< 10 s',
        met: gradeMs < 10_000,
      });
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
    await cleanup();
  }
  return rows;
}
