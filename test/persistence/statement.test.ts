/**
 * Statements written once (persistence/statement.ts), on embedded PGlite
 * always and on the PostgreSQL server when DATABASE_URL is set: an insert
 * lands the row drizzle's insert lands (a JSON value serialised, a field left
 * out taking its default, a field with no column ignored), inside the
 * transaction at hand.
 */
import { asc, eq } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rowsOf, type Db } from '../../src/persistence/db.ts';
import { auditLog } from '../../src/persistence/schema/access.ts';
import { insertRows, runStatement } from '../../src/persistence/statement.ts';
import { countOf, inRollback, testDatabases } from '../helpers/db.ts';

const line = (requestId: string, over: Partial<typeof auditLog.$inferInsert> = {}): typeof auditLog.$inferInsert => ({
  keyId: 'key-a',
  role: 'lab',
  organisationId: 'city-lab',
  method: 'POST',
  route: '/v1/calibrations',
  path: '/v1/calibrations',
  params: { certificateNo: 'Ω-1', nested: { list: [1, 'two', null] } },
  status: 201,
  outcome: 'ok',
  address: '127.0.0.1',
  requestId,
  ...over,
});

/** An audit line as read back, without what the database gave it (sequence and time). */
const readBack = async (db: Db, requestId: string) => {
  const [row] = await db.select().from(auditLog).where(eq(auditLog.requestId, requestId)).orderBy(asc(auditLog.seq));
  const { seq, at, ...rest } = row!;
  assert.ok(Number(seq) > 0 && typeof at === 'string' && at.length > 0, 'sequence and time from their defaults');
  return rest;
};

for (const database of testDatabases()) {
  const it = suite(`persistence/statement on ${database.name}`);

  it("an insert lands the row drizzle's insert lands: JSON serialised, nulls kept, defaults for what is left out", async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => {
      await tx.insert(auditLog).values(line('by-drizzle'));
      await insertRows(tx, auditLog, [line('by-text')]);
      await tx.insert(auditLog).values(line('null-drizzle', { keyId: null, organisationId: null, params: {} }));
      await insertRows(tx, auditLog, [line('null-text', { keyId: null, organisationId: null, params: {} })]);
      assert.equal({ ...(await readBack(tx, 'by-text')), requestId: '' }, { ...(await readBack(tx, 'by-drizzle')), requestId: '' });
      assert.equal({ ...(await readBack(tx, 'null-text')), requestId: '' }, { ...(await readBack(tx, 'null-drizzle')), requestId: '' });
      assert.equal((await readBack(tx, 'by-text')).params, { certificateNo: 'Ω-1', nested: { list: [1, 'two', null] } });
    });
  });

  it('several rows in one statement, in order; the same shape again reuses its text', async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => {
      await insertRows(tx, auditLog, [line('many-1'), line('many-2', { status: 403, outcome: 'denied' }), line('many-3')]);
      await insertRows(tx, auditLog, [line('many-4')]);
      const rows = await tx.select().from(auditLog).where(eq(auditLog.route, '/v1/calibrations')).orderBy(asc(auditLog.seq));
      assert.equal(
        rows.filter((r) => r.requestId.startsWith('many-')).map((r) => [r.requestId, r.status, r.outcome]),
        [
          ['many-1', 201, 'ok'],
          ['many-2', 403, 'denied'],
          ['many-3', 201, 'ok'],
          ['many-4', 201, 'ok'],
        ],
      );
    });
  });

  it('runs in the transaction at hand: a rollback takes the rows with it', async () => {
    const { db } = await database.open();
    const before = await countOf(db, `select count(*) as n from audit_log where request_id = 'rolled-back'`);
    await inRollback(db, async (tx) => {
      await insertRows(tx, auditLog, [line('rolled-back')]);
      assert.is(await countOf(tx, `select count(*) as n from audit_log where request_id = 'rolled-back'`), before + 1);
      assert.equal(
        rowsOf<{ n: string | number }>(await runStatement(tx, 'select count(*) as n from audit_log where request_id = $1', ['rolled-back'])).map((r) =>
          Number(r.n),
        ),
        [before + 1],
      );
    });
    assert.is(await countOf(db, `select count(*) as n from audit_log where request_id = 'rolled-back'`), before);
  });

  it("rows that give different fields land as drizzle's insert lands them: a field left undefined takes its default, a field with no column is ignored", async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => {
      const early = '2020-01-01 00:00:00+00';
      await insertRows(tx, auditLog, [
        line('mixed-1', { at: early }),
        line('mixed-2', { at: undefined, keyId: undefined }),
        { ...line('mixed-3'), colour: 'red' } as typeof auditLog.$inferInsert,
      ]);
      await insertRows(tx, auditLog, [line('mixed-4', { at: early })]);
      const rows = await tx.select().from(auditLog).where(eq(auditLog.route, '/v1/calibrations')).orderBy(asc(auditLog.seq));
      const mixed = rows.filter((r) => r.requestId.startsWith('mixed-'));
      assert.equal(
        mixed.map((r) => [r.requestId, r.keyId, r.at.startsWith('2020-01-01')]),
        [
          ['mixed-1', 'key-a', true],
          ['mixed-2', null, false],
          ['mixed-3', 'key-a', false],
          ['mixed-4', 'key-a', true],
        ],
      );
      assert.is(await insertRows(tx, auditLog, []), undefined);
    });
  });

  it.run();
}
