/**
 * Web sessions as stored (persistence/session-store.ts) on the shared test
 * database: insert and read back, touch, end once, and the purge of those
 * idle or ended before a time (open ones kept). Sessions name a key, so an
 * admin key is stored first.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { StoredSession } from '../../src/app/sessions.ts';
import type { Db } from '../../src/persistence/db.ts';
import { DrizzleAccessStore } from '../../src/persistence/access-store.ts';
import { DrizzleSessionStore } from '../../src/persistence/session-store.ts';
import { inRollback, testDatabases } from '../helpers/db.ts';

const session = (idHash: string, over: Partial<StoredSession> = {}): StoredSession => ({
  idHash,
  keyId: 'key0000000000001',
  csrfToken: `csrf-${idHash}`,
  createdAt: '2026-11-25T01:00:00.000Z',
  lastSeenAt: '2026-11-25T01:00:00.000Z',
  idleExpiresAt: '2026-11-25T01:30:00.000Z',
  endedAt: null,
  ...over,
});

/** Instants as the store reads them back, compared as instants. */
const instant = (s: string | null) => (s === null ? null : new Date(s).toISOString());

for (const database of testDatabases()) {
  const it = suite(`persistence/session-store on ${database.name}`);
  const withStore = (work: (store: DrizzleSessionStore, tx: Db) => Promise<void>) => async () => {
    const { db } = await database.open();
    await inRollback(db, async (tx) => {
      await new DrizzleAccessStore(tx).insertKey({
        id: 'key0000000000001',
        secretHash: 'h',
        role: 'admin',
        organisationId: null,
        label: 'test',
        expiresOn: null,
        purpose: null,
        issuedByKey: null,
      });
      await work(new DrizzleSessionStore(tx), tx);
    });
  };

  it(
    'stores a session and reads it back by the hash of its id; an unknown hash reads nothing',
    withStore(async (store) => {
      await store.insert(session('a'));
      const got = await store.get('a');
      assert.equal([got?.keyId, got?.csrfToken, instant(got!.idleExpiresAt), got?.endedAt], ['key0000000000001', 'csrf-a', '2026-11-25T01:30:00.000Z', null]);
      assert.is(await store.get('b'), undefined);
    }),
  );

  it(
    'touch moves last-seen and the idle expiry; end ends an open session once',
    withStore(async (store) => {
      await store.insert(session('a'));
      await store.touch('a', '2026-11-25T01:20:00.000Z', '2026-11-25T01:50:00.000Z');
      const touched = (await store.get('a'))!;
      assert.equal([instant(touched.lastSeenAt), instant(touched.idleExpiresAt)], ['2026-11-25T01:20:00.000Z', '2026-11-25T01:50:00.000Z']);
      assert.ok(await store.end('a', '2026-11-25T01:25:00.000Z'));
      assert.not.ok(await store.end('a', '2026-11-25T01:26:00.000Z'), 'already ended');
      assert.not.ok(await store.end('nope', '2026-11-25T01:26:00.000Z'));
      assert.is(instant((await store.get('a'))!.endedAt), '2026-11-25T01:25:00.000Z');
    }),
  );

  it(
    'purge forgets sessions idle or ended before the time, and keeps the rest',
    withStore(async (store) => {
      await store.insert(session('idle-before', { idleExpiresAt: '2026-11-24T00:00:00.000Z' }));
      await store.insert(session('ended-before', { idleExpiresAt: '2026-11-26T00:00:00.000Z', endedAt: '2026-11-24T00:00:00.000Z' }));
      await store.insert(session('open', { idleExpiresAt: '2026-11-26T00:00:00.000Z' }));
      await store.insert(session('ended-after', { idleExpiresAt: '2026-11-26T00:00:00.000Z', endedAt: '2026-11-25T12:00:00.000Z' }));
      await store.insert(session('idle-at', { idleExpiresAt: '2026-11-25T00:00:00.000Z' }));
      await store.purge('2026-11-25T00:00:00.000Z');
      const left = [];
      for (const id of ['idle-before', 'ended-before', 'open', 'ended-after', 'idle-at']) if (await store.get(id)) left.push(id);
      assert.equal(left, ['open', 'ended-after', 'idle-at']);
    }),
  );

  it.run();
}
