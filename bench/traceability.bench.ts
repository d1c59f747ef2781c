/**
 * Traceability at scale (issue: traceability chains): the generated graph of
 * fixtures/generate-graph.ts (1,000,000 instruments and 20,000 standards by
 * default; METROTRACE_BENCH_INSTRUMENTS to change), on the PostgreSQL server of
 * DATABASE_URL (a fresh database, dropped afterwards) or on in-memory PGlite.
 *   - generator load time, against a bare INSERT … SELECT of as many rows into an unindexed table
 *   - chain resolution median and p99, against a primary-key lookup of one equipment
 *   - impact analysis from a national standard, against a full scan of record_references
 * and the query plan of the upward closure.
 */
import { loadavg } from 'node:os';
import { sql } from 'drizzle-orm';
import { TraceabilityService } from '../src/app/traceability.ts';
import { parseDate } from '../src/core/dates.ts';
import { DrizzleRegistryStore } from '../src/persistence/registry-store.ts';
import { loadCharts } from '../src/runtime/charts.ts';
import { today } from '../src/runtime/ambient.ts';
import { benchGraphDatabase, machine, latencyRows, timed, type Row } from './lib.ts';

export let notes = '';

export async function runTraceabilityBenchmarks(): Promise<Row[]> {
  const instruments = Number(process.env.METROTRACE_BENCH_INSTRUMENTS ?? 1_000_000);
  const standards = Number(process.env.METROTRACE_BENCH_STANDARDS ?? 20_000);
  const { database, generated, cleanup } = await benchGraphDatabase('metrotrace_bench', { instruments, standards, owners: 5000, labs: 200 });
  const rows: Row[] = [];
  try {
    const db = database.db;
    if (generated) {
      const [, bareMs] = await timed(async () => {
        await db.execute(sql.raw(`create temporary table bare_rows as select g as n, 'row-' || g as label from generate_series(1, ${generated.rows}) g`));
      });
      rows.push({
        workload: `T1 generate the graph (${instruments.toLocaleString('en')} instruments, ${standards.toLocaleString('en')} standards) on ${database.kind}`,
        figure: `load time (${generated.rows.toLocaleString('en')} rows)`,
        value: generated.ms / 1000,
        unit: 's',
        baseline: 'the same number of rows into an unindexed table (s)',
        baselineValue: bareMs / 1000,
        ratio: generated.ms / bareMs,
      });
    }

    const store = new DrizzleRegistryStore(db);
    const service = new TraceabilityService({ store, charts: loadCharts(), today });
    const at = parseDate('2026-06-01', '');
    const picks = Array.from({ length: 400 }, (_, i) => `gen-i-${(i * 7_368_787) % instruments}`);
    for (const id of picks.slice(0, 20)) await service.trace(id, at); // warm up
    const resolveTimes: number[] = [];
    let traceable = 0;
    for (const id of picks) {
      const [r, ms] = await timed(() => service.trace(id, at));
      resolveTimes.push(ms);
      if (r.traceable) traceable++;
    }
    const lookupTimes: number[] = [];
    for (const id of picks) lookupTimes.push((await timed(() => store.getEquipment(id)))[1]);
    rows.push(
      ...latencyRows(
        'T2 chain resolution at a date',
        `${picks.length} instruments, depth 7; ${traceable} traceable`,
        resolveTimes,
        'primary-key lookup of one equipment',
        lookupTimes,
        10,
        database.kind === 'postgres',
      ),
    );

    const [deps, impactMs] = await timed(() => service.impact('gen-s-0-0', '2025-01-01'));
    const [, scanMs] = await timed(() => db.execute(sql`select count(*) from record_references`));
    rows.push({
      workload: `T3 impact analysis from a national standard since 2025-01-01 (${deps.length.toLocaleString('en')} dependents)`,
      figure: 'wall s',
      value: impactMs / 1000,
      unit: 's',
      baseline: 'count(*) over record_references (s)',
      baselineValue: scanMs / 1000,
      ratio: impactMs / scanMs,
      target: '< 5 s',
      met: impactMs < 5000,
    });

    const plan = await db.execute(
      sql.raw(
        `explain analyze with recursive up(id, at) as (select 'gen-i-12'::text, date '2026-06-01' union select rr.reference_id, lr.performed_on from up cross join lateral (select cr.id, cr.performed_on from calibration_records cr where cr.subject_id = up.id and cr.performed_on <= up.at and not exists (select 1 from calibration_records c2 where c2.supersedes = cr.id) order by cr.performed_on desc, cr.id collate "C" desc limit 1) lr join record_references rr on rr.record_id = lr.id) select id, at from up`,
      ),
    );
    const planRows = ((plan as unknown as { rows?: Array<Record<string, string>> }).rows ?? (plan as unknown as Array<Record<string, string>>)).map(
      (r) => Object.values(r)[0],
    );
    notes = [
      '',
      `Load average (1 min) at the end: ${loadavg()[0]!.toFixed(1)} on ${machine().cores} cores.`,
      '',
      ...(generated ? [] : ['The graph was copied from a kept database (METROTRACE_BENCH_REUSE_GRAPH=1), so T1 (load time) was not measured.', '']),
      '### Query plan of the upward closure (one instrument: the record in force at each date of use, then its references)',
      '',
      '```',
      ...planRows,
      '```',
      '',
    ].join('\n');
  } finally {
    await database.close();
    await cleanup();
  }
  return rows;
}
