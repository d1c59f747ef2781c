/**
 * Opening the configured database for a command. Apart from cli/db.ts (the
 * services, migrate and seed) so that a command that needs only part of the
 * services loads only that part.
 */
import { randomUUID } from 'node:crypto';
import type { AccessService } from '../app/access.ts';
import type { LedgerService } from '../app/ledger.ts';
import { createAccessService } from '../main/access-service.ts';
import { readConfig } from '../main/config.ts';
import { type LedgeredDatabase, openLedgeredDatabase } from '../main/database.ts';
import { createLedgerService } from '../main/ledger-service.ts';
import { createVerificationServices, type VerificationServices } from '../main/verification-services.ts';

/** The database of a command, with the ledger's key ring and anchor log (kept outside it). */
export type CliDatabase = LedgeredDatabase;

/**
 * The embedded buffer pool of a brief command (one that reads a few rows and
 * exits): PGlite clears its whole pool as it starts, so a small one opens the
 * data directory sooner; a long command (an import, an export) keeps the default.
 */
export const BRIEF_SHARED_BUFFERS = '16MB';

/** The options of a brief command (see withDatabase): one reading or writing a few rows. */
export const BRIEF = { brief: true } as const;

/**
 * Opens the configured database, migrated, runs `work`, and always closes it.
 * The ledger key ring is loaded (the default one created on first use unless
 * `createKey` is false: a verifier does not make itself a key), and a seal
 * awaiting a key since the upgrade to MACs is signed. `brief`: a command that
 * reads a few rows (BRIEF_SHARED_BUFFERS). `template`: a prepared data
 * directory a new embedded database starts as a copy of (persistence/db.ts).
 */
export async function withDatabase<T>(
  work: (db: CliDatabase) => Promise<T>,
  opts: { createKey?: boolean; brief?: boolean; template?: () => string | undefined } = {},
): Promise<T> {
  const database = await openLedgeredDatabase(readConfig(), process.env, {
    createKey: opts.createKey !== false,
    ...(opts.brief ? { sharedBuffers: BRIEF_SHARED_BUFFERS } : {}),
    ...(opts.template ? { template: opts.template } : {}),
    log: (m) => console.error(`metrotrace: ${m}`),
  });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/*
 * The parts of the services a command builds when it needs no more (cli/db.ts's
 * cliServices builds them all, and loads the DCC codec, the uncertainty engine
 * with mathjs, energy, supervision and imports: half a second more to start).
 * Each is built as createServices builds it, from main/.
 */

/** The registry, traceability, lots and verification services (main/verification-services.ts). */
export const verificationServicesOf = (db: CliDatabase): VerificationServices =>
  createVerificationServices(db.db, randomUUID, undefined, undefined, db.ledger.keys);

/** The access service, organisations' kinds read through `registry`. */
export const accessServiceOf = (db: CliDatabase, registry: VerificationServices['registry']): AccessService =>
  createAccessService(db.db, db.ledger.keys, registry);

/** The ledger service with the database's key ring and anchor log. */
export const ledgerServiceOf = (db: CliDatabase): LedgerService => createLedgerService(db.db, db.ledger);
