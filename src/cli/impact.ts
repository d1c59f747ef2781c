import { parseArgs } from 'node:util';
import { impactCsv, writeImpact } from '../codecs/traceability.ts';
import { verificationServicesOf, withDatabase } from './open.ts';
import type { Command } from './command.ts';

export const impactCommand: Command = {
  summary: 'Impact analysis: everything that depended on a standard on or after a date, transitively',
  usage: 'metrotrace impact STANDARD_ID --since YYYY-MM-DD [--csv]',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { since: { type: 'string' }, csv: { type: 'boolean' } } });
    const id = positionals[0];
    if (!id || !values.since) {
      console.error(`usage: ${this.usage}`);
      return 2;
    }
    const list = await withDatabase((db) => verificationServicesOf(db).traceability.impact(id, values.since!));
    process.stdout.write(values.csv ? impactCsv(list) : JSON.stringify(writeImpact(id, values.since, list), null, 2) + '\n');
    return 0;
  },
};
