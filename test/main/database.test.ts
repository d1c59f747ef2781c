/**
 * main/database.ts: the database of a server or a command with its ledger
 * key ring and anchor log, kept beside it: the default key made on first use
 * by a writer and said so, never by a verifier; the database migrated.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openLedgeredDatabase } from '../../src/main/database.ts';
import { rowsOf } from '../../src/persistence/db.ts';

const it = suite('main/database');

it('a writer on a new data directory: the default ledger key made beside it and said so, the database migrated; a verifier makes no key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'metrotrace-main-db-'));
  try {
    const logged: string[] = [];
    const writer = await openLedgeredDatabase(
      { databaseUrl: undefined, dataDir: join(dir, 'data') },
      {},
      { createKey: true, log: (m) => logged.push(m), sharedBuffers: '16MB' },
    );
    try {
      assert.is(writer.ledger.files.keyFile, join(dir, 'data-ledger', 'keys'));
      assert.ok(existsSync(writer.ledger.files.keyFile));
      assert.ok(writer.ledger.keys.signingKeyId, 'a key signs');
      assert.is(writer.ledger.anchors.source, join(dir, 'data-ledger', 'anchors.jsonl'));
      assert.match(logged.join('\n'), /^created the ledger key file .*data-ledger\/keys; keep it out of the database administrators' reach/);
      const tables = rowsOf<{ n: number }>(
        await writer.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name = 'calibration_records'`),
      );
      assert.is(tables[0]!.n, 1, 'migrated');
    } finally {
      await writer.close();
    }

    const other = join(dir, 'other');
    const said: string[] = [];
    const verifier = await openLedgeredDatabase(
      { databaseUrl: undefined, dataDir: other },
      {},
      { createKey: false, log: (m) => said.push(m), sharedBuffers: '16MB' },
    );
    try {
      assert.is(verifier.ledger.keys.signingKeyId, null);
      assert.not.ok(existsSync(join(dir, 'other-ledger', 'keys')), 'a verifier does not make itself a key');
      assert.not.ok(said.some((m) => m.startsWith('created the ledger key file')));
    } finally {
      await verifier.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it.run();
