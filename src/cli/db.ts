import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRegistryData } from '../app/demo.ts';
import { readConfig } from '../main/config.ts';
import { openLedgeredDatabase, type LedgeredDatabase } from '../main/database.ts';
import { createServices, type Services } from '../main/services.ts';
import type { Command } from './command.ts';

/** The database of a command, with the ledger's key ring and anchor log (kept outside it). */
export type CliDatabase = LedgeredDatabase;

/**
 * Opens the configured database, migrated, runs `work`, and always closes it.
 * The ledger key ring is loaded (the default one created on first use unless
 * `createKey` is false: a verifier does not make itself a key), and a seal
 * awaiting a key since the upgrade to MACs is signed.
 */
export async function withDatabase<T>(work: (db: CliDatabase) => Promise<T>, opts: { createKey?: boolean } = {}): Promise<T> {
  const database = await openLedgeredDatabase(readConfig(), process.env, {
    createKey: opts.createKey !== false,
    log: (m) => console.error(`metrotrace: ${m}`),
  });
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** The services of a command: over its database, with its ledger key ring and anchor log. */
export function cliServices(db: CliDatabase): Services {
  return createServices(db.db, randomUUID, undefined, undefined, undefined, db.ledger);
}

export const migrateCommand: Command = {
  summary: 'Apply the committed migrations to the configured database',
  usage: 'metrotrace migrate',
  async run() {
    await withDatabase(async (db) => console.log(`migrations applied (${db.kind})`));
    return 0;
  },
};

export const seedCommand: Command = {
  summary: 'Load a registry data set (default: the demo in fixtures/demo) in one transaction',
  usage: 'metrotrace seed [--file registry.json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { file: { type: 'string' } } });
    const file = values.file ?? new URL('../../fixtures/demo/registry.json', import.meta.url).pathname;
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const summary = await withDatabase((db) => {
      const services = cliServices(db);
      return loadRegistryData(services.unitOfWork, data, randomUUID, services.rules);
    });
    console.log(JSON.stringify(summary));
    return 0;
  },
};
