/**
 * Reads from replicas (persistence/read-replicas.ts) with positions and a
 * clock the test sets, no database: a replica is used while it is shown to
 * hold every commit older than the bound, read-after-write goes where the
 * position was replayed, replicas take turns, failures and non-standbys are
 * left out until a check finds them answering; which errors send a read back
 * to the primary; the routed database; a replica's name without credentials.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Db } from '../../src/persistence/db.ts';
import {
  NOT_CHECKED,
  PrimaryPositions,
  type PositionSource,
  type Replica,
  ReadReplicas,
  readOn,
  replicaFailure,
  replicaName,
  routedDb,
} from '../../src/persistence/read-replicas.ts';

const fakeDb = (name: string) => ({ name }) as unknown as Db;
const replica = (name: string): Replica => ({ name, db: fakeDb(name), heldBefore: undefined, replayed: undefined, down: NOT_CHECKED });

/** A primary at `primary`, replicas replayed to `replayed[name]` (null: not a standby; an Error: it fails). */
function world(replicas: Replica[], opts: { maxLagMs?: number } = {}) {
  let now = 1000;
  let primary = 100n;
  const replayed = new Map<string, bigint | null | Error>();
  const logs: string[] = [];
  const positions: PositionSource = {
    primary: async () => primary,
    replica: async (db) => {
      const v = replayed.get((db as unknown as { name: string }).name);
      if (v instanceof Error) throw v;
      return v ?? null;
    },
  };
  const router = new ReadReplicas(replicas, { maxLagMs: opts.maxLagMs ?? 500, checkMs: 100, positions, now: () => now, log: (m) => logs.push(m) });
  return {
    router,
    logs,
    replayed,
    setPrimary: (p: bigint) => void (primary = p),
    advance: (ms: number) => void (now += ms),
  };
}

const it = suite('persistence/read-replicas');

it('PrimaryPositions: the latest moment a replayed position holds every commit of, keeping only samples that can still matter', () => {
  const p = new PrimaryPositions(1000);
  assert.is(p.heldBefore(50n), undefined);
  p.record(0, 100n);
  p.record(500, 200n);
  p.record(900, 300n);
  assert.is(p.heldBefore(99n), undefined);
  assert.is(p.heldBefore(100n), 0);
  assert.is(p.heldBefore(250n), 500);
  assert.is(p.heldBefore(300n), 900);
  // at 1600 the samples of 0 and 500 are more than 1000 ms old and dropped; 900's is kept, and the newest always
  p.record(1600, 400n);
  assert.is(p.heldBefore(250n), undefined);
  assert.is(p.heldBefore(350n), 900);
  assert.is(p.heldBefore(400n), 1600);
});

it('a replica shown to have replayed past the primary’s position is used within the bound, then no longer', async () => {
  const a = replica('a');
  const w = world([a], { maxLagMs: 500 });
  assert.equal(w.router.choose(), { kind: 'primary', reason: 'replica unavailable' }, 'not checked yet');
  w.replayed.set('a', 100n);
  await w.router.check();
  assert.equal([a.down, a.replayed, a.heldBefore], [undefined, 100n, 1000]);
  assert.equal(w.router.choose(), { kind: 'replica', replica: a });
  w.advance(500);
  assert.is(w.router.choose().kind, 'replica', 'exactly at the bound');
  w.advance(1);
  assert.equal(w.router.choose(), { kind: 'primary', reason: 'replica behind the bound' });
  assert.equal(w.router.state(), [{ name: 'a', usable: false, freshMsAgo: 501, down: null }]);
  // a replica behind the primary's new position stays shown only as fresh as its last sample it passed
  w.setPrimary(200n);
  await w.router.check();
  assert.is(a.heldBefore, 1000);
  assert.is(w.router.choose().kind, 'primary');
  w.replayed.set('a', 200n);
  await w.router.check();
  assert.is(a.heldBefore, 1501);
  assert.is(w.router.choose().kind, 'replica');
});

it('read after write: only a replica replayed to the position the client was given; replicas take turns', async () => {
  const [a, b] = [replica('a'), replica('b')];
  const w = world([a, b]);
  w.replayed.set('a', 150n);
  w.replayed.set('b', 120n);
  await w.router.check();
  assert.equal(w.router.choose(130n), { kind: 'replica', replica: a });
  assert.equal(w.router.choose(150n), { kind: 'replica', replica: a }, 'replayed exactly to it');
  assert.equal(w.router.choose(151n), { kind: 'primary', reason: 'read after write' });
  const turns = [w.router.choose(), w.router.choose(), w.router.choose(), w.router.choose()].map((c) => (c.kind === 'replica' ? c.replica.name : c.kind));
  assert.equal(new Set(turns), new Set(['a', 'b']));
  assert.is.not(turns[0], turns[1]);
});

it('a failed replica and a non-standby are not used until a check finds them answering; each change is logged once', async () => {
  const [a, b] = [replica('a'), replica('b')];
  const w = world([a, b]);
  w.replayed.set('a', 100n);
  w.replayed.set('b', null);
  await w.router.check();
  assert.equal([a.down, b.down], [undefined, 'not a standby']);
  w.router.failed(a, new Error('connection reset'));
  w.router.failed(a, new Error('connection reset'));
  assert.equal(w.router.choose(), { kind: 'primary', reason: 'replica unavailable' });
  assert.is(w.logs.filter((l) => l.includes('read replica a failed')).length, 1);
  await w.router.check();
  assert.is(a.down, undefined);
  assert.ok(w.logs.some((l) => l === 'read replica a answers again'));
  w.replayed.set('a', new Error('timeout'));
  await w.router.check();
  assert.is(a.down, 'timeout');
});

it('which errors send a read to the primary: down, conflict with recovery, a write on a read route; any other is the request’s', () => {
  assert.is(replicaFailure({ code: 'ECONNREFUSED' }), 'down');
  assert.is(replicaFailure({ code: '57P01' }), 'down');
  assert.is(replicaFailure({ code: '08006' }), 'down');
  assert.is(replicaFailure(new Error('wrapped', { cause: { code: '40001' } })), 'conflict');
  assert.is(replicaFailure({ code: '25006' }), 'read-only');
  assert.is(replicaFailure({ code: '23505' }), undefined);
  assert.is(replicaFailure(new Error('plain')), undefined);
});

it('the routed database is the primary except inside readOn; a replica is named without its credentials', () => {
  const primary = { which: () => 'primary' } as unknown as Db;
  const replicaDb = { which: () => 'replica' } as unknown as Db;
  const routed = routedDb(primary) as unknown as { which(): string };
  assert.is(routed.which(), 'primary');
  assert.is(
    readOn(replicaDb, () => routed.which()),
    'replica',
  );
  assert.is(replicaName('postgres://user:secret@db.example:6543/metrology'), 'db.example:6543/metrology');
  assert.is(replicaName('postgres://u:p@replica/metrology'), 'replica:5432/metrology');
});

it.run();
