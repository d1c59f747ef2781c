/**
 * Web-page sessions (app/sessions.ts) over an in-memory session store and a
 * clock the test moves: sign-in with a key, resume within the idle window,
 * the idle and maximum lifetimes, sign-out, a revoked key ending its session,
 * and the purge of sessions over for a day.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AccessService } from '../../src/app/access.ts';
import { IDLE_MINUTES, MAX_HOURS, SessionService, type SessionStore, type StoredSession } from '../../src/app/sessions.ts';
import type { CalendarDate } from '../../src/core/dates.ts';
import { countedMaterial, MemoryAccessStore } from '../helpers/app-units.ts';

const TODAY = '2026-11-25' as CalendarDate;

class MemorySessionStore implements SessionStore {
  readonly rows = new Map<string, StoredSession>();
  readonly purges: string[] = [];
  async insert(s: StoredSession) {
    this.rows.set(s.idHash, s);
  }
  async get(idHash: string) {
    return this.rows.get(idHash);
  }
  async touch(idHash: string, lastSeenAt: string, idleExpiresAt: string) {
    const s = this.rows.get(idHash)!;
    this.rows.set(idHash, { ...s, lastSeenAt, idleExpiresAt });
  }
  async end(idHash: string, at: string) {
    const s = this.rows.get(idHash);
    if (!s || s.endedAt !== null) return false;
    this.rows.set(idHash, { ...s, endedAt: at });
    return true;
  }
  async purge(before: string) {
    this.purges.push(before);
  }
}

async function setUp() {
  let now = new Date('2026-11-25T01:00:00.000Z');
  const access = new AccessService({ store: new MemoryAccessStore(), material: countedMaterial(), organisationKind: async () => 'enterprise' });
  const store = new MemorySessionStore();
  let n = 0;
  const sessions = new SessionService({
    store,
    access,
    newSecret: () => `S${String(++n).padStart(42, '0')}`,
    hash: (s) => `sha(${s})`,
    now: () => now,
  });
  const owner = await access.issue({ role: 'owner', organisationId: 'city-market', label: 'owner' }, TODAY);
  return {
    access,
    store,
    sessions,
    owner,
    advance(minutes: number) {
      now = new Date(now.getTime() + minutes * 60_000);
    },
  };
}

const it = suite('app/sessions');

it('the default lifetimes are 30 minutes idle and 12 hours in all', async () => {
  assert.equal([IDLE_MINUTES, MAX_HOURS], [30, 12]);
  const { sessions } = await setUp();
  assert.equal([sessions.idleMinutes, sessions.maxHours], [30, 12]);
});

it('signs in with a key (spaces around it trimmed): keeps only the hash of the session id and the key id; purges sessions over a day ago', async () => {
  const { sessions, store, owner } = await setUp();
  const signed = await sessions.signIn(`  ${owner.token}\n`, TODAY);
  assert.ok(signed.ok);
  if (!signed.ok) return;
  assert.equal(signed.caller, { kind: 'key', keyId: owner.key.id, role: 'owner', organisationId: 'city-market' });
  assert.is(signed.sessionId, `S${'0'.repeat(41)}1`);
  assert.is(signed.csrfToken, `S${'0'.repeat(41)}2`);
  assert.equal(
    [...store.rows.values()],
    [
      {
        idHash: `sha(${signed.sessionId})`,
        keyId: owner.key.id,
        csrfToken: signed.csrfToken,
        createdAt: '2026-11-25T01:00:00.000Z',
        lastSeenAt: '2026-11-25T01:00:00.000Z',
        idleExpiresAt: '2026-11-25T01:30:00.000Z',
        endedAt: null,
      },
    ],
  );
  assert.equal(store.purges, ['2026-11-24T01:00:00.000Z']);
});

it('a key that does not authenticate makes no session, with the reason', async () => {
  const { sessions, store, access, owner } = await setUp();
  assert.equal(await sessions.signIn('nonsense', TODAY), { ok: false, reason: 'the key is malformed; it looks like mtk_<16 characters>_<43 characters>' });
  await access.revoke(owner.key.id);
  const refused = await sessions.signIn(owner.token, TODAY);
  assert.not.ok(refused.ok);
  assert.ok(/revoked/.test((refused as { reason: string }).reason));
  assert.is(store.rows.size, 0);
});

it('the idle window slides with each request and ends exactly 30 minutes after the last', async () => {
  const ctx = await setUp();
  const signed = await ctx.sessions.signIn(ctx.owner.token, TODAY);
  if (!signed.ok) throw new Error('sign-in failed');
  ctx.advance(29);
  const resumed = await ctx.sessions.resume(signed.sessionId, TODAY);
  assert.equal(resumed, { ok: true, caller: signed.caller, csrfToken: signed.csrfToken });
  const row = ctx.store.rows.get(`sha(${signed.sessionId})`)!;
  assert.equal([row.lastSeenAt, row.idleExpiresAt], ['2026-11-25T01:29:00.000Z', '2026-11-25T01:59:00.000Z']);
  ctx.advance(30);
  assert.equal(await ctx.sessions.resume(signed.sessionId, TODAY), { ok: false, reason: 'idle for more than 30 minutes' });
});

it('a busy session ends 12 hours after sign-in however often it was used', async () => {
  const ctx = await setUp();
  const signed = await ctx.sessions.signIn(ctx.owner.token, TODAY);
  if (!signed.ok) throw new Error('sign-in failed');
  for (let i = 0; i < 12 * 3 - 1; i++) {
    ctx.advance(20);
    assert.ok((await ctx.sessions.resume(signed.sessionId, TODAY)).ok, `request ${i}`);
  }
  ctx.advance(20); // 12 h 0 min after sign-in
  assert.equal(await ctx.sessions.resume(signed.sessionId, TODAY), { ok: false, reason: 'signed in more than 12 hours ago' });
});

it('signing out ends the session; an unknown or malformed session id resumes nothing', async () => {
  const ctx = await setUp();
  const signed = await ctx.sessions.signIn(ctx.owner.token, TODAY);
  if (!signed.ok) throw new Error('sign-in failed');
  assert.equal(await ctx.sessions.resume('short', TODAY), { ok: false, reason: 'no session' });
  assert.equal(await ctx.sessions.resume('x'.repeat(43), TODAY), { ok: false, reason: 'no session' });
  await ctx.sessions.signOut('not a session id'); // ignored
  await ctx.sessions.signOut(signed.sessionId);
  assert.is(ctx.store.rows.get(`sha(${signed.sessionId})`)!.endedAt, '2026-11-25T01:00:00.000Z');
  assert.equal(await ctx.sessions.resume(signed.sessionId, TODAY), { ok: false, reason: 'signed out' });
});

it('a session acts as its key today: it ends when the key is revoked or expires', async () => {
  const ctx = await setUp();
  const expiring = await ctx.access.issue({ role: 'owner', organisationId: 'city-market', label: 'temp', expiresOn: '2026-11-26' }, TODAY);
  const a = await ctx.sessions.signIn(ctx.owner.token, TODAY);
  const b = await ctx.sessions.signIn(expiring.token, TODAY);
  if (!a.ok || !b.ok) throw new Error('sign-in failed');
  assert.equal(await ctx.sessions.resume(b.sessionId, '2026-11-26' as CalendarDate), { ok: false, reason: 'the key expired on 2026-11-26' });
  await ctx.access.revoke(ctx.owner.key.id);
  const r = await ctx.sessions.resume(a.sessionId, TODAY);
  assert.not.ok(r.ok);
  assert.ok(/the key was revoked/.test((r as { reason: string }).reason));
});

it('honours idle and maximum lifetimes given to it', async () => {
  const access = new AccessService({ store: new MemoryAccessStore(), material: countedMaterial(), organisationKind: async () => 'enterprise' });
  const { token } = await access.issue({ role: 'admin', label: 'a' }, TODAY);
  let now = new Date('2026-11-25T00:00:00.000Z');
  const store = new MemorySessionStore();
  const sessions = new SessionService({
    store,
    access,
    newSecret: () => 'A'.repeat(43),
    hash: (s) => s,
    now: () => now,
    idleMinutes: 5,
    maxHours: 1,
  });
  const s = await sessions.signIn(token, TODAY);
  if (!s.ok) throw new Error('sign-in failed');
  assert.is(store.rows.get('A'.repeat(43))!.idleExpiresAt, '2026-11-25T00:05:00.000Z');
  now = new Date('2026-11-25T00:05:00.000Z');
  assert.equal(await sessions.resume(s.sessionId, TODAY), { ok: false, reason: 'idle for more than 5 minutes' });
});

it.run();
