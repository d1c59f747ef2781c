/**
 * The ledger's append holds across processes (#23 item 2): two processes,
 * each with four concurrent writers, append to one PostgreSQL database at
 * once; the ledger comes out as one unbroken chain with every entry, its
 * sequence numbers contiguous. Needs a PostgreSQL server (DATABASE_URL);
 * the embedded database is one process by construction.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { randomUUID } from 'node:crypto';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServices, referenceData } from '../../src/http/services.ts';
import { openDb } from '../../src/persistence/db.ts';
import { countOf } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const it = suite('ledger appends from two processes');
const server = process.env.DATABASE_URL;

function child(url: string, tag: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./ledger-writer.child.ts', import.meta.url)), url, tag, String(count)], { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${tag} exited ${code}: ${err.slice(0, 2000)}`))));
  });
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
      await Promise.all([child(url.toString(), 'a', n), child(url.toString(), 'b', n)]);
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
