import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRegistryData } from '../app/demo.ts';
import { readConfig } from '../http/config.ts';
import { openDb, type Database } from '../persistence/db.ts';
import { createServices, type LedgerSetup, type Services } from '../http/services.ts';
import { sealUpgrade } from '../persistence/ledger-store.ts';
import { fileAnchorLog, ledgerFiles, type LedgerFiles, loadLedgerKeys } from '../runtime/ledger-keys.ts';
import type { Command } from './main.ts';

/** The database of a command, with the ledger's key ring and anchor log (kept outside it). */
export type CliDatabase = Database & { readonly ledger: Required<LedgerSetup> & { readonly files: LedgerFiles } };

/**
 * Opens the configured database, migrated, runs `work`, and always closes it.
 * The ledger key ring is loaded (the default one created on first use unless
 * `createKey` is false: a verifier does not make itself a key), and a seal
 * awaiting a key since the upgrade to MACs is signed.
 */
export async function withDatabase<T>(work: (db: CliDatabase) => Promise<T>, opts: { createKey?: boolean } = {}): Promise<T> {
  const config = readConfig();
  const files = ledgerFiles(process.env, config.dataDir);
  const { keys, created } = loadLedgerKeys(files, { create: opts.createKey !== false, warn: (m) => console.error(`metrotrace: ${m}`) });
  if (created) console.error(`metrotrace: created the ledger key file ${files.keyFile}; keep it out of the database administrators' reach (see README.txt there)`);
  const database = await openDb({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    const sealed = await sealUpgrade(database.db, keys, { anchored: (await fileAnchorLog(files.anchorFile).read()).length > 0 });
    if (sealed) console.error(`metrotrace: sealed ledger entries 1–${sealed.throughSeq}, written without a ledger key (before the upgrade to MACs, or into the prepared demo), under ledger key ${sealed.keyId}`);
    return await work({ ...database, ledger: { keys, anchors: fileAnchorLog(files.anchorFile), files } });
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
