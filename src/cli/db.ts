import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type LoadSummary, loadRegistryData } from '../app/demo.ts';
import { readConfig } from '../main/config.ts';
import { createServices, type Services } from '../main/services.ts';
import { type DemoSummary, demoStart } from '../runtime/demo-template.ts';
import type { Command } from './command.ts';
import { type CliDatabase, withDatabase } from './open.ts';

export { type CliDatabase, withDatabase } from './open.ts';

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
    // The demo into a new embedded database: a copy of the demo prepared at build time from these
    // very files (as the server's first start does), its ledger sealed under this directory's key.
    const demo = values.file === undefined && !readConfig().databaseUrl ? demoStart() : undefined;
    const summary = await withDatabase<LoadSummary | DemoSummary>(
      async (db) => {
        const prepared = demo?.prepared(db.startedFrom);
        if (prepared) return prepared;
        const services = cliServices(db);
        return loadRegistryData(services.unitOfWork, data, randomUUID, services.rules);
      },
      demo ? { template: demo.template } : {},
    );
    console.log(JSON.stringify(summary));
    return 0;
  },
};
