/**
 * Register import at scale (issue #21): METROTRACE_BENCH_IMPORT_ROWS (default
 * 100,000) equipment rows as a CSV file, imported on PostgreSQL (DATABASE_URL)
 * through ImportService exactly as POST /v1/imports does it — every row read
 * by the equipment codec and checked by the registration rules, each batch of
 * 500 written set-based (one multi-row insert, its signed ledger entries by
 * one call) — against a COPY of the same rows into a table shaped like
 * equipment, in the same run: the floor of getting those rows into
 * PostgreSQL at all. Target: under 60 s. The second figure is the same file
 * imported again (every row unchanged). Then METROTRACE_BENCH_IMPORT_PGLITE_ROWS
 * (default 10,000) rows the same way on the embedded PGlite, against one
 * INSERT of the same rows (PGlite takes COPY from a file only).
 *   DATABASE_URL=postgres://… node --import tsx bench/import.bench.ts
 *   npm run bench -- import
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { loadRegistryData } from '../src/app/demo.ts';
import { csvTable } from '../src/codecs/csv.ts';
import { createServices, referenceData } from '../src/main/services.ts';
import { type Database, openDb, rowsOf } from '../src/persistence/db.ts';
import { newKeyLine, parseKeyRing } from '../src/runtime/ledger-keys.ts';
import type { Row } from './lib.ts';

export let notes = '';

const HEADER = [
  'Id',
  'Owner id',
  'Name',
  'Asset code',
  'Serial number',
  'Manufacturer',
  'Model',
  'Quantity',
  'Range min',
  'Range max',
  'Range unit',
  'Accuracy class',
  'Level',
  'Category',
  'Usage',
];
const rowOf = (i: number) => [
  `bench-scale-${i}`,
  'city-market',
  `电子计价秤 ${i}`,
  `BS-${i}`,
  `SN${100000 + i}`,
  '上海衡器厂',
  'ACS-30',
  'mass',
  '0.04',
  '30',
  'kg',
  'III',
  'working_instrument',
  'MV016',
  'trade_settlement',
];

const CALLER = { kind: 'key', keyId: 'bench', role: 'admin', organisationId: null } as const;

/** The demo's registry, then `n` rows imported and the same file imported again: the seconds of each. */
async function importTwice(database: Database, n: number): Promise<{ rows: string[][]; file: Buffer; importS: number; againS: number }> {
  await database.migrate();
  const services = createServices(database.db, randomUUID, referenceData(), undefined, undefined, { keys: parseKeyRing(newKeyLine().line, 'bench') });
  await loadRegistryData(
    services.unitOfWork,
    JSON.parse(readFileSync(new URL('../fixtures/demo/registry.json', import.meta.url), 'utf8')),
    randomUUID,
    services.rules,
  );
  const rows = Array.from({ length: n }, (_, i) => rowOf(i + 1));
  const file = Buffer.from(csvTable(HEADER, rows), 'utf8');
  let t = performance.now();
  const job = await services.imports.run(CALLER, { kind: 'equipment', format: 'csv', bytes: file });
  const importS = (performance.now() - t) / 1000;
  if (job.counts.created !== n) throw new Error(`expected ${n} rows created, got ${JSON.stringify(job.counts)}`);
  t = performance.now();
  const again = await services.imports.run(CALLER, { kind: 'equipment', format: 'csv', bytes: file });
  const againS = (performance.now() - t) / 1000;
  if (again.counts.unchanged !== n) throw new Error(`expected ${n} rows unchanged, got ${JSON.stringify(again.counts)}`);
  return { rows, file, importS, againS };
}

/** The row as the table stores it (the class column spelled as the codec stores it). */
const tableRow = (r: string[]) => [r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], 'class', 'III', r[12], r[13], r[14], 'in_service'];
const COLUMNS =
  'id, owner_id, name, asset_code, serial_number, manufacturer, model, quantity, range_min, range_max, range_unit, accuracy_kind, accuracy_class, level, category, usage, status';

export async function runImportBenchmarks(): Promise<Row[]> {
  const out: Row[] = [];
  const parts: string[] = [];
  const base = process.env.DATABASE_URL;
  if (base) {
    const n = Number(process.env.METROTRACE_BENCH_IMPORT_ROWS ?? 100_000);
    const url = new URL(base);
    const name = `metrotrace_bench_import_${process.pid}`;
    const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    url.pathname = `/${name}`;
    const database = await openDb({ url: url.toString(), poolSize: 4 });
    try {
      const { rows, file, importS, againS } = await importTwice(database, n);
      // the floor: the same rows by COPY into a table of the same shape (no checks, no ledger)
      const raw = postgres(url.toString(), { max: 1, onnotice: () => {} });
      await raw.unsafe('create table equipment_copy (like equipment including defaults)');
      const lines = rows.map((r) => tableRow(r).join('\t')).join('\n') + '\n';
      const t = performance.now();
      const copy = await raw.unsafe(`copy equipment_copy (${COLUMNS}) from stdin`).writable();
      await new Promise<void>((resolve, reject) => {
        copy.on('error', reject);
        copy.end(lines, () => resolve());
      });
      await new Promise((r) => setTimeout(r, 0));
      const copied = Number((await raw.unsafe('select count(*)::int as n from equipment_copy'))[0]!.n);
      const copyS = (performance.now() - t) / 1000;
      if (copied !== n) throw new Error(`COPY wrote ${copied} rows, not ${n}`);
      await raw.end();
      parts.push(
        `PostgreSQL: ${n.toLocaleString('en')} rows of 15 columns (${(file.length / 1e6).toFixed(1)} MB of CSV), one owner, ${Math.round(n / importS).toLocaleString('en')} rows/s (COPY: ${Math.round(n / copyS).toLocaleString('en')} rows/s).`,
      );
      out.push(
        {
          workload: 'I1 import equipment register (PostgreSQL)',
          figure: `${n} rows created`,
          value: importS,
          unit: 's',
          baseline: 'COPY of the same rows',
          baselineValue: copyS,
          ratio: importS / copyS,
          target: '< 60 s',
          met: importS < 60,
        },
        {
          workload: 'I2 import the same file again (PostgreSQL)',
          figure: `${n} rows unchanged`,
          value: againS,
          unit: 's',
          baseline: 'COPY of the same rows',
          baselineValue: copyS,
          ratio: againS / copyS,
        },
      );
    } finally {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
  const n = Number(process.env.METROTRACE_BENCH_IMPORT_PGLITE_ROWS ?? 10_000);
  const database = await openDb({});
  try {
    const { rows, importS, againS } = await importTwice(database, n);
    // the floor on PGlite: one INSERT of the same rows into a table of the same shape (one parameter: the rows as JSON)
    await database.db.execute(sql.raw('create table equipment_copy (like equipment including defaults)'));
    const json = JSON.stringify(rows.map((r) => Object.fromEntries(COLUMNS.split(', ').map((c, i) => [c, tableRow(r)[i]]))));
    const t = performance.now();
    await database.db.execute(
      sql`insert into equipment_copy (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from json_populate_recordset(null::equipment_copy, ${json}::json)`,
    );
    const insertS = (performance.now() - t) / 1000;
    const copied = Number(rowsOf<{ n: number }>(await database.db.execute(sql.raw('select count(*)::int as n from equipment_copy')))[0]!.n);
    if (copied !== n) throw new Error(`the INSERT wrote ${copied} rows, not ${n}`);
    parts.push(
      `PGlite (in memory): ${n.toLocaleString('en')} rows, ${Math.round(n / importS).toLocaleString('en')} rows/s (one INSERT: ${Math.round(n / insertS).toLocaleString('en')} rows/s).`,
    );
    out.push(
      {
        workload: 'I3 import equipment register (PGlite)',
        figure: `${n} rows created`,
        value: importS,
        unit: 's',
        baseline: 'one INSERT of the same rows',
        baselineValue: insertS,
        ratio: importS / insertS,
      },
      {
        workload: 'I4 import the same file again (PGlite)',
        figure: `${n} rows unchanged`,
        value: againS,
        unit: 's',
        baseline: 'one INSERT of the same rows',
        baselineValue: insertS,
        ratio: againS / insertS,
      },
    );
  } finally {
    await database.close();
  }
  notes = `${parts.join(' ')} Every row read by the codec and checked by the registration rules; each batch of 500 written set-based: one multi-row insert, its MAC-signed ledger entries by one call (migration 0038). The baseline writes the same rows with no checks and no ledger.`;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runImportBenchmarks()) console.log(JSON.stringify(r));
  console.log(notes);
}
