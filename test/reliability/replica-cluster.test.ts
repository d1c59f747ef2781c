/**
 * Replica reads on a real streaming replica (#23 items 1 and 4):
 * scripts/cluster.sh starts its own PostgreSQL primary, a streaming replica
 * (pg_basebackup -R) and two API processes reading through it. A write on
 * one process is read on the other through the replica; a replica whose
 * replay is paused is read (stale) only within the bound, then the primary
 * serves; a client that sends its write's position back reads it at once;
 * and once the replica is stopped the label is still answered, from the
 * primary. Skipped, with the reason, where the PostgreSQL server binaries
 * are not installed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const it = suite('replica reads on a local streaming cluster');
const SCRIPT = fileURLToPath(new URL('../../scripts/cluster.sh', import.meta.url));
const MAX_LAG_MS = 5000;

function postgresBinaries(): string | undefined {
  try {
    return readdirSync('/usr/lib/postgresql')
      .map((v) => `/usr/lib/postgresql/${v}/bin`)
      .find((bin) => existsSync(`${bin}/initdb`) && existsSync(`${bin}/pg_basebackup`));
  } catch {
    return undefined;
  }
}

interface Cluster {
  readonly env: Record<string, string>;
  readonly child: ChildProcess;
  /** Resolves when the script prints `line`. */
  said(line: string): Promise<void>;
  readonly exited: Promise<number | null>;
}

function startCluster(): Promise<Cluster> {
  const child = spawn('bash', [SCRIPT], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      DATABASE_READ_MAX_LAG_MS: String(MAX_LAG_MS),
      DATABASE_READ_CHECK_MS: '250',
      METROTRACE_RATE_PUBLIC: '0',
      METROTRACE_RATE_KEY: '0',
      LOG: '0',
    },
  });
  let out = '';
  let err = '';
  const waiters: Array<{ line: string; resolve: () => void }> = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.on('data', (d) => (err += d));
  if (process.env.DEBUG_CLUSTER) child.stdout!.on('data', (d) => process.stderr.write(`[cluster] ${d}`));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += d;
      for (const w of waiters.splice(0)) (out.includes(w.line) ? w.resolve : () => waiters.push(w))();
      if (out.includes('cluster: ready\n')) {
        const env = Object.fromEntries(
          out
            .split('\n')
            .filter((l) => /^[A-Z_]+=/.test(l))
            .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
        );
        resolve({ env, child, exited, said: (line) => new Promise((r) => (out.includes(line) ? r() : waiters.push({ line, resolve: r }))) });
      }
    });
    void exited.then((code) => reject(new Error(`scripts/cluster.sh exited ${code} before it was ready:\n${out}\n${err.slice(-4000)}`)));
  });
}

/** Polls `probe` until it gives a value (not undefined), for at most `ms`. */
async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not happen within ${ms} ms${last ? ` (${(last as Error).message})` : ''}`);
}

async function label(api: string, headers: Record<string, string> = {}): Promise<{ state: string; from: string }> {
  const res = await fetch(`${api}/v1/label?certificateNo=XH-JD2026-00317`, { headers });
  assert.is(res.status, 200, await res.clone().text());
  return { state: ((await res.json()) as { state: string }).state, from: res.headers.get('metrotrace-read-from') ?? '' };
}

const bin = postgresBinaries();
// initdb refuses root: run as root, the script runs the servers as the postgres user
const noUser = process.getuid?.() === 0 && spawnSync('id', ['postgres']).status !== 0;
if (bin === undefined) {
  it('skipped: the PostgreSQL server binaries (initdb, pg_basebackup under /usr/lib/postgresql/*/bin) are not installed, so no local primary and replica can be started', () => {});
} else if (noUser) {
  it('skipped: run as root with no postgres user to run the local primary and replica as (initdb refuses root)', () => {});
} else {
  it('a write on one process is read on the other through the replica, within the bound, and reads survive the replica stopping', async () => {
    const c = await startCluster();
    const replica = postgres(c.env.REPLICA_URL!, { max: 1, onnotice: () => {} });
    try {
      const keys = Object.fromEntries([...readFileSync(c.env.KEYS!, 'utf8').matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      const owner = { authorization: `Bearer ${keys.METROTRACE_OWNER_KEY}`, 'content-type': 'application/json' };
      const [A, B] = [c.env.API_A!, c.env.API_B!];

      // B reads the label through the replica once its first check has shown it fresh
      assert.equal(await until('B reading the replica', 20_000, async () => ((await label(B)).from === 'replica' ? await label(B) : undefined)), {
        state: 'in_force',
        from: 'replica',
      });

      // A writes (the owner records a broken seal); B reads it through the replica as soon as it is replayed
      const sealBroken = await fetch(`${A}/v1/equipment/scale-stall-17/events`, {
        method: 'POST',
        headers: owner,
        body: JSON.stringify({ kind: 'seal_broken', effectiveOn: '2026-11-21', reason: 'seal found cut' }),
      });
      assert.is(sealBroken.status, 201, await sealBroken.text());
      assert.match(sealBroken.headers.get('metrotrace-written-lsn') ?? '', /^[0-9A-F]+\/[0-9A-F]+$/);
      assert.equal(
        await until('the write replayed on the replica and read there by B', 20_000, async () => {
          const l = await label(B);
          return l.state === 'reverification_required' && l.from === 'replica' ? l : undefined;
        }),
        { state: 'reverification_required', from: 'replica' },
      );

      // replay paused: B goes on reading the replica, stale, only while it is within the bound
      await replica`select pg_wal_replay_pause()`;
      const repaired = await fetch(`${A}/v1/equipment/scale-stall-17/events`, {
        method: 'POST',
        headers: owner,
        body: JSON.stringify({ kind: 'scrapped', effectiveOn: '2026-11-22', reason: 'beyond repair' }),
      });
      assert.is(repaired.status, 201, await repaired.text());
      const written = repaired.headers.get('metrotrace-written-lsn')!;
      const stale = await label(B);
      const after = await label(B, { 'metrotrace-read-after': written });
      assert.equal(stale, { state: 'reverification_required', from: 'replica' }, 'right after the write the paused replica answers, without it');
      assert.equal(
        after,
        { state: 'withdrawn', from: 'primary; read after write' },
        'the writer, sending its position back, reads its write on the other process',
      );
      const fallback = await until('B falling back to the primary past the bound', 4 * MAX_LAG_MS, async () => {
        const l = await label(B);
        return l.from !== 'replica' ? l : undefined;
      });
      assert.equal(fallback, { state: 'withdrawn', from: 'primary; replica behind the bound' });
      await replica`select pg_wal_replay_resume()`;
      assert.equal(
        await until('B reading the replica again once it has caught up', 20_000, async () =>
          (await label(B)).from === 'replica' ? await label(B) : undefined,
        ),
        { state: 'withdrawn', from: 'replica' },
      );

      // the replica stops: every lookup is still answered, from the primary
      await replica.end();
      c.child.kill('SIGUSR1');
      await c.said('cluster: replica stopped');
      for (let i = 0; i < 20; i++) assert.equal((await label(B)).state, 'withdrawn');
      assert.match((await label(B)).from, /^primary; replica (unavailable|failed)$/);
      const health = (await (await fetch(`${B}/health`)).json()) as { replicas: Array<{ usable: boolean; down: string | null }> };
      assert.is(health.replicas[0]!.usable, false);
      assert.ok(health.replicas[0]!.down, 'health says why');
      // and writes go on
      const event = await fetch(`${A}/v1/equipment/scale-stall-42/events`, {
        method: 'POST',
        headers: owner,
        body: JSON.stringify({ kind: 'relocated', effectiveOn: '2026-11-22', location: 'stall 43' }),
      });
      assert.is(event.status, 201, await event.text());
    } finally {
      await replica.end().catch(() => {});
      c.child.kill('SIGTERM');
      await c.exited;
    }
    assert.not.ok(existsSync(c.env.CLUSTER_DIR!), 'torn down: the temporary directory is gone');
  });
}

it.run();
