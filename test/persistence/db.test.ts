/**
 * The database module's own helpers (persistence/db.ts), apart from the
 * suites of its lock, template and migrator (db-lock, template, migrate-once):
 * the rows of a raw statement from either driver, the marker that has a
 * statement prepared, a database told as each transaction ends, and the last
 * committed migration as drizzle records it,
 * which the shared test database has applied.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type postgres from 'postgres';
import { afterEachTransaction, lastCommittedMigration, MIGRATIONS_FOLDER, preparing, rowsOf } from '../../src/persistence/db.ts';
import { testDatabases } from '../helpers/db.ts';

const it = suite('persistence/db');

it('rowsOf reads PGlite’s { rows } and postgres.js’s array alike', () => {
  assert.equal(rowsOf<{ n: number }>({ rows: [{ n: 1 }] }), [{ n: 1 }]);
  assert.equal(rowsOf<{ n: number }>([{ n: 2 }]), [{ n: 2 }]);
});

it('statements are prepared (but those marked UNPREPARED or with over 100 parameters), in transactions and savepoints too; switched off, the client is as it was; other members pass through', async () => {
  const calls: unknown[][] = [];
  const fake = (depth: number): postgres.Sql =>
    ({
      unsafe: (...a: unknown[]) => calls.push([depth, ...a]),
      begin: async (...a: unknown[]) => (a.at(-1) as (c: postgres.Sql) => unknown)(fake(depth + 1)),
      savepoint: async (_name: string, body: (c: postgres.Sql) => unknown) => body(fake(depth + 1)),
      end: () => 'ended',
    }) as unknown as postgres.Sql;
  const wrapped = preparing(fake(0));
  wrapped.unsafe('select 1', [], { prepare: false } as never);
  const many = Array.from({ length: 101 }, (_, i) => i);
  wrapped.unsafe('select in101', many as never, { prepare: false } as never);
  wrapped.unsafe('/*unprepared*/select 4', [1] as never, { prepare: false } as never);
  await wrapped.begin('isolation level serializable', async (tx) => {
    tx.unsafe('select 2', [1] as never);
    await tx.savepoint('sp', async (sp) => sp.unsafe('select 3'));
  });
  assert.equal(calls, [
    [0, 'select 1', [], { prepare: true }],
    [0, 'select in101', many, { prepare: false }],
    [0, '/*unprepared*/select 4', [1], { prepare: false }],
    [1, 'select 2', [1], { prepare: true }],
    [2, 'select 3', undefined, { prepare: true }],
  ]);
  assert.is((wrapped as unknown as { end(): string }).end(), 'ended');
  const bare = fake(0);
  assert.is(preparing(bare, false), bare, 'DATABASE_PREPARE=0: drizzle’s own (unnamed) statements');
});

it('afterEachTransaction: told as each transaction ends, committed or rolled back; a statement outside one is not a transaction', async () => {
  const { db } = await testDatabases()[0]!.open();
  let ended = 0;
  const watched = afterEachTransaction(db, () => ended++);
  assert.is(await watched.transaction(async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select 1 as n`))[0]!.n), 1);
  assert.is(ended, 1);
  await watched
    .transaction(async () => {
      throw new Error('rolled back');
    })
    .then(
      () => assert.unreachable('the transaction threw'),
      (e: Error) => assert.is(e.message, 'rolled back'),
    );
  assert.is(ended, 2);
  assert.equal(rowsOf(await watched.execute(sql`select 2 as n`)), [{ n: 2 }]);
  assert.is(ended, 2);
});

it('the last committed migration is the journal’s last entry with the SHA-256 of its file, and the test database has applied it', async () => {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string; when: number }> };
  const last = journal.entries.at(-1)!;
  const expected = {
    when: last.when,
    hash: createHash('sha256')
      .update(readFileSync(join(MIGRATIONS_FOLDER, `${last.tag}.sql`), 'utf8'))
      .digest('hex'),
  };
  assert.equal(lastCommittedMigration(), expected);
  const { db } = await testDatabases()[0]!.open();
  const applied = rowsOf<{ hash: string; created_at: string }>(
    await db.execute(sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`),
  )[0]!;
  assert.equal([Number(applied.created_at), applied.hash], [expected.when, expected.hash]);
});

it.run();
