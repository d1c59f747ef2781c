/**
 * API keys and the audit log as stored (persistence/access-store.ts) on the
 * shared test database: a key and its revocation each enter the evidence
 * ledger (signed with the ledger key), a key is revoked once, keys list in
 * issue order, and the audit log is filtered by key, organisation, sequence
 * and time, in order and up to the limit.
 */
import { eq, sql } from 'drizzle-orm';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { AuditEntry, StoredKey } from '../../src/app/ports.ts';
import { rowsOf, type Db } from '../../src/persistence/db.ts';
import { DrizzleAccessStore } from '../../src/persistence/access-store.ts';
import { apiKeys } from '../../src/persistence/schema/access.ts';
import { countOf, inRollback, testDatabases } from '../helpers/db.ts';
import { TEST_LEDGER_KEYS } from '../helpers/ledger.ts';

const key = (id: string, over: Partial<StoredKey> = {}): Omit<StoredKey, 'createdAt' | 'revokedAt'> => ({
  id,
  secretHash: `hash-${id}`,
  role: 'admin',
  organisationId: null,
  label: `key ${id}`,
  expiresOn: null,
  purpose: null,
  issuedByKey: null,
  ...over,
});

const entry = (requestId: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  keyId: 'key-a',
  role: 'admin',
  organisationId: null,
  method: 'GET',
  route: '/v1/equipment/:id',
  path: '/v1/equipment/scale-stall-17',
  params: { id: 'scale-stall-17' },
  status: 200,
  outcome: 'ok',
  address: '127.0.0.1',
  requestId,
  ...over,
});

for (const database of testDatabases()) {
  const it = suite(`persistence/access-store on ${database.name}`);
  const withStore = (work: (store: DrizzleAccessStore, tx: Db) => Promise<void>) => async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => work(new DrizzleAccessStore(tx, TEST_LEDGER_KEYS), tx));
  };

  it(
    'a key is stored with its fields, enters the ledger signed, and is revoked once (the revocation entered too)',
    withStore(async (store, tx) => {
      const ledger = () => countOf(tx, `select count(*) as n from ledger where kind = 'api_key' and entity_id = 'key-a'`);
      const macs = () => countOf(tx, `select count(*) as n from ledger_macs m join ledger l on l.seq = m.seq where l.entity_id = 'key-a'`);
      await store.insertKey(key('key-a', { expiresOn: '2027-01-01' as StoredKey['expiresOn'] }));
      const stored = (await store.getKey('key-a'))!;
      assert.equal(
        [stored.secretHash, stored.role, stored.organisationId, stored.expiresOn, stored.revokedAt, stored.purpose],
        ['hash-key-a', 'admin', null, '2027-01-01', null, null],
      );
      assert.equal([await ledger(), await macs()], [1, 1]);
      assert.ok(await store.revokeKey('key-a'));
      assert.not.ok(await store.revokeKey('key-a'), 'a second revocation changes nothing');
      assert.not.ok(await store.revokeKey('no-such-key'));
      assert.ok((await store.getKey('key-a'))!.revokedAt !== null);
      // read as one JSON row (a statement written once): the row drizzle reads column by column, timestamps' text included
      const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, 'key-a'));
      assert.equal(await store.getKey('key-a'), row);
      assert.equal([await ledger(), await macs()], [2, 2]);
      assert.is(await store.getKey('no-such-key'), undefined);
    }),
  );

  it(
    'keys list in the order they were issued',
    withStore(async (store) => {
      for (const id of ['key-c', 'key-a', 'key-b']) await store.insertKey(key(id));
      // one transaction gives them the same creation time: then by id
      assert.equal(
        (await store.listKeys()).map((k) => k.id),
        ['key-a', 'key-b', 'key-c'],
      );
    }),
  );

  it(
    'the audit log: filtered by key, organisation and sequence, in order, up to the limit; params read back as stored',
    withStore(async (store, tx) => {
      await store.appendAudit(entry('r1'));
      await store.appendAudit(entry('r2', { keyId: 'key-b', role: 'owner', organisationId: 'city-market', status: 403, outcome: 'denied' }));
      await store.appendAudit(entry('r3', { keyId: null, role: 'public', params: {} }));
      await store.appendAudit(entry('r4'));
      const all = await store.queryAudit({ limit: 10 });
      assert.equal(
        all.map((e) => e.requestId),
        ['r1', 'r2', 'r3', 'r4'],
      );
      assert.equal(all[0]!.params, { id: 'scale-stall-17' });
      assert.equal([all[1]!.role, all[1]!.outcome, all[1]!.status], ['owner', 'denied', 403]);
      assert.equal(
        (await store.queryAudit({ keyId: 'key-a', limit: 10 })).map((e) => e.requestId),
        ['r1', 'r4'],
      );
      assert.equal(
        (await store.queryAudit({ organisationId: 'city-market', limit: 10 })).map((e) => e.requestId),
        ['r2'],
      );
      assert.equal(
        (await store.queryAudit({ afterSeq: all[1]!.seq, limit: 10 })).map((e) => e.requestId),
        ['r3', 'r4'],
      );
      assert.equal(
        (await store.queryAudit({ limit: 2 })).map((e) => e.requestId),
        ['r1', 'r2'],
      );
      const now = rowsOf<{ t: string }>(await tx.execute(sql`select now()::text as t`))[0]!.t;
      assert.is((await store.queryAudit({ from: now, to: now, limit: 10 })).length, 4);
      assert.is((await store.queryAudit({ to: '2000-01-01T00:00:00Z', limit: 10 })).length, 0);
    }),
  );

  it.run();
}
