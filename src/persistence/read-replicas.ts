/**
 * Reads from streaming replicas (DATABASE_READ_URL), writes to the primary,
 * with the staleness a replica may show bounded and stated.
 *
 * The bound. Every check (at most every `checkMs`) first asks the primary
 * for its WAL position P (`pg_current_wal_lsn()`, every commit acknowledged
 * before the question was sent lies at or before it) and notes when the
 * question was sent, on this process's monotonic clock; then it asks each
 * replica how far it has replayed (`pg_last_wal_replay_lsn()`). A replica
 * that has replayed past the P sampled at time t holds every write committed
 * on the primary before t, and (replay only moves forward) goes on holding
 * them. So a request at time `now` may be served by that replica when
 * `now − t ≤ maxLagMs`: it then misses at most the writes of the last
 * `maxLagMs`. No clock of another machine enters the bound. A replica that
 * does not answer a check, fails a query, is not a standby, or has not been
 * shown fresh within the bound is not used: reads go to the primary.
 *
 * Routing. The services are built over one `Db` (routedDb below): outside a
 * read context it is the primary; inside `readOn(replica, fn)` every query
 * made by `fn` (and what it awaits) goes to that replica. The HTTP layer
 * opens such a context only around the handlers of read-only routes
 * (http/replica-reads.ts); everything else — writes, authentication, the
 * audit log — uses the primary.
 *
 * @impure opens sockets and runs a timer.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { preparing, rowsOf, type Db } from './db.ts';
import * as schema from './schema/index.ts';
import { formatLsn, parseLsn } from '../codecs/lsn.ts';

export { formatLsn, parseLsn };

/**
 * The primary's WAL positions as sampled over the last while, each with the
 * moment its question was sent: from a replica's replayed position, the
 * latest moment before which the replica holds every commit.
 */
export class PrimaryPositions {
  private samples: Array<{ readonly at: number; readonly lsn: bigint }> = [];

  /** `keepMs`: how long a sample can matter (a replica that far behind is not used anyway). */
  constructor(private readonly keepMs: number) {}

  record(at: number, lsn: bigint): void {
    this.samples.push({ at, lsn });
    // keep the newest sample always, and the others while they can still matter
    const newest = this.samples.at(-1)!.at;
    this.samples = this.samples.filter((s, i) => i === this.samples.length - 1 || newest - s.at <= this.keepMs);
  }

  /** The latest moment t such that a replica replayed to `replayed` holds every commit made before t; undefined if none is known. */
  heldBefore(replayed: bigint): number | undefined {
    let best: number | undefined;
    for (const s of this.samples) if (s.lsn <= replayed && (best === undefined || s.at > best)) best = s.at;
    return best;
  }
}

/** Where a check finds the positions: the primary's WAL position, and a replica's replayed one (null: it is not a standby). */
export interface PositionSource {
  primary(): Promise<bigint>;
  replica(db: Db): Promise<bigint | null>;
}

/** The positions as PostgreSQL states them (pgpool-II's delay check compares the same two). */
export function postgresPositions(primary: Db): PositionSource {
  return {
    async primary() {
      const [row] = rowsOf<{ lsn: string | null }>(await primary.execute(sql`select pg_current_wal_lsn()::text as lsn`));
      const lsn = parseLsn(row?.lsn);
      if (lsn === undefined) throw new Error(`the primary gave no WAL position (${row?.lsn}); is DATABASE_URL a standby?`);
      return lsn;
    },
    async replica(db) {
      const [row] = rowsOf<{ standby: boolean; lsn: string | null }>(
        await db.execute(sql`select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn`),
      );
      if (!row?.standby) return null;
      return parseLsn(row.lsn) ?? 0n;
    },
  };
}

export interface Replica {
  /** host:port/database (never the user or password), for logs and /health. */
  readonly name: string;
  readonly db: Db;
  /** The moment before which it holds every commit, as last shown (monotonic ms); undefined: not shown. */
  heldBefore: number | undefined;
  /** Its replayed position at the last check. */
  replayed: bigint | undefined;
  /** Why it is not used, when a check or a query failed; undefined while it answers. */
  down: string | undefined;
}

export type ReadChoice = { readonly kind: 'replica'; readonly replica: Replica } | { readonly kind: 'primary'; readonly reason: string };

export interface ReadReplicasOptions {
  readonly maxLagMs: number;
  readonly checkMs: number;
  readonly positions: PositionSource;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
  readonly log?: (message: string) => void;
}

/** A replica's `down` until its first check. */
export const NOT_CHECKED = 'not checked yet';

const reading = new AsyncLocalStorage<Db>();

/** Runs `fn` with every query of the routed database going to `db`. */
export function readOn<T>(db: Db, fn: () => T): T {
  return reading.run(db, fn);
}

/**
 * The database the services are built over when replicas are configured:
 * the primary, except inside `readOn(replica, …)`.
 */
export function routedDb(primary: Db): Db {
  return new Proxy(primary, {
    get(target, prop) {
      const db = reading.getStore() ?? target;
      const value = Reflect.get(db, prop, db) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(db) : value;
    },
  });
}

/** The first SQLSTATE or driver code along the `cause` chain (drizzle wraps the driver's error). */
function codeOf(e: unknown): string {
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return '';
}

/**
 * How a query on a replica failed, when the replica (not the request) is at
 * fault: 'down' when it is gone, shutting down or refusing connections;
 * 'conflict' when the standby cancelled the query for a conflict with the
 * WAL it replays (it stays in use); 'read-only' when
 * the route tried to write (a route wrongly marked as a read). Either way
 * the request is served again by the primary. undefined: any other error,
 * which the primary would give too.
 */
export function replicaFailure(e: unknown): 'down' | 'conflict' | 'read-only' | undefined {
  const code = codeOf(e);
  if (code === '25006') return 'read-only';
  if (/^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|CONNECTION_CLOSED|CONNECTION_ENDED|CONNECTION_DESTROYED|CONNECT_TIMEOUT)$/.test(code))
    return 'down';
  // connection exceptions; admin shutdown, crash shutdown, cannot connect now
  if (/^(08|57P0)/.test(code)) return 'down';
  if (code === '40001' || code === '40P01') return 'conflict'; // canceling statement due to conflict with recovery
  return undefined;
}

export class ReadReplicas {
  readonly maxLagMs: number;
  readonly checkMs: number;
  private readonly positions: PrimaryPositions;
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private primaryDown: string | undefined;

  constructor(
    readonly replicas: readonly Replica[],
    private readonly options: ReadReplicasOptions,
  ) {
    this.maxLagMs = options.maxLagMs;
    this.checkMs = options.checkMs;
    this.positions = new PrimaryPositions(options.maxLagMs + 2 * options.checkMs);
    this.now = options.now ?? (() => performance.now());
    this.log = options.log ?? (() => {});
  }

  /**
   * Where a read may go now: a replica shown to hold every commit older than
   * the bound (and, given `after`, to have replayed past it: a position the
   * client was given after its own write), in turn; else the primary, with why.
   */
  choose(after?: bigint): ReadChoice {
    const now = this.now();
    const fresh = this.replicas.filter((r) => r.down === undefined && r.heldBefore !== undefined && now - r.heldBefore <= this.maxLagMs);
    if (fresh.length === 0)
      return { kind: 'primary', reason: this.replicas.every((r) => r.down !== undefined) ? 'replica unavailable' : 'replica behind the bound' };
    const caughtUp = after === undefined ? fresh : fresh.filter((r) => r.replayed !== undefined && r.replayed >= after);
    if (caughtUp.length === 0) return { kind: 'primary', reason: 'read after write' };
    return { kind: 'replica', replica: caughtUp[this.next++ % caughtUp.length]! };
  }

  /** Runs `fn` with its queries on `replica` (through the routed database). */
  run<T>(replica: Replica, fn: () => T): T {
    return readOn(replica.db, fn);
  }

  /** Whether an error thrown on a replica sends the read to the primary, and why (replicaFailure). */
  failure(e: unknown): 'down' | 'conflict' | 'read-only' | undefined {
    return replicaFailure(e);
  }

  /** A query on the replica failed as in isReplicaFailure: not used until a check finds it answering again. */
  failed(replica: Replica, e: unknown): void {
    const why = `${(e as Error).message ?? e}`;
    if (replica.down === undefined) this.log(`read replica ${replica.name} failed (${why}); reads go to the primary until it answers a check`);
    replica.down = why;
    replica.heldBefore = undefined;
  }

  /** One check of every replica (concurrent calls share one). */
  check(): Promise<void> {
    return (this.checking ??= this.checkNow().finally(() => (this.checking = undefined)));
  }

  private async checkNow(): Promise<void> {
    const timeoutMs = Math.max(this.checkMs, 1000);
    const asked = this.now();
    try {
      const lsn = await within(this.options.positions.primary(), timeoutMs, 'the primary');
      this.positions.record(asked, lsn);
      if (this.primaryDown !== undefined) this.log('the primary gives its WAL position again');
      this.primaryDown = undefined;
    } catch (e) {
      // no new sample: the replicas' freshness ages, and past the bound reads go to the primary
      if (this.primaryDown === undefined) this.log(`could not read the primary's WAL position (${(e as Error).message}); replicas cannot be shown fresh`);
      this.primaryDown = (e as Error).message;
    }
    await Promise.all(
      this.replicas.map(async (r) => {
        try {
          const replayed = await within(this.options.positions.replica(r.db), timeoutMs, r.name);
          if (replayed === null) {
            if (r.down === undefined) this.log(`read replica ${r.name} is not a standby (pg_is_in_recovery() is false); not used`);
            r.down = 'not a standby';
            r.heldBefore = undefined;
            return;
          }
          if (r.down !== undefined && r.down !== NOT_CHECKED) this.log(`read replica ${r.name} answers again`);
          r.down = undefined;
          r.replayed = replayed;
          r.heldBefore = this.positions.heldBefore(replayed);
        } catch (e) {
          this.failed(r, e);
        }
      }),
    );
  }

  /** Checks now, then every checkMs (the timer does not keep the process alive). */
  start(): Promise<void> {
    this.timer ??= setInterval(() => void this.check(), this.checkMs);
    this.timer.unref();
    return this.check();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** What /health shows: each replica, whether reads may go to it now, and how long ago it was last shown fresh. */
  state(): Array<{ name: string; usable: boolean; freshMsAgo: number | null; down: string | null }> {
    const now = this.now();
    return this.replicas.map((r) => {
      const ago = r.heldBefore === undefined ? null : Math.round(now - r.heldBefore);
      return { name: r.name, usable: r.down === undefined && ago !== null && ago <= this.maxLagMs, freshMsAgo: ago, down: r.down ?? null };
    });
  }
}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** host:port/database of a URL, without its user or password. */
export function replicaName(url: string): string {
  const u = new URL(url);
  return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
}

/**
 * Opens a pool per replica URL (short connect timeout: an unreachable replica
 * must fail fast, and the primary serves meanwhile) and the router over them.
 */
export function openReadReplicas(
  primary: Db,
  urls: readonly string[],
  options: Omit<ReadReplicasOptions, 'positions'> & { readonly poolSize?: number; readonly positions?: PositionSource; readonly prepare?: boolean },
): { replicas: ReadReplicas; close(): Promise<void> } {
  const clients = urls.map((url) =>
    postgres(url, { max: options.poolSize ?? 10, onnotice: () => {}, connect_timeout: 2, connection: { jit: 'off', application_name: 'metrotrace-read' } }),
  );
  const replicas: Replica[] = clients.map((client, i) => ({
    name: replicaName(urls[i]!),
    db: drizzlePostgres({ client: preparing(client, options.prepare ?? true), schema }) as unknown as Db,
    heldBefore: undefined,
    replayed: undefined,
    down: NOT_CHECKED,
  }));
  const positions = options.positions ?? postgresPositions(primary);
  const router = new ReadReplicas(replicas, { ...options, positions });
  return {
    replicas: router,
    close: async () => {
      router.stop();
      await Promise.all(clients.map((c) => c.end({ timeout: 5 })));
    },
  };
}
