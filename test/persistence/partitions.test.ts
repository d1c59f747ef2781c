/**
 * The audit log is partitioned by year (migration 0039): its rows go to their
 * year's partition or, for a year without one, to DEFAULT; making a year's
 * partition later moves the waiting rows into it; the table stays append-only
 * through every partition (TRUNCATE of one partition too), and seq stays
 * unique across partitions although no index can hold that any more.
 */
import { sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { countOf, inRollback, testDatabases } from '../helpers/db.ts';
import { rowsOf, type Db } from '../../src/persistence/db.ts';
import { ensurePartitions, listPartitions } from '../../src/persistence/partitions.ts';

/** The insert of an audit row at `at` (seq from the counter unless given). */
function insertAudit(at: string, seq?: number): string {
  return `insert into audit_log (${seq === undefined ? '' : 'seq, '}at, role, method, route, path, params, status, outcome, address, request_id)
    values (${seq === undefined ? '' : `${seq}, `}'${at}', 'admin', 'GET', '/x', '/x', '{}', 200, 'ok', '127.0.0.1', 'r')`;
}

const auditRow = (at: string, seq?: number) => sql.raw(insertAudit(at, seq));

async function rejected(db: Db, statement: string): Promise<string> {
  try {
    await db.transaction(async (tx) => {
      await tx.execute(sql.raw(statement));
    });
  } catch (e) {
    const err = e as { message: string; cause?: { message: string } };
    return err.cause?.message ?? err.message;
  }
  assert.unreachable(`${statement} was accepted`);
  return '';
}

async function partitionOf(db: Db, seq: number): Promise<string> {
  return rowsOf<{ p: string }>(await db.execute(sql.raw(`select tableoid::regclass::text as p from audit_log where seq = ${seq}`)))[0]!.p;
}

for (const target of testDatabases()) {
  const test = suite(`audit log partitions on ${target.name}`);

  test('the migration made this year and next, and DEFAULT; ensuring again makes nothing', async () => {
    const db = (await target.open()).db;
    const year = new Date().getUTCFullYear();
    const names = (await listPartitions(db)).filter((p) => p.parent === 'audit_log').map((p) => p.name);
    for (const n of [`audit_log_y${year}`, `audit_log_y${year + 1}`, 'audit_log_default']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    assert.is(await ensurePartitions(db), 0);
    const bound = (await listPartitions(db)).find((p) => p.name === `audit_log_y${year}`)!.bound;
    assert.match(bound, `FROM ('${year}-01-01`);
  });

  test('a row of a year without partition waits in DEFAULT and moves to its year when that is made; nothing is lost', async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      const [{ seq: a }] = rowsOf<{ seq: number }>(await tx.execute(sql`${auditRow('1999-06-01T12:00:00Z')} returning seq`)) as [{ seq: number }];
      const [{ seq: b }] = rowsOf<{ seq: number }>(await tx.execute(sql`${auditRow('1999-12-31T23:59:59Z')} returning seq`)) as [{ seq: number }];
      await tx.execute(auditRow('2000-01-01T00:00:00Z'));
      assert.is(await partitionOf(tx, Number(a)), 'audit_log_default');
      assert.is(await ensurePartitions(tx), 2); // 1999 and 2000 (this year's and next exist)
      assert.is(await partitionOf(tx, Number(a)), 'audit_log_y1999');
      assert.is(await partitionOf(tx, Number(b)), 'audit_log_y1999');
      assert.is(await countOf(tx, `select count(*)::int as n from audit_log_default`), 0);
      assert.is(await countOf(tx, `select count(*)::int as n from audit_log_y2000`), 1);
      // the moved-into partition and DEFAULT, attached again, are append-only like the rest
      assert.match(await rejected(tx, `delete from audit_log_y1999`), 'APPEND_ONLY');
      await tx.execute(auditRow('1998-03-03T00:00:00Z'));
      assert.match(await rejected(tx, `update audit_log_default set path = '/y'`), 'APPEND_ONLY');
      assert.match(await rejected(tx, `delete from audit_log_default`), 'APPEND_ONLY');
      assert.is(await ensurePartitions(tx), 1);
    });
  });

  test('the log is append-only through the parent and every partition, TRUNCATE of one partition included', async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      await tx.execute(auditRow(new Date().toISOString()));
      const year = new Date().getUTCFullYear();
      for (const table of ['audit_log', `audit_log_y${year}`]) {
        assert.match(await rejected(tx, `update ${table} set path = '/y'`), 'APPEND_ONLY');
        assert.match(await rejected(tx, `delete from ${table}`), 'APPEND_ONLY');
      }
      for (const table of ['audit_log', `audit_log_y${year}`, `audit_log_y${year + 1}`, 'audit_log_default']) {
        assert.match(await rejected(tx, `truncate ${table}`), 'APPEND_ONLY', table);
      }
      // an update that would move a row to another year's partition is an update, refused
      assert.match(await rejected(tx, `update audit_log set at = at - interval '2 years'`), 'APPEND_ONLY');
    });
  });

  test('seq stays unique across partitions: an explicit seq already taken in another year is refused', async () => {
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      const [{ seq }] = rowsOf<{ seq: string }>(await tx.execute(sql`${auditRow(new Date().toISOString())} returning seq::text`)) as [{ seq: string }];
      const message = await rejected(tx, insertAudit('1999-01-01T00:00:00Z', Number(seq)));
      assert.match(message, 'audit_log_seq_unique');
      // the counter's next value and a fresh explicit one are accepted
      await tx.execute(auditRow('1999-01-01T00:00:00Z'));
      await tx.execute(auditRow('1999-01-01T00:00:00Z', Number(seq) + 1_000_000));
      assert.is(await countOf(tx, `select count(*)::int as n from audit_log where seq = ${Number(seq) + 1_000_000}`), 1);
    });
  });

  test('the ledger is partitioned the same way; seq unique across years, a MAC only for an entry that exists', async () => {
    const db = (await target.open()).db;
    const year = new Date().getUTCFullYear();
    const names = (await listPartitions(db)).filter((p) => p.parent === 'ledger').map((p) => p.name);
    for (const n of [`ledger_y${year}`, `ledger_y${year + 1}`, 'ledger_default']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    await inRollback(db, async (tx) => {
      const entry = (seq: number, at: string) =>
        `insert into ledger (seq, kind, entity_id, content_hash, prev_hash, hash, recorded_at) values (${seq}, 'organisation', 'o', 'c', 'p', 'h${seq}', '${at}')`;
      await tx.execute(sql.raw(entry(900001, new Date().toISOString())));
      assert.match(await rejected(tx, entry(900001, '1999-01-01T00:00:00Z')), 'ledger_seq_unique');
      await tx.execute(sql.raw(entry(900002, '1999-01-01T00:00:00Z')));
      assert.is(rowsOf<{ p: string }>(await tx.execute(sql`select tableoid::regclass::text as p from ledger where seq = 900002`))[0]!.p, 'ledger_default');
      await tx.execute(sql`insert into ledger_macs (seq, key_id, mac) values (900002, 'k', 'm')`);
      assert.match(await rejected(tx, `insert into ledger_macs (seq, key_id, mac) values (900003, 'k', 'm')`), 'ledger_macs_seq_ledger_seq_fk');
      assert.is(await ensurePartitions(tx), 1);
      assert.is(rowsOf<{ p: string }>(await tx.execute(sql`select tableoid::regclass::text as p from ledger where seq = 900002`))[0]!.p, 'ledger_y1999');
      for (const table of ['ledger', `ledger_y${year}`, 'ledger_y1999', 'ledger_default'])
        assert.match(await rejected(tx, `truncate ${table}`), 'APPEND_ONLY', table);
      assert.match(await rejected(tx, `delete from ledger_y1999`), 'APPEND_ONLY');
    });
  });

  test("the keeper runs as the tables' owner: a role that owns nothing makes the partitions (PostgreSQL server)", async () => {
    if (target.name !== 'postgres') return;
    const db = (await target.open()).db;
    await inRollback(db, async (tx) => {
      await tx.execute(
        sql.raw(
          `do $$ begin if not exists (select 1 from pg_roles where rolname = 'metrotrace_test_app') then create role metrotrace_test_app; end if; end $$`,
        ),
      );
      await tx.execute(sql.raw('grant usage on schema public to metrotrace_test_app'));
      await tx.execute(sql.raw('set local role metrotrace_test_app'));
      const [{ made }] = rowsOf<{ made: number }>(await tx.execute(sql`select metrotrace_partitions_ensure(now() + interval '5 years') as made`)) as [
        { made: number },
      ];
      assert.is(Number(made), 6, 'two years of each of the three tables (audit log, ledger, records)');
    });
  });

  test.run();
}
