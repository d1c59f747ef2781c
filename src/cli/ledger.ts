/** `metrotrace verify-ledger`: recompute the evidence ledger; exit 3 when a link is broken. */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createServices } from '../http/services.ts';
import { withDatabase } from './db.ts';
import type { Command } from './main.ts';

export const verifyLedgerCommand: Command = {
  summary: 'Recompute the hash chain of records, findings and audits; report the first broken link (exit 3)',
  usage: 'metrotrace verify-ledger [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
    const report = await withDatabase((db) =>
      createServices(db.db, randomUUID).ledger.verify({ onProgress: (n) => process.stderr.isTTY && process.stderr.write(`\rchecked ${n.toLocaleString('en')} entries`) }),
    );
    if (process.stderr.isTTY) process.stderr.write('\n');
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`${report.valid ? 'VALID' : 'BROKEN'}: ${report.checked.toLocaleString('en')} entries check; head ${report.head.seq} ${report.head.hash}`);
      if (report.broken) console.log(`first broken link: entry ${report.broken.seq} (${report.broken.kind} '${report.broken.entityId}'): ${report.broken.message}`);
      if (report.unledgered.count > 0) console.log(`${report.unledgered.count} evidence rows have no ledger entry, e.g. ${report.unledgered.examples.map((e) => `${e.kind} '${e.id}'`).join(', ')}`);
    }
    return report.valid ? 0 : 3;
  },
};
