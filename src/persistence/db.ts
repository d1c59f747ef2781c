/**
 * Opening the database: embedded PostgreSQL (PGlite) by default, a PostgreSQL
 * server through postgres.js when a URL is given. Both are driven by the same
 * drizzle schema and the same committed migrations, and the rest of the code
 * sees one type, `Db`.
 *
 * @impure opens files or sockets.
 */
import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbKind = 'pglite' | 'postgres';

export interface Database {
  readonly db: Db;
  readonly kind: DbKind;
  /** Applies the committed migrations that are not yet applied. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface DbConfig {
  /** postgres://… — when set, a PostgreSQL server is used. */
  readonly url?: string | undefined;
  /** PGlite data directory; omitted (and no url) means an in-memory database. */
  readonly dataDir?: string | undefined;
  /** Connection pool size for postgres.js. */
  readonly poolSize?: number;
}

/** The rows of a raw statement: PGlite answers `{ rows }`, postgres.js the array itself. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? result) as T[];
}

/**
 * A statement that begins with this marker is prepared by the PostgreSQL
 * server once per connection and then only executed (postgres.js keeps it by
 * its text). drizzle prepares only named queries; the marker lets a hot
 * statement with a fixed text (its values all parameters) be prepared too.
 * Only for fixed texts: each distinct text is kept for the connection's life.
 */
export const PREPARED = sql.raw('/*prepared*/');
const MARK = '/*prepared*/';

/** The postgres.js client with the marker honoured. */
function preparing(client: postgres.Sql): postgres.Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'unsafe') return Reflect.get(target, prop, receiver);
      return (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
        target.unsafe(query, params as never, query.startsWith(MARK) ? { ...options, prepare: true } : options);
    },
  });
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export async function openDb(config: DbConfig): Promise<Database> {
  if (config.url) {
    const client = postgres(config.url, { max: config.poolSize ?? 10, onnotice: () => {} });
    const db = drizzlePostgres({ client: preparing(client), schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
      close: () => client.end({ timeout: 5 }),
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = config.dataDir ? new PGlite(config.dataDir) : new PGlite();
  await client.waitReady;
  return wrapPglite(client);
}

/** Wraps an existing PGlite (for example a clone of a migrated template in tests). */
export function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}
