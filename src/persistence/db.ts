/**
 * Opening the database: embedded PostgreSQL (PGlite) by default, a PostgreSQL
 * server through postgres.js when a URL is given. Both are driven by the same
 * drizzle schema and the same committed migrations, and the rest of the code
 * sees one type, `Db`.
 *
 * @impure opens files or sockets.
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { closeSync, cpSync, existsSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import * as schema from './schema/index.ts';
import type { StatusFactsListener } from '../app/ports.ts';
import { type StopWatching, watchPglite, watchPostgres } from './status-facts-watch.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  readonly db: Db;
  readonly kind: DbKind;
  /** The prepared data directory this embedded database was started from just now, if any. */
  readonly startedFrom?: string;
  /** Applies the committed migrations that are not yet applied. */
  migrate(): Promise<void>;
  /** Tells `listener` of every commit, by any process, that may change the status facts (persistence/status-facts-watch.ts). */
  watchStatusFacts(listener: StatusFactsListener): Promise<StopWatching>;
  close(): Promise<void>;
}

export interface DbConfig {
  /** postgres://… — when set, a PostgreSQL server is used. */
  readonly url?: string | undefined;
  /** PGlite data directory; omitted (and no url) means an in-memory database. */
  readonly dataDir?: string | undefined;
  /** Connection pool size for postgres.js. */
  readonly poolSize?: number;
  /** Prepare every statement (default true); false for a transaction-mode pooler that does not carry prepared statements (see preparing). */
  readonly prepare?: boolean;
  /**
   * A prepared PGlite data directory to start a new embedded database from,
   * asked for only when the data directory holds no database yet; when it
   * gives none, the build's empty template (PGLITE_TEMPLATE) is used.
   */
  readonly template?: () => string | undefined;
  /**
   * PGlite's buffer pool (PostgreSQL's shared_buffers, e.g. '16MB') instead of
   * its default 128MB, for a short-lived process that reads a few rows: WebAssembly
   * PostgreSQL allocates and clears the whole pool as it starts, a third of the
   * CPU of opening a data directory. Only speed depends on it, not any answer.
   */
  readonly sharedBuffers?: string | undefined;
}

/** The rows of a raw statement: PGlite answers `{ rows }`, postgres.js the array itself. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? result) as T[];
}

/**
 * A statement that begins with this marker is not prepared: planned for its
 * values every time. For the report queries over a region (the due list, the
 * mandatory counts), whose plan depends on how much of the registry a region
 * prefix selects: after five runs PostgreSQL may settle on a generic plan,
 * and a province's due list ran 4.4 s planned for its values and 6.1 s
 * generic (1,000,000-instrument graph). Their planning is small beside that.
 */
export const UNPREPARED = sql.raw('/*unprepared*/');
const UNPREPARED_MARK = '/*unprepared*/';

/** Above this many parameters a statement is not prepared: its text varies with a list's length, and each would be kept. */
const MAX_PREPARED_PARAMS = 100;

/**
 * The postgres.js client with its statements prepared: the server parses,
 * analyses and (while a custom plan is not worth more than a generic one)
 * plans a statement once per connection and then only executes it, where
 * drizzle otherwise sends each as a new unnamed statement. An authenticated
 * write runs some twenty statements; preparing them took PostgreSQL's CPU per
 * write from 7.9 to 5.8 ms and the writes a connection does from 68 to 91 a
 * second (1,000,000-instrument graph). Statements inside transactions and
 * savepoints too (drizzle hands those the bare client). Not one marked
 * UNPREPARED, nor one with
 * no parameters (postgres.js sends it by the simple protocol), nor one with
 * more than MAX_PREPARED_PARAMS (an IN list of a batch, whose text varies
 * with its length); postgres.js keeps a connection's statements by their
 * text until the connection is recycled (its max_lifetime, 30–60 min).
 *
 * Off (DATABASE_PREPARE=0) for a pooler in transaction mode that does not
 * carry prepared statements (PgBouncer before 1.21, or without
 * max_prepared_statements): then the client is returned as it is.
 */
export function preparing(client: postgres.Sql, prepare = true): postgres.Sql {
  if (!prepare) return client;
  const within =
    (open: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const body = args.at(-1) as (c: postgres.Sql) => unknown;
      return open(...args.slice(0, -1), (c: postgres.Sql) => body(preparing(c)));
    };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe')
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
          target.unsafe(
            query,
            params as never,
            (params?.length ?? 0) <= MAX_PREPARED_PARAMS && !query.startsWith(UNPREPARED_MARK) ? { ...options, prepare: true } : options,
          );
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as ((...args: unknown[]) => unknown) | undefined;
        return open ? within(open.bind(target)) : open;
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** The committed migrations, in the source tree (also when this runs built, from dist/persistence/). */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/persistence/migrations', import.meta.url));

/**
 * The last committed migration as drizzle records it once applied: its
 * folder time (created_at) and the SHA-256 of its SQL file (hash).
 */
export function lastCommittedMigration(): { when: number; hash: string } {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: Array<{ tag: string; when: number }> };
  const last = journal.entries.at(-1);
  if (!last) return { when: -1, hash: '' };
  return {
    when: last.when,
    hash: createHash('sha256')
      .update(readFileSync(join(MIGRATIONS_FOLDER, `${last.tag}.sql`), 'utf8'))
      .digest('hex'),
  };
}

/**
 * Applies the committed migrations unless the database already has them all:
 * when the newest row of drizzle's migrations table is the journal's last
 * migration (same time, same file hash), there is nothing to run, and the
 * migrator (schema and table DDL, a transaction, every file read and hashed)
 * is skipped. Otherwise the migrator runs as always and decides.
 */
async function migrateUnlessCurrent(db: Db, migrate: () => Promise<void>): Promise<void> {
  const [table] = rowsOf<{ present: boolean }>(await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`));
  if (table?.present) {
    const [applied] = rowsOf<{ hash: string; created_at: string | number | bigint }>(
      await db.execute(sql`select hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`),
    );
    const last = lastCommittedMigration();
    if (applied && Number(applied.created_at) === last.when && applied.hash === last.hash) return;
  }
  await migrate();
}

/**
 * Who a PostgreSQL server says this database is: its cluster's system
 * identifier (fixed at initdb, kept by a physical copy) and the database's
 * name; null for the embedded database.
 */
export async function serverIdentity(database: Pick<Database, 'db' | 'kind'>): Promise<{ system: string; database: string } | null> {
  if (database.kind !== 'postgres') return null;
  const [row] = rowsOf<{ system: string; database: string }>(
    await database.db.execute(sql`select (select system_identifier::text from pg_control_system()) as system, current_database() as database`),
  );
  return row ?? null;
}

export async function openDb(config: DbConfig): Promise<Database> {
  if (config.url) {
    const url = config.url;
    // JIT off for our sessions: the due list's and the grades' queries over a large registry
    // cost past jit_above_cost, and compiling them took five seconds where running them took
    // half of one (measured at 200,000 instruments); no query here runs long enough to repay it
    const client = postgres(config.url, { max: config.poolSize ?? 10, onnotice: () => {}, connection: { jit: 'off' } });
    const db = drizzlePostgres({ client: preparing(client, config.prepare ?? true), schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: () => migrateUnlessCurrent(db, () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER })),
      watchStatusFacts: (listener) => watchPostgres(url, listener),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (!config.dataDir) return wrapPglite(await newMemoryPglite());
  mkdirSync(config.dataDir, { recursive: true });
  const release = lockDataDir(config.dataDir);
  try {
    const startedFrom = startFromTemplate(config.dataDir, config.template);
    const client = new PGlite(
      config.dataDir,
      config.sharedBuffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${config.sharedBuffers}`] } : undefined,
    );
    await client.waitReady;
    const db = wrapPglite(client);
    return {
      ...db,
      ...(startedFrom ? { startedFrom } : {}),
      close: async () => {
        try {
          await db.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * A PGlite data directory, initialised and migrated, that the build makes
 * (scripts/build.mjs) with the installed PGlite, and the version of PGlite
 * and the last migration it was made with (PGLITE_TEMPLATE + '.json').
 */
export const PGLITE_TEMPLATE = fileURLToPath(new URL('../../dist/pglite-template', import.meta.url));

/** The installed PGlite's version ('' when it cannot be read). */
export function pgliteVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '';
  }
}

/**
 * The build's empty template as one uncompressed tar (PGlite's dumpDataDir),
 * which an in-memory database loads instead of running initdb and every
 * migration: about 2 s of CPU here instead of 8. The build remakes it with
 * the template.
 */
export const PGLITE_TEMPLATE_DUMP = `${PGLITE_TEMPLATE}.tar`;

/**
 * A data directory's dump (a tar), such as the template's read once per
 * process, as the Blob PGlite's `loadDataDir` takes. PGlite reads only `arrayBuffer()`, which Node 20
 * answers for a plain Blob by streaming the 40 MB through its blob reader
 * (0.3–0.6 s of CPU per database); here it is the bytes themselves, not a
 * copy: PGlite only reads them (it untars them into its in-memory file
 * system, which copies each file's bytes), and copying 43 MB for every new
 * database cost 0.1 s of CPU each (1.3 s of the export suite's 20). Should a
 * PGlite ever transfer the buffer (detaching it), the next database would
 * fail to load loudly, not start from altered bytes.
 */
export class DataDirBytes extends Blob {
  constructor(private readonly content: ArrayBuffer) {
    super([]);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return Promise.resolve(this.content);
  }
}

let templateDump: DataDirBytes | null | undefined;

/**
 * The buffer pool of an in-memory database. Its pages live in memory anyway,
 * and PGlite allocates and clears the whole pool as it starts: 16 MB instead
 * of the default 128 MB takes a new database from about 1.6 s of CPU to 1.0.
 */
const MEMORY_SHARED_BUFFERS = '16MB';

/** A new in-memory PGlite: a load of the build's template dump when there is a current one, else initdb. */
export async function newMemoryPglite(): Promise<PGlite> {
  if (templateDump === undefined) {
    const bytes = process.env.METROTRACE_TEMPLATES !== '0' && emptyTemplate() && existsSync(PGLITE_TEMPLATE_DUMP) ? readFileSync(PGLITE_TEMPLATE_DUMP) : null;
    templateDump = bytes && new DataDirBytes(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${MEMORY_SHARED_BUFFERS}`];
  const client = templateDump ? new PGlite({ loadDataDir: templateDump, startParams }) : new PGlite({ startParams });
  await client.waitReady;
  return client;
}

/** The build's empty template, if it was made by the PGlite installed now. */
function emptyTemplate(): string | undefined {
  if (!existsSync(join(PGLITE_TEMPLATE, 'PG_VERSION'))) return undefined;
  try {
    const made = JSON.parse(readFileSync(`${PGLITE_TEMPLATE}.json`, 'utf8')) as { pglite?: string };
    return made.pglite && made.pglite === pgliteVersion() ? PGLITE_TEMPLATE : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A new embedded database starts as a copy of a prepared data directory (the
 * caller's, or the build's empty template) when there is one: PostgreSQL's
 * initdb, which PGlite otherwise runs on an empty directory, takes 10-20 s
 * here; the copy well under a second. (Migrations a template lacks are
 * applied as usual.) PG_VERSION is copied last, so an interrupted copy is
 * redone. Returns the directory copied, if any.
 */
function startFromTemplate(dir: string, prepared?: () => string | undefined): string | undefined {
  // METROTRACE_TEMPLATES=0: initdb and a full load, as without a build (for comparison, or to rule the templates out).
  if (existsSync(join(dir, 'PG_VERSION')) || process.env.METROTRACE_TEMPLATES === '0') return undefined;
  const template = prepared?.() ?? emptyTemplate();
  if (!template || !existsSync(join(template, 'PG_VERSION'))) return undefined;
  for (const name of readdirSync(template)) {
    if (name !== 'PG_VERSION' && name !== LOCK_FILE) cpSync(join(template, name), join(dir, name), { recursive: true });
  }
  cpSync(join(template, 'PG_VERSION'), join(dir, 'PG_VERSION'));
  return template;
}

/** The lock file that makes one process the only writer of a PGlite data directory. */
export const LOCK_FILE = 'metrotrace.lock';

/** When this process started (Linux: /proc/self/stat field 22), so a reused pid is not taken for the holder. */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function alive(pid: number, started: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  return started === '' || startTimeOf(pid) === '' || startTimeOf(pid) === started;
}

/**
 * PGlite is a whole PostgreSQL in this process: two processes opening one data
 * directory would each believe they own it, and the writes of one are lost.
 * The first to open it holds a lock file (its pid and start time); another
 * process is refused at once with what to do. A lock left by a process that
 * no longer runs (killed, crashed) is taken over. Released on close and exit.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  const mine = `${process.pid}\n${startTimeOf(process.pid)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, mine);
      closeSync(fd);
      const release = () => {
        process.off('exit', release);
        try {
          if (readFileSync(file, 'utf8') === mine) rmSync(file);
        } catch {
          // already gone
        }
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder = '';
      try {
        holder = readFileSync(file, 'utf8');
      } catch {
        continue; // released meanwhile: try again
      }
      const [pidText, started = ''] = holder.split('\n');
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && alive(pid, started)) {
        const who = pid === process.pid ? 'this process already' : `process ${pid} (a running \`metrotrace serve\`?)`;
        throw new DataDirInUse(
          `the embedded database in ${dir} is open in ${who}; only one process may open it at a time, or writes are lost. While the server runs, use its API; or stop it first. (If no such process runs, delete ${file}.)`,
        );
      }
      // Its holder is gone. Move the stale lock aside (rename is atomic: of two processes
      // that found it stale, one moves it and the other finds nothing to move and tries
      // again); if what was moved is not what was read, a fresh lock was taken meanwhile:
      // put it back. (Only a lock read, judged stale and replaced within the same instant
      // could still slip through.)
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
      } catch {
        continue;
      }
      if (readFileSync(aside, 'utf8') !== holder) {
        try {
          linkSync(aside, file);
        } catch {
          // a third process holds it now; it will be refused or refuse us on the next attempt
        }
      }
      rmSync(aside, { force: true });
    }
  }
  throw new DataDirInUse(`could not take the lock ${file}; another process is opening the embedded database in ${dir} at the same time`);
}

/** Refusal to open an embedded data directory that another process holds. */
export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';
}

/** Wraps an existing PGlite (for example a clone of a migrated template in tests). */
export function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migrateUnlessCurrent(db, () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER })),
    watchStatusFacts: (listener) => watchPglite(client, listener),
    close: () => client.close(),
  };
}

/**
 * `db` with `then` called as each transaction begun on it ends, committed
 * or not (where `db` is itself a transaction, as in the tests: each savepoint). The services over the server's
 * database end a generation of the status facts so (app/verification.ts):
 * the database's notification of this process's own commit comes on another
 * connection, maybe after the writer's answer has gone out.
 */
export function afterEachTransaction(db: Db, then: () => void): Db {
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop !== 'transaction' || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          then();
        }
      };
    },
  });
}
