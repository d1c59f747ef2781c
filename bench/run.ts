/**
 * npm run bench — runs the benchmarks and writes bench/results/<suite>.json and
 * bench/results/README.md (the committed record, with the machine it ran on).
 *   npm run bench                 all suites
 *   npm run bench -- uncertainty  one suite
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { machine, type Row } from './lib.ts';
import { notes as uncertaintyNotes, runUncertaintyBenchmarks } from './uncertainty.bench.ts';
import * as traceability from './traceability.bench.ts';
import * as verification from './verification.bench.ts';
import * as api from './api.bench.ts';
import * as startup from './startup.bench.ts';
import * as supervision from './supervision.bench.ts';
import * as imports from './import.bench.ts';
import * as replica from './replica.bench.ts';
import * as lots from './lots.bench.ts';

const suites: Record<string, () => Row[] | Promise<Row[]>> = {
  uncertainty: runUncertaintyBenchmarks,
  traceability: traceability.runTraceabilityBenchmarks,
  verification: verification.runVerificationBenchmarks,
  api: api.runApiBenchmarks,
  startup: startup.runStartupBenchmarks,
  supervision: supervision.runSupervisionBenchmarks,
  // 100,000 rows on PostgreSQL (DATABASE_URL; METROTRACE_BENCH_IMPORT_ROWS scales it), 10,000 on PGlite (METROTRACE_BENCH_IMPORT_PGLITE_ROWS)
  import: imports.runImportBenchmarks,
  // its own primary, replica and API processes (scripts/cluster.sh); needs the PostgreSQL server binaries
  replica: replica.runReplicaBenchmarks,
  // 2,000,000 meters in 400 lots: on PostgreSQL only (DATABASE_URL); METROTRACE_BENCH_METERS scales it
  ...(process.env.DATABASE_URL ? { lots: lots.runLotBenchmarks } : {}),
};
const notes: Record<string, () => string> = {
  uncertainty: uncertaintyNotes,
  traceability: () => traceability.notes,
  verification: () => verification.notes,
  api: () => api.notes,
  startup: () => startup.notes,
  supervision: () => supervision.notes,
  import: () => imports.notes,
  replica: () => replica.notes,
  lots: () => lots.notes,
};

const wanted = process.argv.slice(2);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
const when = new Date().toISOString();
const m = machine();
for (const [name, run] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.error(`bench: ${name} …`);
  const rows = await run();
  writeFileSync(new URL(`${name}.json`, dir), JSON.stringify({ suite: name, ranAt: when, machine: m, rows }, null, 2) + '\n');
  const fmt = (x: number) => (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en') : x.toPrecision(3));
  const table = [
    `## ${name} — ${when.slice(0, 10)}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (${m.platform}).`,
    '',
    '| workload | figure | value | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.workload} | ${r.figure} | ${fmt(r.value)} ${r.unit} | ${r.baseline}: ${fmt(r.baselineValue)} | ${r.ratio.toFixed(2)} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |`,
    ),
    '',
    notes[name]?.() ?? '',
  ].join('\n');
  writeFileSync(new URL(`${name}.md`, dir), table);
  console.log(table);
}
