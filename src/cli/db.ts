import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadRegistryData } from '../app/demo.ts';
import { readConfig } from '../http/config.ts';
import { openDb, type Database } from '../persistence/db.ts';
import { createServices } from '../http/services.ts';
import type { Command } from './main.ts';

/** Opens the configured database, migrated, runs `work`, and always closes it. */
export async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const config = readConfig();
  const database = await openDb({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    await database.migrate();
    return await work(database);
  } finally {
    await database.close();
  }
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
      const services = createServices(db.db, randomUUID);
      return loadRegistryData(services.unitOfWork, data, randomUUID, services.rules);
    });
    console.log(JSON.stringify(summary));
    return 0;
  },
};
