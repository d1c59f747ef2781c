/**
 * The ledger's append holds across processes (#23 item 2): two processes,
 * each with four concurrent writers, append to one PostgreSQL database at
 * once; the ledger comes out as one unbroken chain with every entry, its
 * sequence numbers contiguous. Needs a PostgreSQL server (DATABASE_URL);
 * the embedded database is one process by construction.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServices, referenceData } from '../../src/main/services.ts';
import { openDb } from '../../src/persistence/db.ts';
import { countOf } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const it = suite('ledger appends from two processes');
const server = process.env.DATABASE_URL;

/** A writer process: `ready` resolves once it is connected and waiting at the barrier, `done` when it has written. */
function child(url: string, tag: string, count: number, barrier: string): { ready: Promise<void>; done: Promise<void> } {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./ledger-writer.child.ts', import.meta.url)), url, tag, String(count), barrier],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const ready = new Promise<void>((resolve) => p.stdout.on('data', (d) => String(d).includes('ready') && resolve()));
  const done = new Promise<void>((resolve, reject) =>
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${tag} exited ${code}: ${err.slice(0, 2000)}`)))),
  );
  return { ready: Promise.race([ready, done]), done };
}

if (server === undefined) {
  it('skipped: needs a PostgreSQL server (DATABASE_URL); the embedded database admits one process', () => {});
} else {
  it('two processes writing at once leave one unbroken ledger with every entry', async () => {
    const name = `metrotrace_ledger2p_${process.pid}_${Date.now()}`;
    const admin = postgres(server, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const database = await openDb({ url: url.toString(), poolSize: 2 });
    try {
      await database.migrate();
      const before = await countOf(database.db, 'select count(*) as n from ledger');
      const n = 60;
      // both processes start loaded and connected, then write at once: a barrier file opens them together
      const barrier = join(mkdtempSync(join(tmpdir(), 'ledger2p-')), 'go');
      const writers = [child(url.toString(), 'a', n, barrier), child(url.toString(), 'b', n, barrier)];
      await Promise.all(writers.map((w) => w.ready));
      writeFileSync(barrier, 'go');
      await Promise.all(writers.map((w) => w.done));
      rmSync(dirname(barrier), { recursive: true, force: true });
      const span = async (tag: string) => [
        await countOf(database.db, `select min(seq) as n from ledger where entity_id like 'proc-${tag}-%'`),
        await countOf(database.db, `select max(seq) as n from ledger where entity_id like 'proc-${tag}-%'`),
      ];
      const [[aFirst, aLast], [bFirst, bLast]] = [await span('a'), await span('b')];
      assert.ok(
        aFirst! < bLast! && bFirst! < aLast!,
        `the two processes' appends interleave (a ${aFirst}–${aLast}, b ${bFirst}–${bLast}): they did write at once`,
      );
      assert.is(await countOf(database.db, "select count(*) as n from ledger where kind = 'organisation' and entity_id like 'proc-%'"), 2 * n);
      const total = await countOf(database.db, 'select count(*) as n from ledger');
      assert.is(total, before + 2 * n);
      assert.is(await countOf(database.db, 'select max(seq) as n from ledger'), total, 'sequence numbers 1…n without a gap or a repeat');
      const services = createServices(database.db, randomUUID, referenceData(), () => '2026-11-25' as never, undefined, { keys: TEST_LEDGER_KEYS });
      const report = await services.ledger.verify();
      assert.ok(report.valid, report.summary);
      assert.is(report.checked, total);
    } finally {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
}

it.run();
